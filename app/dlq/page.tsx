import type { Metadata } from "next";
import { DeadLetterTopicsView } from "@/components/dlq/topics-view";

export const metadata: Metadata = { title: "Dead letters · Flowtap" };

export default function DeadLettersPage() {
  return <DeadLetterTopicsView />;
}
