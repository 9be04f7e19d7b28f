// Measuring helpers for the benchmarks: consumer-group progress, process RSS, percentiles.
import { readdirSync, readFileSync } from "node:fs";
import type { Admin } from "kafkajs";

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

/** Resident set size of a process in MB, or null when it is gone. */
export function rssMb(pid: number): number | null {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return m ? Number(m[1]) / 1024 : null;
  } catch {
    return null;
  }
}

/** CPU seconds (user + system) a process has used so far, or 0 when it is gone. */
export function cpuSeconds(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return 0;
  }
}

/** CPU seconds used so far by every process of the given name (e.g. all PostgreSQL backends). */
export function cpuSecondsByName(name: string): number {
  let total = 0;
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/comm`, "utf8").trim() === name) total += cpuSeconds(Number(entry));
    } catch {
      // gone meanwhile
    }
  }
  return total;
}

export async function committedTotal(admin: Admin, groupId: string, topics: string[]): Promise<number> {
  const offsets = await admin.fetchOffsets({ groupId, topics });
  return offsets.flatMap((t) => t.partitions).reduce((sum, p) => sum + Math.max(0, Number(p.offset)), 0);
}

/**
 * Polls a group's committed offsets until they reach `total`; the rate is taken over the
 * window from the first commit seen to the last, so start-up costs are left out, as they
 * are for the baseline consumer.
 */
export async function watchGroup(
  admin: Admin,
  groupId: string,
  topics: string[],
  total: number,
  opts: { timeoutMs: number; onTick?: () => void; onFirstCommit?: () => void },
): Promise<{ seconds: number; rate: number }> {
  const deadline = Date.now() + opts.timeoutMs;
  let first: number | null = null;
  let firstCount = 0;
  for (;;) {
    const done = await committedTotal(admin, groupId, topics).catch(() => 0);
    opts.onTick?.();
    const now = performance.now();
    if (done > 0 && first === null) {
      first = now;
      firstCount = done;
      opts.onFirstCommit?.();
    }
    if (done >= total && first !== null) {
      const seconds = (now - first) / 1000;
      return { seconds, rate: (total - firstCount) / Math.max(seconds, 0.001) };
    }
    if (Date.now() > deadline) throw new Error(`group ${groupId} reached ${done} of ${total} before the time limit`);
    await new Promise((r) => setTimeout(r, 250));
  }
}
