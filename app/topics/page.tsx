import type { Metadata } from "next";
import { TopicsView } from "@/components/topics/topics-view";

export const metadata: Metadata = { title: "Topics · Flowtap" };

export default function TopicsPage() {
  return <TopicsView />;
}
