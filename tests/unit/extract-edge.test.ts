import assert from "node:assert/strict";
import { describe, test } from "node:test";
import {
  defaultExtractConfig, extractRecord, parseFieldRules,
  type ExtractConfig, type ExtractedRecord, type RawHeaderValue, type RawRecord,
} from "../../server/extract";
import { parseB3, parseB3TraceId, parseTraceparent } from "../../server/extract/trace";

const utf8 = (s: string): Uint8Array => Buffer.from(s, "utf8");
const json = (v: unknown): Uint8Array => utf8(JSON.stringify(v));

function rec(over: Partial<RawRecord> = {}): RawRecord {
  return { topic: "orders.created", partition: 0, offset: "7", timestamp: "1777110759000", key: null, headers: {}, value: null, ...over };
}

/** What the index shows of the record's value. */
const shown = (r: ExtractedRecord): unknown => JSON.parse(r.valueJson);

function extract(over: Partial<RawRecord>, config: Partial<ExtractConfig> = {}): ExtractedRecord {
  return extractRecord(rec(over), { ...defaultExtractConfig(), ...config });
}

/** True when a string would be rejected by PostgreSQL text/jsonb. */
function unsafe(s: string): boolean {
  return /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(s);
}

describe("value decoding", () => {
  test("2 MB JSON is truncated on a character boundary and still yields the id at its end", () => {
    const filler = "é€😀x".repeat(200_000);
    const text = JSON.stringify({ filler, correlationId: "corr-at-the-end" });
    assert.ok(Buffer.byteLength(text) > 2_000_000);
    const out = extract({ value: utf8(text) });
    assert.equal(out.correlationId, "corr-at-the-end");
    assert.equal(out.valueKind, "json");
    assert.equal(out.valueTruncated, true);
    assert.equal(out.size, Buffer.byteLength(text));
    assert.equal(typeof shown(out), "string");
    const prefix = shown(out) as string;
    assert.ok(Buffer.byteLength(prefix) <= 65536 && Buffer.byteLength(prefix) > 65530, `${Buffer.byteLength(prefix)} bytes`);
    assert.ok(text.startsWith(prefix));
    assert.ok(!prefix.includes("\ufffd") && !unsafe(prefix));
  });

  const deep = (n: number, open: string, close: string): string => open.repeat(n) + close.repeat(n);
  const nesting: Array<{ name: string; text: string; kind: string }> = [
    { name: "100,000 nested arrays", text: deep(100_000, "[", "]"), kind: "text" },
    { name: "100,000 nested objects", text: deep(100_000, '{"a":', "}").replace(/:}/, ":1}"), kind: "text" },
    { name: "100,000 unclosed brackets", text: "[".repeat(100_000), kind: "text" },
    { name: "depth 64 is JSON", text: deep(64, "[", "]"), kind: "json" },
    { name: "depth 65 is text", text: deep(65, "[", "]"), kind: "text" },
    { name: "brackets inside strings do not count", text: JSON.stringify({ s: "[".repeat(1000) + '\\"{' }), kind: "json" },
  ];
  for (const c of nesting) {
    test(`nesting: ${c.name}`, () => {
      const out = extract({ value: utf8(c.text) });
      assert.equal(out.valueKind, c.kind);
      if (c.kind === "text") assert.equal(typeof shown(out), "string");
    });
  }

  const kinds: Array<{ name: string; value: Uint8Array | null; kind: string; shown: unknown; truncated?: boolean }> = [
    { name: "null is a tombstone", value: null, kind: "null", shown: null },
    { name: "invalid UTF-8", value: Uint8Array.of(0xff, 0xfe, 0x41), kind: "binary", shown: { base64: "//5B" } },
    { name: "overlong NUL encoding", value: Uint8Array.of(0xc0, 0x80), kind: "binary", shown: { base64: "wIA=" } },
    { name: "UTF-8-encoded lone surrogate", value: Uint8Array.of(0x22, 0xed, 0xa0, 0x80, 0x22), kind: "binary", shown: { base64: "Iu2ggCI=" } },
    { name: "raw NUL in otherwise valid UTF-8", value: utf8('{"a":"x\u0000y"}'), kind: "binary", shown: { base64: "eyJhIjoieAB5In0=" } },
    { name: "plain text", value: utf8("hello world"), kind: "text", shown: "hello world" },
    { name: "text that starts like JSON", value: utf8("123abc"), kind: "text", shown: "123abc" },
    { name: "JSON literal", value: utf8(" true"), kind: "json", shown: true },
    { name: "JSON number", value: utf8("-12.5"), kind: "json", shown: -12.5 },
    { name: "JSON null is not a tombstone", value: utf8("null"), kind: "json", shown: null },
    { name: "empty value", value: new Uint8Array(0), kind: "text", shown: "" },
    { name: "binary over the cap", value: new Uint8Array(10).fill(0xff), kind: "binary", shown: { base64: "////" }, truncated: true },
    { name: "text over the cap", value: utf8("abcdefgh"), kind: "text", shown: "abc", truncated: true },
    { name: "multi-byte text over the cap cuts before the character", value: utf8("ab€"), kind: "text", shown: "ab", truncated: true },
  ];
  for (const c of kinds) {
    test(`kind: ${c.name}`, () => {
      const cap = c.truncated ? { valueCapBytes: 3 } : {};
      const out = extract({ value: c.value }, cap);
      assert.equal(out.valueKind, c.kind);
      assert.deepEqual(shown(out), c.shown);
      assert.equal(out.valueTruncated, c.truncated ?? false);
      assert.equal(out.tombstone, c.value === null);
      assert.equal(out.size, c.value?.length ?? 0);
    });
  }
});

describe("stored JSON text", () => {
  test("a JSON payload is stored as sent: key order, spacing and repeated keys kept", () => {
    const text = ' { "z": 1,  "a": {"b" : [1, 2.50]}, "z": 2 }\n';
    const out = extract({ value: utf8(text) });
    assert.equal(out.valueKind, "json");
    assert.equal(out.valueJson, text);
    assert.deepEqual(shown(out), { z: 2, a: { b: [1, 2.5] } });
  });

  test("a payload whose escapes need cleaning is stored cleaned, not as sent", () => {
    const out = extract({ value: utf8('{"a":"x\\u0000y","b":"\\ud800"}') });
    assert.equal(out.valueJson, '{"a":"x\ufffdy","b":"\ufffd"}');
    assert.ok(!unsafe(out.valueJson));
  });

  test("text, binary and truncated payloads are stored as JSON strings or objects", () => {
    assert.equal(extract({ value: utf8('say "hi"') }).valueJson, '"say \\"hi\\""');
    assert.equal(extract({ value: Uint8Array.of(0xff) }).valueJson, '{"base64":"/w=="}');
    assert.equal(extract({ value: utf8('{"a":"bcdef"}') }, { valueCapBytes: 4 }).valueJson, '"{\\"a\\""');
    assert.equal(extract({ value: null }).valueJson, "null");
  });
});

describe("PostgreSQL-safe strings", () => {
  test("NUL and lone surrogates from JSON escapes become U+FFFD; pairs survive", () => {
    const text = '{"note":"a\\u0000b","correlationId":"c\\u0000d","s":"\\ud800","t":"x\\udc00","ok":"\\ud83d\\ude00","k\\u0000":["\\udbff"]}';
    const out = extract({ value: utf8(text) });
    assert.equal(out.valueKind, "json");
    assert.deepEqual(shown(out), { note: "a\ufffdb", correlationId: "c\ufffdd", s: "\ufffd", t: "x\ufffd", ok: "😀", "k\ufffd": ["\ufffd"] });
    assert.equal(out.correlationId, "c\ufffdd");
  });

  test("renaming a key keeps a __proto__ key an own property", () => {
    const out = extract({ value: utf8('{"a\\u0000":1,"__proto__":{"polluted":true}}') });
    const value = shown(out) as Record<string, unknown>;
    assert.equal(Object.getPrototypeOf(value), Object.prototype);
    assert.deepEqual(Object.keys(value), ["a\ufffd", "__proto__"]);
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
  });

  test("header names and string header values are sanitized", () => {
    const out = extract({ headers: { "x-a\ud800": "v\udc00", "x-nul": "a\u0000b" } });
    assert.deepEqual(out.headers, { "x-a\ufffd": "v\ufffd", "x-nul": { base64: "YQBi" } });
  });

  test("a deep JSON escape payload inside the depth limit is fully sanitized", () => {
    const text = "[".repeat(60) + '"\\u0000"' + "]".repeat(60);
    let node: unknown = shown(extract({ value: utf8(text) }));
    while (Array.isArray(node)) node = node[0];
    assert.equal(node, "\ufffd");
  });
});

describe("identifiers", () => {
  test("a 10,000-character correlation id is cut to 512", () => {
    const long = "c".repeat(10_000);
    assert.equal(extract({ headers: { "x-correlation-id": utf8(long) } }).correlationId, "c".repeat(512));
    assert.equal(extract({ value: json({ correlationId: long }) }).correlationId?.length, 512);
  });

  test("the cut never leaves half a surrogate pair", () => {
    const out = extract({ headers: { "x-correlation-id": utf8("a".repeat(511) + "😀") } });
    assert.equal(out.correlationId, "a".repeat(511));
  });

  test("idMaxChars applies to key, ids, type and service", () => {
    const out = extract(
      { key: utf8("key-123456"), headers: { "ce_type": utf8("type-123456"), "x-service": utf8("svc-123456") }, value: json({ id: "event-123456" }) },
      { idMaxChars: 5 },
    );
    assert.deepEqual([out.key, out.eventType, out.service, out.eventId], ["key-1", "type-", "svc-1", "event"]);
  });

  const corr: Array<{ name: string; headers?: Record<string, RawHeaderValue>; value?: unknown; expected: string | null }> = [
    { name: "header beats payload", headers: { "Correlation-Id": utf8("h") }, value: { correlationId: "p" }, expected: "h" },
    { name: "header order", headers: { correlationId: utf8("4"), correlation_id: utf8("3"), "correlation-id": utf8("2") }, expected: "2" },
    { name: "number becomes a string", value: { correlation_id: 55 }, expected: "55" },
    { name: "booleans, objects and blanks are skipped", value: { correlationId: true, correlation_id: { x: 1 }, $correlationId: " ", meta: { correlation_id: "m-1" } }, expected: "m-1" },
    { name: "under payload", value: { event: "quote.created", payload: { correlationId: "lv" } }, expected: "lv" },
    { name: "under data", value: { data: { metadata: { correlationId: "d" } } }, expected: "d" },
    { name: "root before wrappers", value: { data: { correlationId: "d" }, $correlationId: "r" }, expected: "r" },
    { name: "CloudEvents binary extension", headers: { ce_correlationid: utf8("ce") }, expected: "ce" },
    { name: "binary header is not an id", headers: { "x-correlation-id": Uint8Array.of(0xff, 0x00) }, value: { correlationId: "p" }, expected: "p" },
    { name: "repeated header, last wins", headers: { "x-correlation-id": [utf8("old"), utf8("new")] }, expected: "new" },
    { name: "repeated header ending in null has no value", headers: { "x-correlation-id": [utf8("old"), null], correlation_id: utf8("next") }, expected: "next" },
    { name: "undefined header is absent", headers: { "x-correlation-id": undefined }, expected: null },
    { name: "kafkajs string header", headers: { "X-Correlation-Id": "str" }, expected: "str" },
    { name: "kafka_correlationId UUID bytes", headers: { kafka_correlationId: Buffer.from("0e8a3f1c58d44c8b9a643c1e2f4d5a6b", "hex") }, expected: "0e8a3f1c-58d4-4c8b-9a64-3c1e2f4d5a6b" },
    { name: "kafka_correlationId printable 16 chars", headers: { kafka_correlationId: utf8("abcdefghijklmnop") }, expected: "abcdefghijklmnop" },
    { name: "kafka_correlationId NestJS string", headers: { kafka_correlationId: utf8("nest-1") }, expected: "nest-1" },
    { name: "kafka_correlationId other binary", headers: { kafka_correlationId: Uint8Array.of(0xff, 1, 2) }, expected: null },
  ];
  for (const c of corr) {
    test(`correlation: ${c.name}`, () => {
      const out = extract({ headers: c.headers ?? {}, value: c.value === undefined ? null : json(c.value) });
      assert.equal(out.correlationId, c.expected);
      assert.equal(out.correlationFromTrace, false);
    });
  }

  test("CloudEvents structured extension only counts in structured mode", () => {
    const value = json({ specversion: "1.0", id: "1", correlationid: "ext", dataschema: "https://x/order/v7" });
    const ce = extract({ headers: { "Content-Type": utf8("Application/CloudEvents+json") }, value });
    assert.deepEqual([ce.correlationId, ce.eventVersion], ["ext", "7"]);
    const plain = extract({ headers: { "content-type": utf8("application/json") }, value });
    assert.deepEqual([plain.correlationId, plain.eventVersion], [null, null]);
  });

  const others: Array<{ name: string; over: Partial<RawRecord>; field: keyof ExtractedRecord; expected: string | null }> = [
    { name: "event id from Debezium outbox header", over: { headers: { id: utf8("dbz-1") } }, field: "eventId", expected: "dbz-1" },
    { name: "event id: explicit eventId beats bare id", over: { value: json({ id: 9, metadata: { eventId: "e-1" } }) }, field: "eventId", expected: "e-1" },
    { name: "event id: numeric id", over: { value: json({ id: 55 }) }, field: "eventId", expected: "55" },
    { name: "event id under Laravel event", over: { value: json({ event: { messageId: "m-1" } }) }, field: "eventId", expected: "m-1" },
    { name: "event type: header beats payload", over: { headers: { eventType: utf8("H") }, value: json({ type: "P" }) }, field: "eventType", expected: "H" },
    { name: "event type: event_type beats type", over: { value: json({ type: "T", eventType: "E" }) }, field: "eventType", expected: "E" },
    { name: "event type: Laravel event string", over: { value: json({ event: "quote.created" }) }, field: "eventType", expected: "quote.created" },
    { name: "version: number", over: { value: json({ eventVersion: 3 }) }, field: "eventVersion", expected: "3" },
    { name: "version: ce_dataschema /v3", over: { headers: { ce_dataschema: utf8("https://example.com/schemas/order/v3") } }, field: "eventVersion", expected: "3" },
    { name: "version: ce_dataschema -3", over: { headers: { ce_dataschema: utf8("urn:order-created-3") } }, field: "eventVersion", expected: "3" },
    { name: "version: ce_dataschema file", over: { headers: { ce_dataschema: utf8("https://x/order.v2.json") } }, field: "eventVersion", expected: "2" },
    { name: "version: ce_dataschema without one", over: { headers: { ce_dataschema: utf8("https://x/order") } }, field: "eventVersion", expected: null },
    { name: "service: header order", over: { headers: { source: utf8("4"), service: utf8("3"), "x-service": utf8("2") } }, field: "service", expected: "2" },
    { name: "service: payload source", over: { value: json({ source: "billing" }) }, field: "service", expected: "billing" },
    { name: "service: Debezium source object is skipped", over: { topic: "db.inventory.orders", value: json({ source: { db: "x" } }) }, field: "service", expected: "db" },
    { name: "service: dotless topic", over: { topic: "telemetry" }, field: "service", expected: "telemetry" },
    { name: "causation: payload beats header", over: { headers: { "x-causation-id": utf8("h") }, value: json({ causation_id: "p" }) }, field: "causationId", expected: "p" },
    { name: "causation: header beats traceparent", over: { headers: { "x-causation-id": utf8("h"), traceparent: utf8("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01") } }, field: "causationId", expected: "h" },
    { name: "causation: b3 span is not a parent", over: { headers: { b3: utf8("4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-1-1111111111111111") } }, field: "causationId", expected: null },
    { name: "key: text", over: { key: utf8("k-1") }, field: "key", expected: "k-1" },
    { name: "key: binary is base64", over: { key: Uint8Array.of(0, 1, 0xff) }, field: "key", expected: "AAH/" },
    { name: "timestamp: valid", over: { timestamp: "1777110759000" }, field: "timestamp", expected: "2026-04-25T09:52:39.000Z" },
    { name: "timestamp: garbage", over: { timestamp: "soon" }, field: "timestamp", expected: "1970-01-01T00:00:00.000Z" },
    { name: "timestamp: Kafka's -1", over: { timestamp: "-1" }, field: "timestamp", expected: "1970-01-01T00:00:00.000Z" },
    { name: "timestamp: out of Date range", over: { timestamp: "9e20" }, field: "timestamp", expected: "1970-01-01T00:00:00.000Z" },
  ];
  for (const c of others) {
    test(`${c.field}: ${c.name}`, () => assert.equal(extract(c.over)[c.field], c.expected));
  }

  test("binary key is capped in whole base64 quanta", () => {
    const out = extract({ key: new Uint8Array(1000).fill(0xff) }, { idMaxChars: 10 });
    assert.deepEqual([out.key, out.keyBinary], ["////////", true]);
  });
});

describe("headers", () => {
  test("names kept as sent, values text or base64, last repeat wins, nulls dropped", () => {
    const out = extract({
      headers: { "X-Trace": [utf8("a"), utf8("b")], bin: Uint8Array.of(0xc3, 0x28), nul: Uint8Array.of(0x61, 0), gone: null, ["__proto__"]: utf8("p") },
    });
    assert.deepEqual(Object.keys(out.headers), ["X-Trace", "bin", "nul", "__proto__"]);
    assert.deepEqual(out.headers["X-Trace"], "b");
    assert.deepEqual(out.headers.bin, { base64: "wyg=" });
    assert.deepEqual(out.headers.nul, { base64: "YQA=" });
    assert.equal(Object.getPrototypeOf(out.headers), Object.prototype);
  });
});

describe("trace context", () => {
  const id = "4bf92f3577b34da6a3ce929d0e0e4736";
  const parent = "00f067aa0ba902b7";
  const traceparents: Array<[string, string | null]> = [
    [`00-${id}-${parent}-01`, id],
    [`  00-${id.toUpperCase()}-${parent}-01 `, id],
    [`01-${id}-${parent}-01-future-field`, id],
    [`00-${id}-${parent}-01-extra`, null],
    [`ff-${id}-${parent}-01`, null],
    [`00-${"0".repeat(32)}-${parent}-01`, null],
    [`00-${id}-${"0".repeat(16)}-01`, null],
    [`00-${id.slice(1)}-${parent}-01`, null],
    [`00-${id}-${parent}`, null],
    [`00-${id.replace("b", "g")}-${parent}-01`, null],
    [`00_${id}_${parent}_01`, null],
    ["", null],
  ];
  for (const [value, expected] of traceparents) {
    test(`traceparent ${JSON.stringify(value)}`, () => {
      const parsed = parseTraceparent(value);
      assert.equal(parsed?.traceId ?? null, expected);
      if (expected !== null) assert.equal(parsed?.parentId, parent);
    });
  }

  const b3: Array<[string, string | null]> = [
    [`${id}-${parent}`, id],
    [`${id}-${parent}-1`, id],
    [`${id}-${parent}-d-1111111111111111`, id],
    [`${parent}-${parent}-0`, parent],
    [`${id.toUpperCase()}-${parent}`, id],
    ["0", null], ["1", null], ["d", null],
    [id, null],
    [`${id}-${parent}-x`, null],
    [`${"0".repeat(32)}-${parent}`, null],
    [`${id.slice(2)}-${parent}`, null],
  ];
  for (const [value, expected] of b3) {
    test(`b3 ${JSON.stringify(value)}`, () => assert.equal(parseB3(value), expected));
  }

  const xb3: Array<[string, string | null]> = [[id, id], [parent.toUpperCase(), parent], ["0".repeat(16), null], ["xyz", null]];
  for (const [value, expected] of xb3) {
    test(`X-B3-TraceId ${JSON.stringify(value)}`, () => assert.equal(parseB3TraceId(value), expected));
  }

  test("an invalid traceparent falls through to b3, then X-B3-TraceId", () => {
    const a = extract({ headers: { traceparent: utf8("garbage"), b3: utf8(`${id}-${parent}`) } });
    assert.deepEqual([a.traceId, a.correlationId, a.correlationFromTrace, a.causationId], [id, id, true, null]);
    const b = extract({ headers: { b3: utf8("1"), "X-B3-TraceId": utf8(parent) } });
    assert.equal(b.traceId, parent);
  });

  test("a correlation id wins over the trace id", () => {
    const out = extract({ headers: { traceparent: utf8(`00-${id}-${parent}-01`), "x-correlation-id": utf8("c") } });
    assert.deepEqual([out.correlationId, out.correlationFromTrace, out.traceId], ["c", false, id]);
  });
});

describe("field rules", () => {
  const good: Array<[string, unknown]> = [
    ["", []],
    ["   ", []],
    ["header:x-my-corr,path:body.ctx.cid", [{ header: "x-my-corr" }, { path: "body.ctx.cid" }]],
    [" HEADER : X-Corr , Path:items.0.id ", [{ header: "X-Corr" }, { path: "items.0.id" }]],
  ];
  for (const [text, expected] of good) {
    test(`parses ${JSON.stringify(text)}`, () => assert.deepEqual(parseFieldRules(text), expected));
  }

  const bad: Array<[string, RegExp]> = [
    ["x-my-corr", /rule 1 \("x-my-corr"\)/],
    ["header:", /missing the header name/],
    ["path:  ", /missing the path/],
    ["path:a..b", /segments must not be empty/],
    ["path:.a", /segments must not be empty/],
    ["header:a,,path:b", /Empty rule at position 2/],
    ["header:a,", /Empty rule at position 2/],
    ["xpath:a", /expected "header:<name>" or "path:<dotted.path>"/],
  ];
  for (const [text, message] of bad) {
    test(`rejects ${JSON.stringify(text)}`, () => assert.throws(() => parseFieldRules(text), message));
  }

  test("custom rules run before the conventions, in order, and fall through", () => {
    const headers = { "X-Correlation-Id": utf8("conv"), "X-My-Corr": utf8("mine") };
    const value = json({ body: { ctx: { cid: "deep" } }, items: [{ id: 7 }] });
    const run = (rules: string) => extract({ headers, value }, { correlationRules: parseFieldRules(rules) }).correlationId;
    assert.equal(run("header:x-my-corr,path:body.ctx.cid"), "mine");
    assert.equal(run("path:body.ctx.cid,header:x-my-corr"), "deep");
    assert.equal(run("path:items.0.id"), "7");
    assert.equal(run("header:absent,path:body.nope,path:__proto__.constructor"), "conv");
  });

  test("every rule list is honoured", () => {
    const out = extract(
      { headers: { "x-c": utf8("cause"), "x-e": utf8("eid"), "x-t": utf8("type"), "x-s": utf8("svc") }, value: json({ eventId: "conv", type: "conv" }) },
      {
        causationRules: [{ header: "X-C" }], eventIdRules: [{ header: "x-e" }],
        eventTypeRules: [{ header: "x-t" }], serviceRules: [{ header: "x-s" }],
      },
    );
    assert.deepEqual([out.causationId, out.eventId, out.eventType, out.service], ["cause", "eid", "type", "svc"]);
  });
});
