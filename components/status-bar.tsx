"use client";
// Header status: is Kafka reachable, is the index store up, is a tap indexing. When Kafka or
// the store is down, a banner says so in words and what it means for what you see.
import Link from "next/link";
import { errorText, type Health } from "./api";
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
  if (failure) lines.push(`No health answer from the Flowtap server: ${failure}. What you see may be stale.`);
  if (health && !health.db.ok) {
    lines.push(`The index store (${health.db.kind}) is unreachable${gist(health.db.error)}. Searches and flows cannot load until it is back.`);
  }
  if (health && !health.kafka.ok) {
    lines.push(
      `Kafka is unreachable (${health.kafka.brokers.join(", ")})${gist(health.kafka.error)}. The index still answers, but new events are not being indexed.`,
    );
  }
  if (lines.length === 0) return null;
  return (
    <div className="status-banner" role="alert" data-testid="status-banner" title={[health?.db.error, health?.kafka.error].filter(Boolean).join("\n\n")}>
      {lines.map((l) => (
        <p key={l}>{l}</p>
      ))}
    </div>
  );
}

export function StatusBar() {
  const { data: health, error, isError } = useHealth();
  const failure = isError ? errorText(error) : null;
  const tap = health?.tap;
  return (
    <>
      <nav aria-label="Sections">
        <Link href="/dlq">Dead letters</Link> <Link href="/lag">Lag</Link>
      </nav>
      <div className="status-pills" aria-label="Cluster and tap status">
        {!health ? (
          <Pill tone="unknown" label={failure ? "status unavailable" : "checking…"} title={failure ?? "Asking /api/health"} />
        ) : (
          <>
            <Pill
              tone={health.kafka.ok ? "ok" : "bad"}
              label={health.kafka.ok ? `Kafka · ${health.kafka.brokers.length} broker${health.kafka.brokers.length === 1 ? "" : "s"}` : "Kafka unreachable"}
              title={`Brokers: ${health.kafka.brokers.join(", ")}${health.kafka.error ? `\n${health.kafka.error}` : ""}`}
            />
            <Pill tone={health.db.ok ? "ok" : "bad"} label={`Store · ${health.db.kind}${health.db.ok ? "" : " down"}`} title={health.db.error ?? "Index store reachable"} />
            {tap && (
              <Pill
                tone={!tap.running ? "warn" : tap.errors.length ? "warn" : "ok"}
                label={tap.running ? `Tap · ${tap.partitions} partitions · ${tap.totalIndexed.toLocaleString()} indexed` : "Tap not running"}
                title={
                  tap.running
                    ? `${tap.instances} tap instance(s), ${tap.indexed.toLocaleString()} records since they started${tap.errors.length ? `\nErrors: ${tap.errors.join("\n")}` : ""}`
                    : "No tap has sent a heartbeat in the last 30 s: nothing new is being indexed."
                }
              />
            )}
            {tap?.lastIndexedAt && (
              <span className="muted small">
                last indexed <Ago iso={tap.lastIndexedAt} />
              </span>
            )}
          </>
        )}
      </div>
      <Banner health={health} failure={failure} />
    </>
  );
}
