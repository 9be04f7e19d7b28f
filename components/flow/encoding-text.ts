// How a Schema Registry record is named in the detail panels: one line for its encoding, and the
// decode stage's reasons in plain words. Pure, so unit-tested (tests/unit/decode-read-text.test.ts).
import type { SchemaEncoding } from "@/server/extract/types";

const FORMAT: Record<SchemaEncoding["format"], string> = { avro: "Avro", protobuf: "Protobuf", "json-schema": "JSON Schema" };

/** "Avro · schema 42 · orders-value v3", with what is known; Protobuf adds its message type. */
export function encodingLine(e: SchemaEncoding): string {
  const parts = [FORMAT[e.format] ?? e.format];
  if (e.schemaGuid !== undefined) parts.push(`schema ${e.schemaGuid}`);
  else if (e.schemaId !== undefined) parts.push(e.idSource === "apicurio-global-id" ? `global ID ${e.schemaId}` : `schema ${e.schemaId}`);
  if (e.subject !== undefined) parts.push(e.version !== undefined ? `${e.subject} v${e.version}` : e.subject);
  if (e.messageType !== undefined) parts.push(e.messageType);
  return parts.join(" · ");
}

const seconds = (ms: string) => `${Number(ms) / 1000} s`;

/** One side's reason ("schema ID 42: …") as a sentence an on-call engineer reads at a glance. */
function plainSide(text: string): string {
  const m = /^((?:schema ID|schema GUID|Apicurio globalId) [^:]+): (.*)$/s.exec(text);
  const ref = m?.[1];
  const why = m?.[2] ?? text;
  const slow = /did not answer within (\d+) ms|no answer within (\d+) ms/.exec(why);
  if (slow) return `schema registry did not answer in ${seconds(slow[1] ?? slow[2]!)}${ref ? ` (${ref})` : ""}`;
  if (/^not in the registry/.test(why) && ref) return `the schema registry does not know ${ref}`;
  const away = /^schema registry unavailable: (.*)$/s.exec(why);
  if (away) return `schema registry unreachable (${away[1]})${ref ? ` for ${ref}` : ""}`;
  return text;
}

/** "not decoded: schema registry did not answer in 2 s (schema ID 42)"; a key's reason keeps its "key:". */
export function decodeErrorText(error: string): string {
  const sides = error.split(/; (?=key: )/);
  return `not decoded: ${sides.map((s) => (s.startsWith("key: ") ? `key: ${plainSide(s.slice(5))}` : plainSide(s))).join("; ")}`;
}
