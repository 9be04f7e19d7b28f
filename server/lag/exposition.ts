// Prometheus text exposition format 0.0.4, written by hand: the families /metrics serves.
// Pure. Escaping as the format defines it: in label values backslash, double quote and line
// feed (\\, \", \n); in HELP text backslash and line feed. Lone UTF-16 surrogates (which a
// topic or event-type name from a JSON payload can carry) become U+FFFD, since the body must be
// UTF-8. Values: integers as written (offsets are 64-bit and arrive as decimal strings),
// NaN, +Inf and -Inf spelled as the format spells them.

export type MetricType = "gauge" | "counter" | "histogram";
export type Labels = Readonly<Record<string, string | number>>;

export interface MetricSample {
  /** "_bucket", "_sum" or "_count" for a histogram's series; nothing for gauges and counters. */
  suffix?: "_bucket" | "_sum" | "_count";
  labels: Labels;
  /** A number, or a decimal integer string (a 64-bit offset). */
  value: number | string;
}

export interface MetricFamily {
  name: string;
  type: MetricType;
  help: string;
  samples: MetricSample[];
}

const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

export function escapeLabelValue(v: string): string {
  return v.replace(LONE_SURROGATE, "\uFFFD").replace(/\\/g, "\\\\").replace(/\n/g, "\\n").replace(/"/g, '\\"');
}

export function escapeHelp(v: string): string {
  return v.replace(LONE_SURROGATE, "\uFFFD").replace(/\\/g, "\\\\").replace(/\n/g, "\\n");
}

export function formatValue(v: number | string): string {
  if (typeof v === "string") return /^-?\d+$/.test(v) ? v : "NaN";
  if (Number.isNaN(v)) return "NaN";
  if (v === Infinity) return "+Inf";
  if (v === -Infinity) return "-Inf";
  return String(v);
}

/** `le` as the format writes it: "+Inf", or the shortest decimal of the bound. */
export const formatLe = (le: number) => (le === Infinity ? "+Inf" : String(le));

function labelText(labels: Labels): string {
  const parts = Object.entries(labels).map(([k, v]) => {
    if (!LABEL_NAME.test(k) || k.startsWith("__")) throw new Error(`bad label name ${JSON.stringify(k)}`);
    return `${k}="${escapeLabelValue(String(v))}"`;
  });
  return parts.length ? `{${parts.join(",")}}` : "";
}

/** One family: HELP, TYPE, then its samples. Names are ours, so a bad one is a bug and throws. */
export function renderFamily(f: MetricFamily): string[] {
  if (!METRIC_NAME.test(f.name)) throw new Error(`bad metric name ${JSON.stringify(f.name)}`);
  const lines = [`# HELP ${f.name} ${escapeHelp(f.help)}`, `# TYPE ${f.name} ${f.type}`];
  for (const s of f.samples) lines.push(`${f.name}${s.suffix ?? ""}${labelText(s.labels)} ${formatValue(s.value)}`);
  return lines;
}

export function renderFamilies(families: readonly MetricFamily[]): string {
  return `${families.flatMap(renderFamily).join("\n")}\n`;
}

/** A gauge or counter family from [labels, value] pairs. */
export function family(name: string, type: "gauge" | "counter", help: string, samples: ReadonlyArray<readonly [Labels, number | string]>): MetricFamily {
  return { name, type, help, samples: samples.map(([labels, value]) => ({ labels, value })) };
}
