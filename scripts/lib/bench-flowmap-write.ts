// What the flow map costs the tap: tap → PostgreSQL records/s with the aggregates maintained
// (FLOWTAP_FLOWMAP=on, the default) beside the same tap with them off, same data, same run.
// With the map on, the tap only queues each inserted event (flowmap_pending) and a deferred pass in
// the tap folds the queue in; "caught up" is how long after the tap's last commit the queue is empty.
// The runs alternate (off, on, off, on …) into fresh databases, so drift on a shared machine hits
// both; each figure is the median of its runs. Target (issue 12): on ≥ 85 % of off.
//
// A development tool (npm run bench measures the ratio itself, on, off, off, on). Alone, on a
// small data set while developing:
//   node --conditions=react-server --import tsx scripts/lib/bench-flowmap-write.ts   (BENCH_RECORDS=100000)
import { spawn } from "node:child_process";
import { chmodSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { Kafka, logLevel } from "kafkajs";
import postgres from "postgres";
import { benchTopics, produceBenchData, type BenchData } from "./bench-data";
import { cpuSeconds, cpuSecondsByName, watchGroup } from "./bench-measure";
import { startKafka } from "./kafka-broker";
import { startPostgres } from "./postgres-server";

const root = resolve(import.meta.dirname, "..", "..");

export interface FlowmapRun {
  flowmap: "on" | "off";
  rate: number;
  /** CPU µs a record, from the first commit to the last: the tap process, and all PostgreSQL processes. */
  tapCpuUs: number;
  pgCpuUs: number;
  /** On: seconds from the tap's last commit until the deferred pass emptied flowmap_pending. */
  catchUpS: number | null;
}

export interface FlowmapWriteFigures {
  /** records/s with the flow map maintained, median of the runs. */
  on: number;
  off: number;
  ratio: number;
  runs: FlowmapRun[];
}

async function freshDb(serverUrl: string, name: string): Promise<string> {
  const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`CREATE DATABASE ${name}`);
  await admin.end();
  return serverUrl.replace(/\/[^/]*$/, `/${name}`);
}

/** One `npm run tap` process from the beginning of the bench topics to the end; records/s. */
async function tapRun(kafka: Kafka, data: BenchData, brokers: string, dbUrl: string, flowmap: "on" | "off"): Promise<FlowmapRun> {
  const group = `bench-flowmap-${flowmap}-${Date.now()}`;
  const child = spawn(process.execPath, ["--conditions=react-server", "--import", "tsx", "scripts/tap.ts"], {
    cwd: root,
    env: {
      ...process.env, KAFKA_BROKERS: brokers, DATABASE_URL: dbUrl, FLOWTAP_TAP_GROUP: group, FLOWTAP_TOPICS_INCLUDE: "^bench\\.svc",
      FLOWTAP_FLOWMAP: flowmap, FLOWTAP_LAG: "off",
    },
    stdio: ["ignore", "ignore", "inherit"],
  });
  const admin = kafka.admin();
  await admin.connect();
  try {
    let tap0 = 0;
    let pg0 = 0;
    const { rate, seconds } = await watchGroup(admin, group, data.topics, data.total, {
      timeoutMs: 20 * 60_000,
      onFirstCommit: () => {
        tap0 = child.pid ? cpuSeconds(child.pid) : 0;
        pg0 = cpuSecondsByName("postgres");
      },
    });
    const records = rate * seconds;
    const tapCpuUs = (((child.pid ? cpuSeconds(child.pid) : 0) - tap0) / records) * 1e6;
    const pgCpuUs = ((cpuSecondsByName("postgres") - pg0) / records) * 1e6;
    // The map lags the index by design (server/flowmap/pass.ts): how long until it caught up.
    let catchUpS: number | null = null;
    if (flowmap === "on") {
      const db = postgres(dbUrl, { max: 1, onnotice: () => {} });
      const t0 = Date.now();
      try {
        for (;;) {
          const [r] = await db<{ n: number }[]>`SELECT count(*)::int AS n FROM flowmap_pending`;
          if (r!.n === 0) break;
          if (Date.now() - t0 > 10 * 60_000) throw new Error(`flow map still ${r!.n} rows behind after 10 min`);
          await new Promise((res) => setTimeout(res, 100));
        }
        catchUpS = (Date.now() - t0) / 1000;
      } finally {
        await db.end();
      }
    }
    return { flowmap, rate, tapCpuUs, pgCpuUs, catchUpS };
  } finally {
    await admin.disconnect();
    child.kill("SIGTERM");
    await new Promise((r) => child.once("exit", r));
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)]!;

export async function benchFlowmapWrite(
  opts: { kafka: Kafka; brokers: string; pgServerUrl: string; data: BenchData; rounds?: number },
  log: (line: string) => void,
): Promise<FlowmapWriteFigures> {
  const runs: FlowmapRun[] = [];
  for (let round = 0; round < (opts.rounds ?? 2); round++) {
    for (const flowmap of ["off", "on"] as const) {
      const db = await freshDb(opts.pgServerUrl, `bench_fm_${flowmap}_${round}_${Date.now() % 1e6}`);
      const run = await tapRun(opts.kafka, opts.data, opts.brokers, db, flowmap);
      log(`flow map ${flowmap}, round ${round + 1}: ${Math.round(run.rate).toLocaleString("en-US")} records/s, CPU a record: tap ${run.tapCpuUs.toFixed(1)} µs, PostgreSQL ${run.pgCpuUs.toFixed(1)} µs${run.catchUpS === null ? "" : `, map caught up ${run.catchUpS.toFixed(1)} s after the last commit`}`);
      runs.push(run);
    }
  }
  const on = median(runs.filter((r) => r.flowmap === "on").map((r) => r.rate));
  const off = median(runs.filter((r) => r.flowmap === "off").map((r) => r.rate));
  return { on, off, ratio: on / off, runs };
}

async function main(): Promise<void> {
  const log = (s: string) => console.log(`[bench-flowmap] ${s}`);
  const work = mkdtempSync(join(tmpdir(), "flowtap-bench-fm-"));
  chmodSync(work, 0o755);
  const pg = await startPostgres({ dir: join(work, "pg") });
  const broker = await startKafka({ dataDir: join(work, "kafka"), heapMb: 1024, log });
  try {
    const kafka = new Kafka({ clientId: "flowtap-bench-fm", brokers: [broker.brokers], logLevel: logLevel.ERROR });
    const topics = benchTopics("bench", 12);
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: topics.map((topic) => ({ topic, numPartitions: 3 })), waitForLeaders: true });
    await admin.disconnect();
    const data = await produceBenchData(kafka, topics, Number(process.env.BENCH_RECORDS ?? 100_000), log);
    const f = await benchFlowmapWrite({ kafka, brokers: broker.brokers, pgServerUrl: pg.url, data, rounds: Number(process.env.BENCH_ROUNDS ?? 2) }, log);
    log(`tap → PostgreSQL with the flow map: ${Math.round(f.on).toLocaleString("en-US")} records/s, without: ${Math.round(f.off).toLocaleString("en-US")} (${(f.ratio * 100).toFixed(0)} %; target ≥ 85 %)`);
  } finally {
    await broker.stop();
    pg.destroy();
    rmSync(work, { recursive: true, force: true });
  }
}

if (process.argv[1]?.endsWith("bench-flowmap-write.ts")) {
  main().then(() => process.exit(0), (err: unknown) => {
    console.error(err instanceof Error ? err.stack ?? err.message : err);
    process.exit(1);
  });
}
