// A small, strict parser of the Prometheus text format 0.0.4, for tests: every line must be a
// HELP, a TYPE or a sample; label values and HELP texts are unescaped by the format's rules (a
// backslash followed by anything else is an error); samples belong to the family whose TYPE came
// last, once per series. checkHistograms then holds every histogram to its rules.

export interface ParsedSample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

export interface ParsedFamily {
  name: string;
  type: string;
  help: string | null;
  samples: ParsedSample[];
}

const NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*/;
const LABEL = /^[a-zA-Z_][a-zA-Z0-9_]*/;
const VALUE = /^(?:[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?|[+-]Inf|NaN)$/;
const TYPES = new Set(["counter", "gauge", "histogram", "summary", "untyped"]);

function unescape(s: string, quote: boolean, where: string): string {
  let out = "";
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (c !== "\\") {
      if (quote && c === '"') throw new Error(`${where}: unescaped quote`);
      if (c === "\n") throw new Error(`${where}: raw line feed`);
      out += c;
      continue;
    }
    const n = s[++i];
    if (n === "\\") out += "\\";
    else if (n === "n") out += "\n";
    else if (quote && n === '"') out += '"';
    else throw new Error(`${where}: bad escape \\${n ?? "(end)"}`);
  }
  return out;
}

function parseLabels(text: string, where: string): { labels: Record<string, string>; rest: string } {
  const labels: Record<string, string> = {};
  let s = text.slice(1);
  for (;;) {
    if (s.startsWith("}")) return { labels, rest: s.slice(1) };
    const name = LABEL.exec(s)?.[0];
    if (!name) throw new Error(`${where}: bad label name at ${JSON.stringify(s.slice(0, 20))}`);
    if (name in labels) throw new Error(`${where}: label ${name} twice`);
    s = s.slice(name.length);
    if (!s.startsWith('="')) throw new Error(`${where}: expected =" after ${name}`);
    s = s.slice(2);
    let end = 0;
    while (end < s.length && s[end] !== '"') end += s[end] === "\\" ? 2 : 1;
    if (end >= s.length) throw new Error(`${where}: unterminated value of ${name}`);
    labels[name] = unescape(s.slice(0, end), true, where);
    s = s.slice(end + 1);
    if (s.startsWith(",")) s = s.slice(1);
    else if (!s.startsWith("}")) throw new Error(`${where}: expected , or } after ${name}`);
  }
}

const familyOf = (name: string, type: string | undefined) => {
  if (type === "histogram") for (const suffix of ["_bucket", "_sum", "_count"]) if (name.endsWith(suffix)) return name.slice(0, -suffix.length);
  return name;
};

export function parseExposition(body: string): Map<string, ParsedFamily> {
  if (!body.endsWith("\n")) throw new Error("the body must end with a line feed");
  const families = new Map<string, ParsedFamily>();
  const helps = new Map<string, string>();
  const seen = new Set<string>();
  let current: ParsedFamily | null = null;
  body.slice(0, -1).split("\n").forEach((line, i) => {
    const where = `line ${i + 1}`;
    const meta = /^# (HELP|TYPE) ([^ ]+) ?(.*)$/s.exec(line);
    if (meta) {
      const [, kind, name, rest] = meta as unknown as [string, string, string, string];
      if (!NAME.test(name) || NAME.exec(name)![0] !== name) throw new Error(`${where}: bad metric name ${name}`);
      if (kind === "HELP") {
        if (helps.has(name)) throw new Error(`${where}: HELP ${name} twice`);
        helps.set(name, unescape(rest, false, where));
        return;
      }
      if (!TYPES.has(rest)) throw new Error(`${where}: bad type ${rest}`);
      if (families.has(name)) throw new Error(`${where}: TYPE ${name} twice`);
      current = { name, type: rest, help: helps.get(name) ?? null, samples: [] };
      families.set(name, current);
      return;
    }
    if (line.startsWith("#")) throw new Error(`${where}: unexpected comment ${line}`);
    const name = NAME.exec(line)?.[0];
    if (!name) throw new Error(`${where}: not a sample: ${JSON.stringify(line)}`);
    let rest = line.slice(name.length);
    let labels: Record<string, string> = {};
    if (rest.startsWith("{")) ({ labels, rest } = parseLabels(rest, where));
    const parts = rest.split(" ");
    if (parts[0] !== "" || parts.length < 2 || parts.length > 3 || !VALUE.test(parts[1]!)) throw new Error(`${where}: bad value in ${JSON.stringify(line)}`);
    if (parts[2] !== undefined && !/^-?\d+$/.test(parts[2])) throw new Error(`${where}: bad timestamp`);
    const fam: ParsedFamily | null = current;
    if (!fam || familyOf(name, fam.type) !== fam.name) throw new Error(`${where}: sample ${name} outside its family's block`);
    const id = `${name}${JSON.stringify(Object.entries(labels).sort())}`;
    if (seen.has(id)) throw new Error(`${where}: series ${id} twice`);
    seen.add(id);
    const v = parts[1]!;
    fam.samples.push({ name, labels, value: v.endsWith("Inf") ? (v.startsWith("-") ? -Infinity : Infinity) : Number(v) });
  });
  return families;
}

const withoutLe = (l: Record<string, string>) => JSON.stringify(Object.entries(l).filter(([k]) => k !== "le").sort());

/** Every histogram: buckets by le ascending and cumulative, a +Inf bucket equal to _count, a _sum. */
export function checkHistograms(families: Map<string, ParsedFamily>): void {
  for (const f of families.values()) {
    if (f.type !== "histogram") continue;
    const series = new Map<string, { buckets: Array<[number, number]>; count?: number; sum?: number }>();
    const get = (l: Record<string, string>) => series.get(withoutLe(l)) ?? series.set(withoutLe(l), { buckets: [] }).get(withoutLe(l))!;
    for (const s of f.samples) {
      if (s.name === `${f.name}_bucket`) {
        const le = s.labels.le;
        if (le === undefined) throw new Error(`${f.name}: a bucket without le`);
        get(s.labels).buckets.push([le === "+Inf" ? Infinity : Number(le), s.value]);
      } else if (s.name === `${f.name}_count`) get(s.labels).count = s.value;
      else if (s.name === `${f.name}_sum`) get(s.labels).sum = s.value;
    }
    for (const [labels, h] of series) {
      const where = `${f.name}${labels}`;
      for (let i = 1; i < h.buckets.length; i++) {
        if (!(h.buckets[i]![0] > h.buckets[i - 1]![0])) throw new Error(`${where}: le not ascending`);
        if (h.buckets[i]![1] < h.buckets[i - 1]![1]) throw new Error(`${where}: buckets not cumulative at le=${h.buckets[i]![0]}`);
      }
      const inf = h.buckets.at(-1);
      if (!inf || inf[0] !== Infinity) throw new Error(`${where}: no +Inf bucket`);
      if (h.count !== inf[1]) throw new Error(`${where}: +Inf bucket ${inf[1]} ≠ _count ${h.count}`);
      if (h.sum === undefined || !Number.isFinite(h.sum) || h.sum < 0) throw new Error(`${where}: _sum ${h.sum}`);
    }
  }
}
