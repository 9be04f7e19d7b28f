import type { Metadata } from "next";
import { Suspense } from "react";
import { decodeSegment } from "@/components/url-segment";
import { FlowView } from "@/components/flow/flow-view";

interface Props {
  params: Promise<{ correlationId: string }>;
}

async function correlationIdOf(params: Props["params"]): Promise<string> {
  return decodeSegment((await params).correlationId);
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
