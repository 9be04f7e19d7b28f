import type { Metadata } from "next";
import { Suspense } from "react";
import { LagListView } from "@/components/lag/lag-list-view";

export const metadata: Metadata = { title: "Consumer lag · Flowtap" };

export default function LagPage() {
  // useSearchParams needs a Suspense boundary in a prerendered page.
  return (
    <Suspense fallback={<main className="page muted">Loading…</main>}>
      <LagListView />
    </Suspense>
  );
}
