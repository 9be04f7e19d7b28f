import type { Metadata } from "next";
import { Suspense } from "react";
import { GroupView } from "@/components/lag/group-view";

interface Props {
  params: Promise<{ group: string }>;
}

/** Page params arrive still percent-encoded; a malformed escape is looked up as typed rather than failing the page. */
async function groupOf(params: Props["params"]): Promise<string> {
  const raw = (await params).group;
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
}

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  return { title: `${(await groupOf(params)).slice(0, 80)} · lag · Flowtap` };
}

export default async function LagGroupPage({ params }: Props) {
  const group = await groupOf(params);
  return (
    <Suspense fallback={<main className="page muted">Loading…</main>}>
      <GroupView key={group} group={group} />
    </Suspense>
  );
}
