// A small reader of Fluent Bit's classic configuration format and a
// simulation of the parts the log path depends on: which [OUTPUT] a tag
// reaches (Match wildcards) and what a regex [PARSER] makes of a CRI line.

export interface Section {
  kind: string;
  /** Keys lower-cased; Fluent Bit's keys are case-insensitive. */
  props: Record<string, string>;
}

export function sections(text: string): Section[] {
  const out: Section[] = [];
  for (const raw of text.split("\n")) {
    const line = raw.trim();
    if (line === "" || line.startsWith("#")) continue;
    const head = /^\[([A-Z_]+)\]$/.exec(line);
    if (head) {
      out.push({ kind: head[1], props: {} });
      continue;
    }
    if (out.length === 0) throw new Error(`a setting before any [SECTION]: ${line}`);
    const m = /^(\S+)\s+(.+)$/.exec(line);
    if (!m) throw new Error(`not "key value": ${line}`);
    out.at(-1)!.props[m[1].toLowerCase()] = m[2].trim();
  }
  return out;
}

/** Fluent Bit Match: "*" stands for any run of characters, the rest is literal. */
export function matches(pattern: string, tag: string): boolean {
  const re = new RegExp(`^${pattern.split("*").map((p) => p.replace(/[.+?^${}()|[\]\\]/g, "\\$&")).join(".*")}$`);
  return re.test(tag);
}

/** The tag the tail input gives a container's log file (Tag kube.*). */
export function containerTag(pod: string, namespace: string, container: string): string {
  return `kube.var.log.containers.${pod}_${namespace}_${container}-${"a".repeat(64)}.log`;
}

/** Applies a regex [PARSER] (Onigmo's (?<name>...) reads the same in JavaScript). */
export function parseWith(parser: Section, line: string): Record<string, string> | undefined {
  if (parser.props.format?.toLowerCase() !== "regex" || !parser.props.regex) return undefined;
  return new RegExp(parser.props.regex).exec(line)?.groups;
}
