"use client";
import { FLOW_STATUSES, type FlowStatus } from "../api";
import { SearchBox } from "../search-box";
import { useUrlParams } from "../use-url-params";
import { RecentFlows } from "./recent-flows";
import { SearchResults } from "./search-results";

export function HomeView() {
  const [params, setParams] = useUrlParams();
  const q = params.get("q")?.trim() ?? "";
  const raw = params.get("status");
  const status: FlowStatus = FLOW_STATUSES.find((s) => s === raw) ?? "all";
  return (
    <main className="page">
      <div className="page-narrow">
        <h1 className="sr-only">Find a flow</h1>
        <SearchBox key={q} initial={q} />
        {q && <SearchResults q={q} />}
        <RecentFlows status={status} onStatus={(s) => setParams({ status: s === "all" ? null : s })} />
      </div>
    </main>
  );
}
