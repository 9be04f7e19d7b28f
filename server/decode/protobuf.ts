// Protobuf writer schemas (.proto text from the registry) → decoders (protobufjs). The wire
// format's message indexes pick the type: [1] is the file's second top-level message, [0, 2] the
// third message nested in the first. Only message types count, in declaration order, as
// Confluent's serializers number them. Imports are the schema's references (fetched by the
// caller) or protobufjs's bundled well-known types.
import protobuf from "protobufjs";
import { messageJson } from "./protobuf-json";
import { DecodeFailure, readIndexes } from "./wire";

const PARSE = { keepCase: true };

function messagesOf(ns: protobuf.NamespaceBase): protobuf.Type[] {
  return ns.nestedArray.filter((n): n is protobuf.Type => n instanceof protobuf.Type);
}

/** The namespace a parsed file declares its types in (its package, or the root). */
function fileNamespace(root: protobuf.Root, pkg: string | undefined): protobuf.NamespaceBase {
  const ns = pkg ? root.lookup(pkg) : root;
  if (!(ns instanceof protobuf.Namespace) && !(ns instanceof protobuf.Root)) throw new Error(`package ${pkg} not found`);
  return ns;
}

export interface ProtobufCodec {
  /**
   * `body` starts with Confluent's message indexes, unless they came in a header (`indexes`),
   * or Apicurio named the type in a header (`typeName`; "" for none: the first message type).
   */
  decode(body: Uint8Array, opts: { indexes?: Uint8Array; apicurio?: boolean; typeName?: string }): { value: unknown; messageType: string };
}

/** `references` maps import names (as in the .proto's import lines) to their .proto text. */
export function compileProtobuf(schemaText: string, references: Map<string, string>): ProtobufCodec {
  const root = new protobuf.Root();
  const main = protobuf.parse(schemaText, root, PARSE);
  // Recorded before the references are added: they may share the package and would append types.
  const top = messagesOf(fileNamespace(root, main.package)).map((t) => t.fullName);
  const pending = [...(main.imports ?? []), ...(main.weakImports ?? [])];
  const added = new Set<string>();
  const unknown: string[] = [];
  for (let name = pending.shift(); name !== undefined; name = pending.shift()) {
    if (added.has(name)) continue;
    added.add(name);
    const text = references.get(name);
    if (text !== undefined) {
      const dep = protobuf.parse(text, root, PARSE);
      pending.push(...(dep.imports ?? []), ...(dep.weakImports ?? []));
      continue;
    }
    const common = protobuf.common.get(name);
    // An import used only for options (descriptor.proto, confluent/meta.proto) is not needed to decode.
    if (common === null) unknown.push(name);
    else root.addJSON(common.nested ?? {});
  }
  try {
    root.resolveAll();
  } catch (err) {
    const missing = unknown.length > 0 ? ` (imports neither referenced nor well-known: ${unknown.join(", ")})` : "";
    throw new Error(`${err instanceof Error ? err.message : String(err)}${missing}`);
  }
  const all = [...top.map((n) => root.lookupType(n))];

  const byIndexes = (indexes: number[]): protobuf.Type => {
    let list = all;
    let type: protobuf.Type | undefined;
    for (const i of indexes) {
      type = list[i];
      if (type === undefined) throw new DecodeFailure(`message index ${indexes.join(",")} names no message type of the schema`);
      list = messagesOf(type);
    }
    return type!;
  };

  /** Apicurio's Ref (a length-delimited message whose field 1 is the type name) before the body. */
  const byRef = (body: Uint8Array): { type: protobuf.Type; pos: number } => {
    const reader = protobuf.Reader.create(body);
    const len = reader.uint32();
    const start = reader.pos;
    if (start + len > body.length) throw new DecodeFailure("Apicurio type reference is cut short");
    if (len === 0) return { type: byIndexes([0]), pos: start };
    const ref = protobuf.Reader.create(body.subarray(start, start + len));
    let name = "";
    while (ref.pos < ref.len) {
      const tag = ref.uint32();
      if (tag === 0x0a) name = ref.string();
      else ref.skipType(tag & 7);
    }
    return { type: byName(name), pos: start + len };
  };

  const byName = (name: string): protobuf.Type => {
    const found = root.lookup(name);
    const type = found instanceof protobuf.Type ? found : all.find((t) => t.name === name);
    if (type === undefined) throw new DecodeFailure(`message type "${name}" is not in the schema`);
    return type;
  };

  return {
    decode(body, opts) {
      let type: protobuf.Type;
      let pos = 0;
      if (opts.typeName !== undefined) {
        type = opts.typeName === "" ? byIndexes([0]) : byName(opts.typeName);
      } else if (opts.indexes !== undefined) {
        type = byIndexes(opts.indexes.length === 0 ? [0] : readIndexes(opts.indexes, 0).indexes);
      } else if (opts.apicurio) {
        ({ type, pos } = byRef(body));
      } else {
        try {
          const read = readIndexes(body, 0);
          type = byIndexes(read.indexes);
          pos = read.pos;
        } catch (err) {
          // Apicurio's serializer behind a Confluent prefix writes its Ref, not indexes: a Ref's
          // length and tag read as indexes fail (its name's letters zig-zag to negatives).
          try {
            ({ type, pos } = byRef(body));
          } catch {
            throw err;
          }
        }
      }
      const msg = type.decode(body.subarray(pos)) as unknown as Record<string, unknown>;
      return { value: messageJson(type, msg), messageType: type.fullName.replace(/^\./, "") };
    },
  };
}
