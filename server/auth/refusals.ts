// How many refused attempts get an audit row. Every refusal used to write one, for anonymous
// callers too: a loop of bad requests filled the audit log and the store. Now each client gets
// a small bucket (a burst, then one row every few seconds) and all clients together a larger
// one; a row written after a gap says how many refusals went unwritten (`suppressed`).
// Pure: the caller passes the clock.

export interface RefusalLimitOptions {
  /** Rows a client may write at once, then one every `perClientEveryMs`. */
  perClientBurst: number;
  perClientEveryMs: number;
  /** The same for all clients together (client addresses come from X-Forwarded-For and can be made up). */
  globalBurst: number;
  globalEveryMs: number;
  /** Clients remembered at most; the least recently refused are forgotten first. */
  maxClients: number;
}

export const DEFAULT_REFUSAL_LIMITS: RefusalLimitOptions = {
  perClientBurst: 10,
  perClientEveryMs: 6_000,
  globalBurst: 100,
  globalEveryMs: 600,
  maxClients: 10_000,
};

interface Bucket {
  tokens: number;
  at: number;
}

export class RefusalAuditLimit {
  private readonly clients = new Map<string, Bucket>();
  private readonly global: Bucket;
  private suppressed = 0;

  constructor(private readonly opts: RefusalLimitOptions = DEFAULT_REFUSAL_LIMITS) {
    this.global = { tokens: opts.globalBurst, at: 0 };
  }

  /**
   * Whether this refusal gets an audit row; when it does, how many refusals since the last
   * written row were not written.
   */
  take(client: string, now: number): { write: false } | { write: true; suppressed: number } {
    const key = client.slice(0, 100);
    const bucket = this.clients.get(key) ?? { tokens: this.opts.perClientBurst, at: now };
    this.clients.delete(key);
    this.clients.set(key, bucket);
    while (this.clients.size > this.opts.maxClients) this.clients.delete(this.clients.keys().next().value!);
    refill(bucket, now, this.opts.perClientBurst, this.opts.perClientEveryMs);
    refill(this.global, now, this.opts.globalBurst, this.opts.globalEveryMs);
    if (bucket.tokens < 1 || this.global.tokens < 1) {
      this.suppressed++;
      return { write: false };
    }
    bucket.tokens--;
    this.global.tokens--;
    const suppressed = this.suppressed;
    this.suppressed = 0;
    return { write: true, suppressed };
  }
}

function refill(b: Bucket, now: number, burst: number, everyMs: number): void {
  if (now > b.at) b.tokens = Math.min(burst, b.tokens + (now - b.at) / everyMs);
  b.at = Math.max(b.at, now);
}
