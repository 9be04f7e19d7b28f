"use client";
// Header status: is Kafka reachable, is the index store up, is a tap indexing, does the Schema
// Registry answer (when one is configured). When one of them is down, a banner says so in words
// and what it means for what you see.
import Link from "next/link";
import { errorText, healthDetail, type Health } from "./api";
import { Ago } from "./time";
import { useHealth } from "./use-health";

function Pill({ tone, label, title }: { tone: "ok" | "warn" | "bad" | "unknown"; label: string; title: string }) {
  return (
    <span className={`pill pill-${tone}`} title={title}>
      <span className="dot" aria-hidden="true" />
      {label}
    </span>
  );
}

/** Driver errors can carry a whole SQL statement; the banner needs the gist, the title the rest. */
function gist(text: string | undefined): string {
  if (!text) return "";
  const flat = text.replace(/\s+/g, " ").trim();
  return `: ${flat.length > 200 ? `${flat.slice(0, 200)}…` : flat}`;
}

function Banner({ health, failure }: { health: Health | undefined; failure: string | null }) {
  const lines: string[] = [];
  const detail = healthDetail(health);
  if (failure) lines.push(`No health answer from the Flowtap server: ${failure}. What you see may be stale.`);
  if (health && !health.db.ok) {
    lines.push(`The index store (${health.db.kind}) is unreachable${gist(detail?.db.error)}. Searches and flows cannot load until it is back.`);
  }
  if (health && !health.kafka.ok) {
    lines.push(
      `Kafka is unreachable${detail?.kafka.brokers ? ` (${detail.kafka.brokers.join(", ")})` : ""}${gist(detail?.kafka.error)}. The index still answers, but new events are not being indexed.`,
    );
  }
  if (health?.registry && !health.registry.ok) {
    lines.push(
      `${detail?.registry?.error ? `The ${detail.registry.error.replace(/^schema registry/, "Schema Registry")}` : "The Schema Registry does not answer"}. Avro, Protobuf and JSON Schema records whose schema is not cached yet are indexed as binary (their IDs unfound) and shown decoded once it is back.`,
    );
  }
  if (health?.tap.stalled) {
    lines.push(`The tap is not keeping up${gist(detail?.tap.errors.join("; "))}. Recent events may be missing from what you see.`);
  }
  if (lines.length === 0) return null;
  return (
    <div className="status-banner" role="alert" data-testid="status-banner" title={[detail?.db.error, detail?.kafka.error, detail?.registry?.error].filter(Boolean).join("\n\n")}>
      {lines.map((l) => (
        <p key={l}>{l}</p>
      ))}
    </div>
  );
}

function RegistryPill({ health }: { health: Health }) {
  const registry = health.registry;
  if (!registry) return null;
  const urls = healthDetail(health)?.registry?.urls ?? [];
  const title = urls.length ? urls.map((u) => `${u.url}: ${u.ok ? "answers" : u.error}`).join("\n") : registry.ok ? "Schema Registry answers" : "Schema Registry does not answer";
  return <Pill tone={registry.ok ? "ok" : "bad"} label={registry.ok ? "Registry" : "Registry down"} title={title} />;
}

function TapPill({ health }: { health: Health }) {
  const tap = health.tap;
  const detail = healthDetail(health)?.tap;
  if (!tap.running) return <Pill tone="warn" label="Tap not running" title="No tap has sent a heartbeat in the last 30 s: nothing new is being indexed." />;
  if (!detail) return <Pill tone={tap.stalled ? "bad" : "ok"} label={tap.stalled ? "Tap stalled" : "Tap running"} title={tap.states.join(", ")} />;
  const label = tap.stalled ? "Tap stalled" : `Tap · ${detail.partitions} partitions · ${detail.totalIndexed.toLocaleString()} indexed`;
  const errors = detail.errors.length ? `\nErrors: ${detail.errors.join("\n")}` : "";
  const pending = detail.pending === null ? "" : `, ${detail.pending.toLocaleString()} waiting`;
  return (
    <Pill
      tone={tap.stalled ? "bad" : detail.errors.length ? "warn" : "ok"}
      label={label}
      title={`${detail.instances} tap instance(s), ${detail.indexed.toLocaleString()} records since they started${pending}${errors}`}
    />
  );
}

export function StatusBar() {
  const { data: health, error, isError } = useHealth();
  const failure = isError ? errorText(error) : null;
  const detail = healthDetail(health);
  const brokers = detail?.kafka.brokers ?? [];
  return (
    <>
      <nav aria-label="Sections">
        <Link href="/map">Map</Link> <Link href="/topics">Topics</Link> <Link href="/dlq">Dead letters</Link> <Link href="/lag">Lag</Link>
      </nav>
      <div className="status-pills" aria-label="Cluster and tap status">
        {!health ? (
          <Pill tone="unknown" label={failure ? "status unavailable" : "checking…"} title={failure ?? "Asking /api/health"} />
        ) : (
          <>
            <Pill
              tone={health.kafka.ok ? "ok" : "bad"}
              label={health.kafka.ok ? `Kafka${detail ? ` · ${brokers.length} broker${brokers.length === 1 ? "" : "s"}` : ""}` : "Kafka unreachable"}
              title={`Brokers: ${brokers.join(", ")}${detail?.kafka.error ? `\n${detail.kafka.error}` : ""}`}
            />
            <Pill tone={health.db.ok ? "ok" : "bad"} label={`Store · ${health.db.kind}${health.db.ok ? "" : " down"}`} title={detail?.db.error ?? "Index store reachable"} />
            <TapPill health={health} />
            <RegistryPill health={health} />
            {detail && detail.tap.degraded + detail.tap.quarantined > 0 && (
              <Link href="/quarantine" className="small" title="Records stored in a changed form, or refused by the store">
                {detail.tap.degraded.toLocaleString()} degraded · {detail.tap.quarantined.toLocaleString()} quarantined
              </Link>
            )}
            {detail?.tap.lastIndexedAt && (
              <span className="muted small">
                last indexed <Ago iso={detail.tap.lastIndexedAt} />
              </span>
            )}
          </>
        )}
      </div>
      <Banner health={health} failure={failure} />
    </>
  );
}
