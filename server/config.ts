import "server-only";
// Environment → typed configuration, read once. A bad variable fails the start with one
// line that names it (ConfigError); nothing falls back silently to a guess.
import { dirname, join } from "node:path";
import { z } from "zod";
import { defaultExtractConfig, parseFieldRules } from "./extract";
import type { ExtractConfig } from "./extract/types";
import { parseAllowedHosts } from "./auth/hosts";
import { FLOWMAP_MAX_EVENTS, parseFlowTypes, type FlowmapOptions } from "./flowmap/options";

export class ConfigError extends Error {}

/** Event types that end a flow, by default. */
export const DEFAULT_TERMINAL_EVENTS = /(Completed|Cancelled|Canceled|Rejected|Closed|Finished)$/i;

const regex = (name: string) =>
  z.string().transform((s, ctx) => {
    try {
      return new RegExp(s);
    } catch (err) {
      ctx.addIssue({ code: "custom", message: `${name} is not a valid regular expression: ${(err as Error).message}` });
      return z.NEVER;
    }
  });

const intIn = (min: number, max: number) => z.coerce.number().int().min(min).max(max);
const onOff = z.enum(["on", "off"]);

const envSchema = z.object({
  KAFKA_BROKERS: z
    .string()
    .default("127.0.0.1:9092")
    .transform((s) => s.split(",").map((b) => b.trim()).filter(Boolean))
    .refine((list) => list.length > 0 && list.every((b) => /^[^\s:]+:\d{1,5}$/.test(b)), {
      message: "KAFKA_BROKERS must be host:port[,host:port…]",
    }),
  KAFKA_CLIENT_ID: z.string().min(1).default("flowtap"),
  KAFKA_SASL_MECHANISM: z.enum(["plain", "scram-sha-256", "scram-sha-512"]).optional(),
  KAFKA_SASL_USERNAME: z.string().min(1).optional(),
  KAFKA_SASL_PASSWORD: z.string().min(1).optional(),
  KAFKA_SSL: z.enum(["true", "false", "on", "off", "1", "0"]).optional(),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, "DATABASE_URL must start with postgres:// or postgresql://")
    .optional(),
  FLOWTAP_DATA_DIR: z.string().min(1).default(".flowtap"),
  FLOWTAP_TOPICS_INCLUDE: regex("FLOWTAP_TOPICS_INCLUDE").default(/.*/),
  FLOWTAP_TOPICS_EXCLUDE: regex("FLOWTAP_TOPICS_EXCLUDE").default(/^_/),
  FLOWTAP_TAP: onOff.default("on"),
  FLOWTAP_TAP_GROUP: z.string().min(1).default("flowtap-tap"),
  FLOWTAP_TOPIC_REFRESH_S: intIn(1, 30).default(10),
  FLOWTAP_RETENTION_DAYS: intIn(1, 3650).default(7),
  // 0 (no limit) is not allowed: a viewer must not be able to start a statement that never ends.
  FLOWTAP_STATEMENT_TIMEOUT_MS: intIn(100, 3_600_000).default(30_000),
  FLOWTAP_STUCK_AFTER_S: intIn(10, 30 * 86400).default(300),
  FLOWTAP_STALL_AFTER_S: intIn(5, 86400).default(60),
  FLOWTAP_TERMINAL_EVENTS: regex("FLOWTAP_TERMINAL_EVENTS").default(DEFAULT_TERMINAL_EVENTS),
  FLOWTAP_LAG_INTERVAL_S: intIn(1, 3600).default(10),
  FLOWTAP_LAG: onOff.default("on"),
  FLOWTAP_LAG_GROUPS_INCLUDE: regex("FLOWTAP_LAG_GROUPS_INCLUDE").default(/.*/),
  FLOWTAP_LAG_GROUPS_EXCLUDE: regex("FLOWTAP_LAG_GROUPS_EXCLUDE").default(/^$/),
  FLOWTAP_LAG_TOPICS_INCLUDE: regex("FLOWTAP_LAG_TOPICS_INCLUDE").default(/.*/),
  FLOWTAP_LAG_TOPICS_EXCLUDE: regex("FLOWTAP_LAG_TOPICS_EXCLUDE").default(/^_/),
  FLOWTAP_CORRELATION_RULES: z.string().default(""),
  FLOWTAP_FLOWMAP: onOff.default("on"),
  FLOWTAP_FLOW_TYPES: z.string().transform((s, ctx) => {
    try {
      return parseFlowTypes(s);
    } catch (err) {
      ctx.addIssue({ code: "custom", message: (err as Error).message });
      return z.NEVER;
    }
  }).default([]),
  FLOWTAP_DLQ_PATTERN: regex("FLOWTAP_DLQ_PATTERN").optional(),
  FLOWTAP_VALUE_CAP_BYTES: intIn(1024, 16 * 1024 * 1024).default(65536),
  FLOWTAP_USERS_FILE: z.string().min(1).optional(),
  // Sign-in fails closed: no users, no start, unless open mode is asked for by name.
  FLOWTAP_AUTH: onOff.default("on"),
  FLOWTAP_TOKENS_FILE: z.string().min(1).optional(),
  FLOWTAP_ALLOWED_HOSTS: z.string().transform((s, ctx) => {
    try {
      return parseAllowedHosts(s);
    } catch (err) {
      ctx.addIssue({ code: "custom", message: (err as Error).message });
      return z.NEVER;
    }
  }).optional(),
  // 32 bytes: a shorter secret can be brute-forced offline from any viewer's own cookie.
  FLOWTAP_SESSION_SECRET: z.string().refine((s) => Buffer.byteLength(s, "utf8") >= 32, "must be at least 32 bytes (e.g. `openssl rand -base64 32`)").optional(),
  FLOWTAP_REPLAY_MAX_CYCLES: intIn(1, 100).default(3),
  FLOWTAP_REPLAY_TARGETS: regex("FLOWTAP_REPLAY_TARGETS").optional(),
  FLOWTAP_SECURE_COOKIES: onOff.default("off"),
  PORT: intIn(1, 65535).default(3000),
  SCHEMA_REGISTRY_URL: z
    .string()
    .transform((s) => s.split(",").map((u) => u.trim()).filter(Boolean))
    .refine((list) => list.length > 0 && list.every((u) => /^https?:\/\/[^\s,]+$/.test(u) && URL.canParse(u)), {
      message: "SCHEMA_REGISTRY_URL must be http(s)://host[:port][/path][,…]",
    })
    .optional(),
  SCHEMA_REGISTRY_USERNAME: z.string().min(1).optional(),
  SCHEMA_REGISTRY_PASSWORD: z.string().min(1).optional(),
  // Per registry request; with several URLs, each is tried within the batch's wait below.
  SCHEMA_REGISTRY_TIMEOUT_MS: intIn(100, 60_000).default(1500),
  // The longest one tap batch waits for schemas before indexing the rest as binary.
  FLOWTAP_DECODE_WAIT_MS: intIn(100, 60_000).default(2000),
  // How long a failed schema (unknown ID, registry away) and a failed registry URL are left alone.
  FLOWTAP_DECODE_RETRY_S: intIn(1, 3600).default(30),
});

export interface SchemaRegistryConfig {
  urls: string[];
  username: string | null;
  password: string | null;
  timeoutMs: number;
  waitMs: number;
  retryAfterMs: number;
}

export interface Config {
  kafka: {
    brokers: string[];
    clientId: string;
    ssl: boolean;
    sasl: { mechanism: "plain" | "scram-sha-256" | "scram-sha-512"; username: string; password: string } | null;
  };
  databaseUrl: string | null;
  dataDir: string;
  topicsInclude: RegExp;
  topicsExclude: RegExp;
  tapEnabled: boolean;
  tapGroup: string;
  topicRefreshMs: number;
  retentionDays: number;
  /** statement_timeout of every store connection (PostgreSQL; PGlite cannot enforce it). */
  statementTimeoutMs: number;
  stuckAfterMs: number;
  /** A tap with records waiting that indexed nothing for this long is "stalled" (health not ok). */
  stallAfterS: number;
  terminalEvents: RegExp;
  lagIntervalMs: number;
  lagEnabled: boolean;
  lagGroupsInclude: RegExp;
  lagGroupsExclude: RegExp;
  lagTopicsInclude: RegExp;
  lagTopicsExclude: RegExp;
  extract: ExtractConfig;
  /** The flow map the tap maintains: FLOWTAP_FLOWMAP, FLOWTAP_FLOW_TYPES. */
  flowmap: FlowmapOptions;
  usersFile: string;
  /** FLOWTAP_AUTH=off: reads need no sign-in (replay still needs an operator). */
  authOpen: boolean;
  /** API tokens when there is no DATABASE_URL (PGlite): a file beside the users file. */
  tokensFile: string;
  /** FLOWTAP_ALLOWED_HOSTS; null: the bind address and its loopback names (server/auth/hosts.ts). */
  allowedHosts: string[] | null;
  sessionSecret: string | null;
  replayMaxCycles: number;
  /** Topics a replay may write to; null: the default of server/replay/targets.ts. */
  replayTargets: RegExp | null;
  /** Mark the session cookie Secure (behind HTTPS). */
  secureCookies: boolean;
  port: number;
  /** SCHEMA_REGISTRY_URL and friends; null: no decoding of wire-format records at all. */
  schemaRegistry: SchemaRegistryConfig | null;
}

/** Parses an environment; throws ConfigError with one line naming the first bad variable. */
export function parseConfig(env: Record<string, string | undefined>): Config {
  // Empty strings count as unset, as shells and .env files produce them.
  const clean = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ""));
  const parsed = envSchema.safeParse(clean);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const name = String(issue.path[0] ?? "environment");
    throw new ConfigError(`Invalid configuration: ${name}: ${issue.message}`);
  }
  const e = parsed.data;
  let sasl: Config["kafka"]["sasl"] = null;
  if (e.KAFKA_SASL_MECHANISM) {
    if (!e.KAFKA_SASL_USERNAME) throw new ConfigError("Invalid configuration: KAFKA_SASL_USERNAME is required with KAFKA_SASL_MECHANISM");
    if (!e.KAFKA_SASL_PASSWORD) throw new ConfigError("Invalid configuration: KAFKA_SASL_PASSWORD is required with KAFKA_SASL_MECHANISM");
    sasl = { mechanism: e.KAFKA_SASL_MECHANISM, username: e.KAFKA_SASL_USERNAME, password: e.KAFKA_SASL_PASSWORD };
  }
  if ((e.SCHEMA_REGISTRY_USERNAME === undefined) !== (e.SCHEMA_REGISTRY_PASSWORD === undefined)) {
    throw new ConfigError("Invalid configuration: SCHEMA_REGISTRY_USERNAME and SCHEMA_REGISTRY_PASSWORD go together");
  }
  if (e.SCHEMA_REGISTRY_USERNAME !== undefined && e.SCHEMA_REGISTRY_URL === undefined) {
    throw new ConfigError("Invalid configuration: SCHEMA_REGISTRY_USERNAME is set but SCHEMA_REGISTRY_URL is not");
  }
  const extract = defaultExtractConfig();
  try {
    extract.correlationRules = parseFieldRules(e.FLOWTAP_CORRELATION_RULES);
  } catch (err) {
    throw new ConfigError(`Invalid configuration: FLOWTAP_CORRELATION_RULES: ${(err as Error).message}`);
  }
  if (e.FLOWTAP_DLQ_PATTERN) extract.dlqTopicPattern = e.FLOWTAP_DLQ_PATTERN;
  extract.valueCapBytes = e.FLOWTAP_VALUE_CAP_BYTES;
  return {
    kafka: {
      brokers: e.KAFKA_BROKERS,
      clientId: e.KAFKA_CLIENT_ID,
      ssl: ["true", "on", "1"].includes(e.KAFKA_SSL ?? "false"),
      sasl,
    },
    databaseUrl: e.DATABASE_URL ?? null,
    dataDir: e.FLOWTAP_DATA_DIR,
    topicsInclude: e.FLOWTAP_TOPICS_INCLUDE,
    topicsExclude: e.FLOWTAP_TOPICS_EXCLUDE,
    tapEnabled: e.FLOWTAP_TAP === "on",
    tapGroup: e.FLOWTAP_TAP_GROUP,
    topicRefreshMs: e.FLOWTAP_TOPIC_REFRESH_S * 1000,
    retentionDays: e.FLOWTAP_RETENTION_DAYS,
    statementTimeoutMs: e.FLOWTAP_STATEMENT_TIMEOUT_MS,
    stuckAfterMs: e.FLOWTAP_STUCK_AFTER_S * 1000,
    stallAfterS: e.FLOWTAP_STALL_AFTER_S,
    terminalEvents: e.FLOWTAP_TERMINAL_EVENTS,
    lagIntervalMs: e.FLOWTAP_LAG_INTERVAL_S * 1000,
    lagEnabled: e.FLOWTAP_LAG === "on",
    lagGroupsInclude: e.FLOWTAP_LAG_GROUPS_INCLUDE,
    lagGroupsExclude: e.FLOWTAP_LAG_GROUPS_EXCLUDE,
    lagTopicsInclude: e.FLOWTAP_LAG_TOPICS_INCLUDE,
    lagTopicsExclude: e.FLOWTAP_LAG_TOPICS_EXCLUDE,
    extract,
    flowmap: { enabled: e.FLOWTAP_FLOWMAP === "on", flowTypes: e.FLOWTAP_FLOW_TYPES, maxEvents: FLOWMAP_MAX_EVENTS },
    usersFile: e.FLOWTAP_USERS_FILE ?? join(e.FLOWTAP_DATA_DIR, "users.json"),
    authOpen: e.FLOWTAP_AUTH === "off",
    tokensFile: e.FLOWTAP_TOKENS_FILE ?? join(dirname(e.FLOWTAP_USERS_FILE ?? join(e.FLOWTAP_DATA_DIR, "users.json")), "tokens.json"),
    allowedHosts: e.FLOWTAP_ALLOWED_HOSTS ?? null,
    sessionSecret: e.FLOWTAP_SESSION_SECRET ?? null,
    replayMaxCycles: e.FLOWTAP_REPLAY_MAX_CYCLES,
    replayTargets: e.FLOWTAP_REPLAY_TARGETS ?? null,
    secureCookies: e.FLOWTAP_SECURE_COOKIES === "on",
    port: e.PORT,
    schemaRegistry: e.SCHEMA_REGISTRY_URL
      ? {
          urls: e.SCHEMA_REGISTRY_URL,
          username: e.SCHEMA_REGISTRY_USERNAME ?? null,
          password: e.SCHEMA_REGISTRY_PASSWORD ?? null,
          timeoutMs: e.SCHEMA_REGISTRY_TIMEOUT_MS,
          waitMs: e.FLOWTAP_DECODE_WAIT_MS,
          retryAfterMs: e.FLOWTAP_DECODE_RETRY_S * 1000,
        }
      : null,
  };
}

let cached: Config | undefined;

/** The process's configuration, parsed from process.env on first use. */
export function getConfig(): Config {
  cached ??= parseConfig(process.env);
  return cached;
}
