// Identifier lookups, each in the order of KAFKA-CONVENTIONS.md, after the team's own rules.
// Results are raw: the caller caps and sanitizes them.

import { uuidFromBytes } from "./bytes";
import { headerText, type HeaderIndex } from "./headers";
import { asObject, getPath, ownField, splitPath, type JsonObject } from "./json-path";
import type { FieldRule } from "./types";

export interface LookupContext {
  headers: HeaderIndex;
  /** The parsed value (undefined when it is not JSON); path rules start here. */
  value: unknown;
  /** The parsed value when it is a JSON object. */
  root: JsonObject | null;
  /** CloudEvents structured mode: the attributes are top-level fields of `root`. */
  cloudEvent: boolean;
}

type Path = readonly string[];

const NON_BLANK = /\S/;

/** Strings and numbers can be identifiers; objects, arrays, booleans and blanks cannot. */
function jsonId(v: unknown): string | null {
  if (typeof v === "string") return NON_BLANK.test(v) ? v : null;
  if (typeof v === "number" && Number.isFinite(v)) return String(v);
  return null;
}

function firstHeader(headers: HeaderIndex, lowerNames: readonly string[]): string | null {
  for (const name of lowerNames) {
    const text = headerText(headers, name);
    if (text !== null && NON_BLANK.test(text)) return text;
  }
  return null;
}

function firstPath(containers: readonly JsonObject[], paths: readonly Path[]): string | null {
  for (const container of containers) {
    for (const path of paths) {
      const id = jsonId(getPath(container, path));
      if (id !== null) return id;
    }
  }
  return null;
}

/** `root` followed by those of its `keys` that hold objects. */
function containers(root: JsonObject | null, keys: readonly string[]): JsonObject[] {
  if (root === null) return [];
  const found = [root];
  for (const key of keys) {
    const obj = asObject(ownField(root, key));
    if (obj !== null) found.push(obj);
  }
  return found;
}

function fromRules(ctx: LookupContext, rules: readonly FieldRule[]): string | null {
  for (const rule of rules) {
    if ("header" in rule) {
      const id = firstHeader(ctx.headers, [rule.header.toLowerCase()]);
      if (id !== null) return id;
      continue;
    }
    const segments = splitPath(rule.path);
    const id = segments === null ? null : jsonId(getPath(ctx.value, segments));
    if (id !== null) return id;
  }
  return null;
}

/** A structured-mode CloudEvents attribute. */
function ceAttribute(ctx: LookupContext, name: string): string | null {
  return ctx.cloudEvent && ctx.root !== null ? jsonId(ownField(ctx.root, name)) : null;
}

const PRINTABLE = /^[^\u0000-\u001f\u007f]+$/;

/** Spring's ReplyingKafkaTemplate sends 16 raw UUID bytes; NestJS sends a string. */
function springCorrelationId(headers: HeaderIndex): string | null {
  const entry = headers.byName.get("kafka_correlationid");
  if (entry === undefined) return null;
  const printable = entry.text !== null && PRINTABLE.test(entry.text);
  if (!printable && typeof entry.raw !== "string" && entry.raw.length === 16) return uuidFromBytes(entry.raw);
  return entry.text !== null && NON_BLANK.test(entry.text) ? entry.text : null;
}

const CORRELATION_HEADERS = ["x-correlation-id", "correlation-id", "correlation_id", "correlationid"];
// The table's paths first, then the other spelling under metadata/meta.
const CORRELATION_PATHS: Path[] = [
  ["correlationId"], ["correlation_id"], ["metadata", "correlationId"], ["meta", "correlation_id"],
  ["$correlationId"], ["metadata", "correlation_id"], ["meta", "correlationId"],
];
const WRAPPERS = ["event", "payload", "data"];

export function findCorrelationId(ctx: LookupContext, rules: readonly FieldRule[]): string | null {
  return (
    fromRules(ctx, rules) ??
    firstHeader(ctx.headers, CORRELATION_HEADERS) ??
    springCorrelationId(ctx.headers) ??
    firstPath(containers(ctx.root, WRAPPERS), CORRELATION_PATHS) ??
    firstHeader(ctx.headers, ["ce_correlationid"]) ??
    ceAttribute(ctx, "correlationid")
  );
}

const CAUSATION_PATHS: Path[] = [
  ["causationId"], ["causation_id"], ["$causationId"],
  ["metadata", "causationId"], ["metadata", "causation_id"], ["meta", "causationId"], ["meta", "causation_id"],
];

export function findCausationId(ctx: LookupContext, rules: readonly FieldRule[], traceParentId: string | null): string | null {
  return (
    fromRules(ctx, rules) ??
    firstPath(containers(ctx.root, WRAPPERS), CAUSATION_PATHS) ??
    firstHeader(ctx.headers, ["x-causation-id"]) ??
    traceParentId
  );
}

// Explicit event-id fields anywhere in the envelope beat a bare `id`, which is often the entity's.
const EVENT_ID_PATHS: Path[] = [
  ["eventId"], ["event_id"], ["metadata", "eventId"], ["metadata", "event_id"], ["meta", "eventId"], ["meta", "event_id"],
  ["id"], ["messageId"], ["metadata", "id"], ["metadata", "messageId"],
];

export function findEventId(ctx: LookupContext, rules: readonly FieldRule[]): string | null {
  return (
    fromRules(ctx, rules) ??
    firstHeader(ctx.headers, ["ce_id", "id"]) ??
    firstPath(containers(ctx.root, ["event"]), EVENT_ID_PATHS)
  );
}

const EVENT_TYPE_PATHS: Path[] = [["event_type"], ["eventType"], ["type"]];

export function findEventType(ctx: LookupContext, rules: readonly FieldRule[]): string | null {
  const laravelEvent = ctx.root === null ? undefined : ownField(ctx.root, "event");
  return (
    fromRules(ctx, rules) ??
    firstHeader(ctx.headers, ["ce_type", "event_type", "eventtype"]) ??
    firstPath(containers(ctx.root, ["event"]), EVENT_TYPE_PATHS) ??
    (typeof laravelEvent === "string" ? jsonId(laravelEvent) : null)
  );
}

const VERSION_PATHS: Path[] = [
  ["event_version"], ["eventVersion"], ["version"], ["metadata", "event_version"], ["metadata", "eventVersion"],
];
const SCHEMA_FILE_EXT = /\.(?:json|avsc|proto|ya?ml|xsd)$/i;
const TRAILING_VERSION = /(?:^|[^a-z0-9])v?(\d+(?:\.\d+)*)$/i;

/** The trailing version token of a schema URI: ".../v3" → "3", "order-created-3" → "3", ".../1.2" → "1.2". */
function versionFromSchema(uri: string): string | null {
  // The token is at the end; a bounded tail keeps the regex cheap on hostile input.
  const tail = uri.slice(-256).replace(/\/+$/, "").replace(SCHEMA_FILE_EXT, "");
  return TRAILING_VERSION.exec(tail)?.[1] ?? null;
}

function schemaVersion(uri: string | null): string | null {
  return uri === null ? null : versionFromSchema(uri);
}

export function findEventVersion(ctx: LookupContext): string | null {
  return (
    firstPath(containers(ctx.root, ["event"]), VERSION_PATHS) ??
    schemaVersion(firstHeader(ctx.headers, ["ce_dataschema"])) ??
    schemaVersion(ceAttribute(ctx, "dataschema"))
  );
}

const SERVICE_PATHS: Path[] = [["source"], ["service"], ["metadata", "source"], ["metadata", "service"]];

export function findService(ctx: LookupContext, rules: readonly FieldRule[], topic: string): string | null {
  return (
    fromRules(ctx, rules) ??
    firstHeader(ctx.headers, ["ce_source", "x-service", "service", "source"]) ??
    firstPath(containers(ctx.root, []), SERVICE_PATHS) ??
    (topic.split(".", 1)[0] || topic || null)
  );
}
