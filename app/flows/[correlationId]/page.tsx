import type { Metadata } from "next";
import { Suspense } from "react";
import { FlowView } from "@/components/flow/flow-view";

interface Props {
  params: Promise<{ correlationId: string }>;
}

/**
 * Page params arrive still percent-encoded (route handlers get them decoded). A malformed
 * escape such as "%E0%A4%A" is looked up as typed rather than failing the page.
 */
async function correlationIdOf(params: Props["params"]): Promise<string> {
  const raw = (await params).correlationId;
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
}

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  return { title: `${(await correlationIdOf(params)).slice(0, 80)} · Flowtap` };
}

export default async function FlowPage({ params }: Props) {
  const correlationId = await correlationIdOf(params);
  return (
    <Suspense fallback={<main className="page muted">Loading…</main>}>
      <FlowView key={correlationId} correlationId={correlationId} />
    </Suspense>
  );
}
