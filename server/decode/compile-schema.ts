// A registry answer (schema text, type, references) → a Codec. References are fetched through
// the same source, depth-first, so a reference's own references come first.
import type { SchemaFormat } from "../extract/types";
import { compileAvro } from "./avro";
import { toJsonValue } from "./json-value";
import { compileProtobuf } from "./protobuf";
import type { Codec, RegistrySchema, SchemaSource } from "./types";
import { DecodeFailure } from "./wire";

const strictUtf8 = new TextDecoder("utf-8", { fatal: true });

/** References deeper or more numerous than this are not a schema but a loop. */
const MAX_REFERENCES = 200;

function formatOf(schemaType: string | undefined): SchemaFormat {
  switch ((schemaType ?? "AVRO").toUpperCase()) {
    case "AVRO":
      return "avro";
    case "PROTOBUF":
      return "protobuf";
    case "JSON":
      return "json-schema";
    default:
      throw new Error(`schema type ${schemaType} is not Avro, Protobuf or JSON`);
  }
}

/** Every reference below `schema`, dependencies before dependants, by import name. */
async function referencesOf(source: SchemaSource, schema: RegistrySchema): Promise<Array<[string, string]>> {
  const out = new Map<string, string>();
  const visit = async (s: RegistrySchema, depth: number): Promise<void> => {
    for (const ref of s.references ?? []) {
      if (out.has(ref.name)) continue;
      if (depth > 20 || out.size >= MAX_REFERENCES) throw new Error("schema references nest too deep");
      const dep = await source.subjectVersion(ref.subject, ref.version);
      await visit(dep, depth + 1);
      out.set(ref.name, dep.schema);
    }
  };
  await visit(schema, 0);
  return [...out];
}

export async function compileSchema(source: SchemaSource, schema: RegistrySchema, maxDepth: number): Promise<Omit<Codec, "subject" | "version">> {
  const format = formatOf(schema.schemaType);
  const refs = schema.references?.length ? await referencesOf(source, schema) : [];
  if (format === "avro") {
    const avro = compileAvro(schema.schema, refs.map(([, text]) => text));
    return {
      format,
      decode: (side) => {
        const raw = side.avroJson ? (JSON.parse(strictUtf8.decode(side.body)) as unknown) : avro.decodeBinary(side.body);
        return { value: toJsonValue(raw, maxDepth) };
      },
    };
  }
  if (format === "protobuf") {
    const proto = compileProtobuf(schema.schema, new Map(refs));
    return { format, decode: (side) => proto.decode(side.body, { indexes: side.headerIndexes, apicurio: side.apicurio, typeName: side.protobufType }) };
  }
  // JSON Schema: the value is JSON text. Not validated against the schema: an inspector shows
  // what was sent, and a payload that breaks its schema is exactly what an engineer must see.
  return {
    format,
    decode: (side) => {
      let text: string;
      try {
        text = strictUtf8.decode(side.body);
      } catch {
        throw new DecodeFailure("JSON Schema value is not UTF-8");
      }
      return { value: toJsonValue(JSON.parse(text) as unknown, maxDepth) };
    },
  };
}
