// Topic browser benchmark: one topic of N records (default 1,000,000) over 6 partitions and the
// last 2 hours, written straight into the store (the tap's rate is measured elsewhere; here only
// the read path is), then GET /api/topics/{topic}/records's server function timed on the default
// window (the last 15 minutes: about N/8 records). Beside it, in the same run, what the answer
// would cost without the index range scan and LIMIT: counting the window's rows.
import { sql } from "drizzle-orm";
import type { Store } from "../../server/db/client";
import { topicRecordsQuery } from "../../server/contract/topics";
import { listTopicRecords } from "../../server/topics/list-topic-records";
import { percentile } from "./bench-measure";

const TOPIC = "benchtopics.browse";
const PARTITIONS = 6;
const SPAN_MS = 2 * 3_600_000;
const SEED_CHUNK = 100_000;

export interface Timing {
  p50: number;
  p99: number;
}

export interface TopicsBench {
  records: number;
  windowRecords: number;
  /** First page (50, newest first) of the default window: the target is p99 < 50 ms. */
  firstPage: Timing;
  /** Baseline: count(*) of the same window. */
  countWindow: Timing;
  oldestFirst: Timing;
  fromOffset: Timing;
  /** A filter nothing matches: the request stops at the scan cap. */
  filteredToCap: Timing;
}

async function seed(store: Store, total: number, now: number, log: (s: string) => void): Promise<void> {
  const start = new Date(now - SPAN_MS).toISOString();
  const stepMs = SPAN_MS / total;
  for (let from = 0; from < total; from += SEED_CHUNK) {
    const to = Math.min(total, from + SEED_CHUNK) - 1;
    await store.rows(sql`
      INSERT INTO events (topic, partition, "offset", ts, key, correlation_id, event_id, event_type, service, headers, value_kind, value, size)
      SELECT ${TOPIC}, i % ${PARTITIONS}, i / ${PARTITIONS}, ${start}::timestamptz + round(i * ${stepMs}::float8) * interval '1 millisecond',
             'order-' || (i / 10), 'bench-topic-' || (i / 10), 'ev-' || i, 'Step' || (i % 10), 'svc' || (i % 7),
             json_build_object('x-service', 'svc' || (i % 7)), 'json',
             json_build_object('eventId', 'ev-' || i, 'type', 'Step' || (i % 10), 'order_id', i / 10, 'note', repeat('x', 300)), 450
      FROM generate_series(${from}::int, ${to}::int) AS i
      ON CONFLICT DO NOTHING`);
    log(`topics: seeded ${(to + 1).toLocaleString("en-US")} / ${total.toLocaleString("en-US")}`);
  }
  // What the tap keeps in topic_partitions as it writes, computed once for the seeded rows.
  await store.rows(sql`
    INSERT INTO topic_partitions (topic, partition, records, oldest_offset, newest_offset, oldest_ts, newest_ts)
    SELECT topic, partition, count(*), min("offset"), max("offset"), min(ts), max(ts) FROM events WHERE topic = ${TOPIC} GROUP BY 1, 2
    ON CONFLICT (topic, partition) DO UPDATE SET records = excluded.records, oldest_offset = excluded.oldest_offset,
      newest_offset = excluded.newest_offset, oldest_ts = excluded.oldest_ts, newest_ts = excluded.newest_ts`);
  // Settled, as an index that has been running is: no autovacuum of the fresh rows during the timing.
  await store.rows(sql`VACUUM (ANALYZE) events`);
}

/**
 * Times each function `calls` times after a warm-up, interleaved (a round runs each once, in
 * turn), so that the machine's noise falls on all of them alike.
 */
async function time<K extends string>(calls: number, fns: Record<K, () => Promise<unknown>>): Promise<Record<K, Timing>> {
  const names = Object.keys(fns) as K[];
  const samples = Object.fromEntries(names.map((n) => [n, [] as number[]])) as Record<K, number[]>;
  for (let i = 0; i < Math.min(20, calls); i++) for (const n of names) await fns[n]();
  for (let i = 0; i < calls; i++) {
    for (const n of names) {
      const t = performance.now();
      await fns[n]();
      samples[n].push(performance.now() - t);
    }
  }
  const stats = (xs: number[]) => {
    const sorted = [...xs].sort((x, y) => x - y);
    return { p50: percentile(sorted, 50), p99: percentile(sorted, 99) };
  };
  return Object.fromEntries(names.map((n) => [n, stats(samples[n])])) as Record<K, Timing>;
}

/** `records`: the topic's size (BENCH_RECORDS in the lead's run); `calls`: timed requests per figure. */
export async function benchTopicBrowser(store: Store, opts: { records?: number; calls?: number; log: (s: string) => void }): Promise<TopicsBench> {
  const records = opts.records ?? 1_000_000;
  const calls = opts.calls ?? 200;
  const now = Date.now();
  await seed(store, records, now, opts.log);
  const page = (qs: Record<string, string>) => {
    const q = topicRecordsQuery.parse(qs);
    return () => listTopicRecords(store, { ...q, topic: TOPIC });
  };
  const first = await page({})();
  const window = first!.window;
  const [count] = await store.rows<{ n: number }>(sql`
    SELECT count(*)::int AS n FROM events WHERE topic = ${TOPIC} AND ts >= ${window.from}::timestamptz AND ts <= ${window.to}::timestamptz`);
  const countWindow = () => store.rows(sql`
    SELECT count(*) FROM events WHERE topic = ${TOPIC} AND ts >= now() - interval '15 minutes' AND ts <= now()`);
  const pages = await time(calls, {
    firstPage: page({}),
    countWindow,
    oldestFirst: page({ order: "oldest" }),
    fromOffset: page({ partition: "3", offset: String(Math.floor(records / PARTITIONS / 2)), order: "oldest" }),
  });
  const capped = await time(Math.max(5, Math.round(calls / 10)), { filteredToCap: page({ eventType: "NoSuchType" }) });
  const result: TopicsBench = { records, windowRecords: count?.n ?? 0, ...pages, ...capped };
  const f = (t: Timing) => `p50 ${t.p50.toFixed(1)} ms, p99 ${t.p99.toFixed(1)} ms`;
  opts.log(`topics: ${records.toLocaleString("en-US")} records, ${result.windowRecords.toLocaleString("en-US")} in the last 15 min`);
  opts.log(`topics: first page ${f(result.firstPage)}; count of the window ${f(result.countWindow)}`);
  opts.log(`topics: oldest first ${f(result.oldestFirst)}; from an offset ${f(result.fromOffset)}; filter to the scan cap ${f(result.filteredToCap)}`);
  return result;
}

/** The figures as scripts/bench.ts's row(what, figure, baseline, ratio, target, verdict) takes them. */
export function topicsBenchRows(r: TopicsBench, store: string): Array<[string, string, string, string, string, boolean | null]> {
  const ms = (t: Timing) => `p50 ${t.p50.toFixed(1)} ms, p99 ${t.p99.toFixed(1)} ms`;
  const ratio = (a: Timing, b: Timing) => `${(a.p50 / b.p50).toFixed(2)}× (p50)`;
  const size = `${r.records.toLocaleString("en-US")} records, ${r.windowRecords.toLocaleString("en-US")} in the window`;
  return [
    [`Topic browser, first page of the last 15 min (${store}; ${size})`, ms(r.firstPage), `count of the window: ${ms(r.countWindow)}`, ratio(r.firstPage, r.countWindow), "p99 < 50 ms", r.firstPage.p99 < 50],
    [`Topic browser, oldest first / from an offset (${store})`, `${ms(r.oldestFirst)} / ${ms(r.fromOffset)}`, `first page: ${ms(r.firstPage)}`, ratio(r.oldestFirst, r.firstPage), "", null],
    [`Topic browser, a filter matching nothing, to the scan bound (${store})`, ms(r.filteredToCap), `count of the window: ${ms(r.countWindow)}`, ratio(r.filteredToCap, r.countWindow), "", null],
  ];
}
