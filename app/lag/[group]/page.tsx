import type { Metadata } from "next";
import { Suspense } from "react";
import { decodeSegment } from "@/components/url-segment";
import { GroupView } from "@/components/lag/group-view";

interface Props {
  params: Promise<{ group: string }>;
}

async function groupOf(params: Props["params"]): Promise<string> {
  return decodeSegment((await params).group);
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
