import type { Metadata } from "next";
import { Suspense } from "react";
import { decodeSegment } from "@/components/url-segment";
import { TopicView } from "@/components/topics/topic-view";

interface Props {
  params: Promise<{ topic: string }>;
}

async function topicOf(params: Props["params"]): Promise<string> {
  return decodeSegment((await params).topic);
}

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  return { title: `${(await topicOf(params)).slice(0, 80)} · topics · Flowtap` };
}

export default async function TopicPage({ params }: Props) {
  const topic = await topicOf(params);
  // useSearchParams (the window and filters) needs a Suspense boundary.
  return (
    <Suspense fallback={<main className="page muted">Loading…</main>}>
      <TopicView key={topic} topic={topic} />
    </Suspense>
  );
}
