import { Suspense } from "react";
import { HomeView } from "@/components/home/home-view";

export default function Home() {
  // useSearchParams needs a Suspense boundary in a prerendered page.
  return (
    <Suspense fallback={<main className="page muted">Loading…</main>}>
      <HomeView />
    </Suspense>
  );
}
