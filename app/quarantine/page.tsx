import type { Metadata } from "next";
import { SetAsideView } from "@/components/quarantine/set-aside-view";

export const metadata: Metadata = { title: "Degraded and quarantined records · Flowtap" };

export default function QuarantinePage() {
  return (
    <main className="page">
      <h1>Records the index could not hold as read</h1>
      <SetAsideView />
    </main>
  );
}
