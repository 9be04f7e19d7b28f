import type { Metadata } from "next";
import { Suspense } from "react";
import { decodeSegment } from "@/components/url-segment";
import { DeadLetterTopicView } from "@/components/dlq/topic-view";

interface Props {
  params: Promise<{ topic: string }>;
}

async function topicOf(params: Props["params"]): Promise<string> {
  return decodeSegment((await params).topic);
}

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  return { title: `${(await topicOf(params)).slice(0, 80)} · dead letters · Flowtap` };
}

export default async function DeadLetterTopicPage({ params }: Props) {
  const topic = await topicOf(params);
  // useSearchParams (the filters) needs a Suspense boundary.
  return (
    <Suspense fallback={<main className="page muted">Loading…</main>}>
      <DeadLetterTopicView key={topic} topic={topic} />
    </Suspense>
  );
}
