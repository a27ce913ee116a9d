// A small Prometheus registry: counters, gauges and histograms with labels,
// rendered in the text exposition format (version 0.0.4).

type Labels = Record<string, string>;

function labelKey(labels: Labels | undefined): string {
  if (!labels) return "";
  const parts = Object.keys(labels)
    .sort()
    .map((k) => `${k}="${String(labels[k]).replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n")}"`);
  return parts.length ? `{${parts.join(",")}}` : "";
}

function withLabel(key: string, extra: string): string {
  return key ? `{${key.slice(1, -1)},${extra}}` : `{${extra}}`;
}

function fmt(n: number): string {
  if (n === Infinity) return "+Inf";
  return Number.isInteger(n) ? String(n) : String(Number(n.toPrecision(12)));
}

interface Metric {
  render(): string;
}

export class Counter implements Metric {
  readonly #values = new Map<string, number>();
  readonly name: string;
  readonly help: string;
  constructor(name: string, help: string) {
    this.name = name;
    this.help = help;
  }
  inc(labels?: Labels, by = 1): void {
    const key = labelKey(labels);
    this.#values.set(key, (this.#values.get(key) ?? 0) + by);
  }
  get(labels?: Labels): number {
    return this.#values.get(labelKey(labels)) ?? 0;
  }
  /** An incrementer for one fixed label set, its series key built once (for the hot path). */
  bind(labels?: Labels): (by?: number) => void {
    const key = labelKey(labels);
    return (by = 1) => void this.#values.set(key, (this.#values.get(key) ?? 0) + by);
  }
  render(): string {
    let out = `# HELP ${this.name} ${this.help}\n# TYPE ${this.name} counter\n`;
    for (const [key, v] of this.#values) out += `${this.name}${key} ${fmt(v)}\n`;
    return out;
  }
}

export class Gauge implements Metric {
  readonly #values = new Map<string, number>();
  readonly #collect: (() => number) | undefined;
  readonly name: string;
  readonly help: string;
  constructor(name: string, help: string, collect?: () => number) {
    this.name = name;
    this.help = help;
    this.#collect = collect;
  }
  set(value: number, labels?: Labels): void {
    this.#values.set(labelKey(labels), value);
  }
  inc(labels?: Labels, by = 1): void {
    const key = labelKey(labels);
    this.#values.set(key, (this.#values.get(key) ?? 0) + by);
  }
  dec(labels?: Labels, by = 1): void {
    this.inc(labels, -by);
  }
  get(labels?: Labels): number {
    if (this.#collect && !labels) return this.#collect();
    return this.#values.get(labelKey(labels)) ?? 0;
  }
  render(): string {
    let out = `# HELP ${this.name} ${this.help}\n# TYPE ${this.name} gauge\n`;
    if (this.#collect) return out + `${this.name} ${fmt(this.#collect())}\n`;
    for (const [key, v] of this.#values) out += `${this.name}${key} ${fmt(v)}\n`;
    return out;
  }
}

export class Histogram implements Metric {
  readonly #series = new Map<string, { counts: number[]; sum: number; count: number }>();
  readonly buckets: readonly number[];
  readonly name: string;
  readonly help: string;
  constructor(name: string, help: string, buckets: readonly number[]) {
    this.name = name;
    this.help = help;
    this.buckets = [...buckets].sort((a, b) => a - b);
  }
  observe(value: number, labels?: Labels): void {
    const key = labelKey(labels);
    let s = this.#series.get(key);
    if (!s) {
      s = { counts: new Array(this.buckets.length).fill(0), sum: 0, count: 0 };
      this.#series.set(key, s);
    }
    for (let i = 0; i < this.buckets.length; i++) if (value <= this.buckets[i]) s.counts[i]++;
    s.sum += value;
    s.count++;
  }
  count(labels?: Labels): number {
    return this.#series.get(labelKey(labels))?.count ?? 0;
  }
  render(): string {
    let out = `# HELP ${this.name} ${this.help}\n# TYPE ${this.name} histogram\n`;
    for (const [key, s] of this.#series) {
      this.buckets.forEach((b, i) => {
        out += `${this.name}_bucket${withLabel(key, `le="${fmt(b)}"`)} ${s.counts[i]}\n`;
      });
      out += `${this.name}_bucket${withLabel(key, 'le="+Inf"')} ${s.count}\n`;
      out += `${this.name}_sum${key} ${fmt(s.sum)}\n${this.name}_count${key} ${s.count}\n`;
    }
    return out;
  }
}

export class Registry {
  readonly #metrics: Metric[] = [];
  /**
   * alarmed: the label sets of the series an alarm counts (for a counter
   * without labels, [{}]). They exist from the start, at 0: the collector's
   * CloudWatch exporter turns counters into deltas and drops the first value
   * it sees of a series, which would otherwise be the first failure itself,
   * and a pod's only one would never reach its alarm
   * (modules/observability/alarms.tf, count_alarms).
   */
  counter(name: string, help: string, alarmed: readonly Labels[] = []): Counter {
    const counter = this.#add(new Counter(name, help));
    for (const labels of alarmed) counter.inc(labels, 0);
    return counter;
  }
  gauge(name: string, help: string, collect?: () => number): Gauge {
    return this.#add(new Gauge(name, help, collect));
  }
  histogram(name: string, help: string, buckets: readonly number[]): Histogram {
    return this.#add(new Histogram(name, help, buckets));
  }
  render(): string {
    return this.#metrics.map((m) => m.render()).join("");
  }
  #add<M extends Metric>(m: M): M {
    this.#metrics.push(m);
    return m;
  }
}

/** Seconds buckets from 1 ms to 30 s, for latencies. */
export const LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];
