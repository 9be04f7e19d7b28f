import type { Metadata } from "next";
import { Suspense } from "react";
import { DeadLetterTopicView } from "@/components/dlq/topic-view";

interface Props {
  params: Promise<{ topic: string }>;
}

/** Page params arrive still percent-encoded; a malformed escape is shown as typed (the API then says it is no topic name). */
async function topicOf(params: Props["params"]): Promise<string> {
  const raw = (await params).topic;
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
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
