// Just enough of Docker to check the Dockerfile without a Docker engine: the
// instructions per stage, ARG expansion, and .dockerignore matching with
// Docker's rules (Go filepath.Match plus **, a pattern that matches a parent
// directory matches everything under it, `!` re-includes, last match wins).

export interface Instruction {
  keyword: string;
  /** The text after the keyword, continuation lines joined. */
  args: string;
  line: number;
}

export interface Stage {
  from: string;
  name?: string;
  instructions: Instruction[];
}

export function parseDockerfile(text: string): Stage[] {
  const stages: Stage[] = [];
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const start = i;
    let line = lines[i];
    if (/^\s*(#|$)/.test(line)) continue;
    while (/\\\s*$/.test(line) && i + 1 < lines.length) {
      i++;
      if (/^\s*#/.test(lines[i])) continue;
      line = line.replace(/\\\s*$/, " ") + lines[i].trim();
    }
    const m = /^\s*([A-Za-z]+)\s+(.*)$/.exec(line);
    if (!m) throw new Error(`Dockerfile line ${start + 1}: cannot parse "${line}"`);
    const instruction = { keyword: m[1].toUpperCase(), args: m[2].trim(), line: start + 1 };
    if (instruction.keyword === "FROM") {
      const f = /^(?:--platform=\S+\s+)?(\S+)(?:\s+AS\s+(\S+))?$/i.exec(instruction.args);
      if (!f) throw new Error(`Dockerfile line ${start + 1}: cannot parse FROM`);
      stages.push({ from: f[1], name: f[2], instructions: [] });
    } else if (stages.length === 0) {
      if (instruction.keyword !== "ARG") throw new Error(`Dockerfile line ${start + 1}: ${instruction.keyword} before FROM`);
    } else {
      stages.at(-1)!.instructions.push(instruction);
    }
  }
  return stages;
}

export interface Copy {
  from?: string;
  sources: string[];
  dest: string;
  line: number;
}

/** COPY/ADD instructions of a stage, with ${ARG}s expanded from `args`. */
export function copies(stage: Stage, args: Record<string, string> = {}): Copy[] {
  return stage.instructions
    .filter((i) => i.keyword === "COPY" || i.keyword === "ADD")
    .map((i) => {
      const words = expandArgs(i.args, args).split(/\s+/);
      const flags = words.filter((w) => w.startsWith("--"));
      const paths = words.filter((w) => !w.startsWith("--"));
      const from = flags.find((f) => f.startsWith("--from="))?.slice("--from=".length);
      return { from, sources: paths.slice(0, -1), dest: paths.at(-1)!, line: i.line, ...(i.keyword === "ADD" ? { add: true } : {}) };
    });
}

export function expandArgs(text: string, args: Record<string, string>): string {
  return text.replace(/\$\{(\w+)\}|\$(\w+)/g, (whole, a: string | undefined, b: string | undefined) => args[a ?? b ?? ""] ?? whole);
}

interface Pattern {
  negate: boolean;
  re: RegExp;
}

function toRegExp(pattern: string): RegExp {
  let re = "";
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i];
    if (ch === "*" && pattern[i + 1] === "*") {
      i++;
      if (pattern[i + 1] === "/") {
        i++;
        re += "(?:.*/)?";
      } else re += ".*";
    } else if (ch === "*") re += "[^/]*";
    else if (ch === "?") re += "[^/]";
    else re += ch.replace(/[\\.+^$(){}|[\]]/g, "\\$&");
  }
  return new RegExp(`^${re}$`);
}

/** A .dockerignore file as a predicate on context-relative paths ("src/a.ts"). */
export function dockerignore(text: string): (path: string) => boolean {
  const patterns: Pattern[] = text
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => l !== "" && !l.startsWith("#"))
    .map((l) => {
      const negate = l.startsWith("!");
      const p = (negate ? l.slice(1) : l).trim().replace(/^\/+/, "").replace(/\/+$/, "");
      return { negate, re: toRegExp(p) };
    });
  return (path: string) => {
    const parts = path.split("/");
    const prefixes = parts.map((_, i) => parts.slice(0, i + 1).join("/"));
    let excluded = false;
    for (const p of patterns) if (prefixes.some((x) => p.re.test(x))) excluded = !p.negate;
    return excluded;
  };
}
