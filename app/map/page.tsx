import type { Metadata } from "next";
import { Suspense } from "react";
import { MapView } from "@/components/map/map-view";

export const metadata: Metadata = { title: "Flow map · Flowtap" };

export default function MapPage() {
  // useSearchParams needs a Suspense boundary in a prerendered page.
  return (
    <Suspense fallback={<main className="page muted">Loading…</main>}>
      <MapView />
    </Suspense>
  );
}
