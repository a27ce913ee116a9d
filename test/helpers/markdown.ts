// Reads the repository's Markdown the way a reader follows it: the relative
// links, the repository paths it names, and its paragraphs. Used by
// test/docs.test.ts; every function takes the root so a test can point it at a
// broken copy.

import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";

/** Directories that hold no documentation of ours: installed, generated or tool state. */
const SKIP_DIRS = new Set(["node_modules", "dist", "rendered", "coverage", ".git", ".terraform", ".data"]);
/** Generated at build or run time, so a page may name them without their existing in a clone. */
const GENERATED_ROOTS = new Set(["dist", "rendered", "node_modules", ".terraform", ".data"]);
/** A scratch copy of the results that `npm run bench -- --only ...` writes and .gitignore keeps out: not documentation, and it repeats latest.md. */
const SCRATCH = /^bench\/results\/partial\./;

/** Every *.md under root, relative paths with forward slashes, sorted. */
export function markdownFiles(root: string): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      if (e.isDirectory()) {
        if (!SKIP_DIRS.has(e.name) && !(e.name.startsWith(".") && e.name !== ".ci")) walk(join(dir, e.name));
      } else if (e.name.endsWith(".md")) out.push(relative(root, join(dir, e.name)).split(sep).join("/"));
    }
  };
  walk(root);
  return out.filter((f) => !SCRATCH.test(f)).sort();
}

/** The text with fenced code blocks blanked out (line count kept). */
export function withoutCode(text: string): string {
  let inFence = false;
  return text
    .split("\n")
    .map((line) => {
      if (/^\s*(```|~~~)/.test(line)) {
        inFence = !inFence;
        return "";
      }
      return inFence ? "" : line;
    })
    .join("\n");
}

/** GitHub's anchor for a heading text. */
export function slug(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, "")
    .replace(/ /g, "-");
}

/** The anchors a Markdown file offers: one per heading, numbered on repeats as GitHub does. */
export function anchors(text: string): Set<string> {
  const seen = new Map<string, number>();
  const out = new Set<string>();
  for (const m of withoutCode(text).matchAll(/^#{1,6}\s+(.+?)\s*#*\s*$/gm)) {
    const base = slug(m[1]);
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    out.add(n === 0 ? base : `${base}-${n}`);
  }
  return out;
}

export interface Problem {
  file: string;
  what: string;
}

/** Relative links (outside code) whose file, or whose anchor in a Markdown file, does not exist. */
export function brokenLinks(root: string, files = markdownFiles(root)): Problem[] {
  const problems: Problem[] = [];
  const anchorCache = new Map<string, Set<string>>();
  const anchorsOf = (abs: string) => {
    if (!anchorCache.has(abs)) anchorCache.set(abs, anchors(readFileSync(abs, "utf8")));
    return anchorCache.get(abs)!;
  };
  for (const file of files) {
    const abs = join(root, file);
    const text = withoutCode(readFileSync(abs, "utf8")).replace(/`[^`\n]*`/g, "");
    for (const m of text.matchAll(/\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)) {
      const target = m[1];
      if (/^[a-z][a-z0-9+.-]*:/i.test(target)) continue; // https:, mailto: ...
      const [path, anchor] = target.split("#", 2) as [string, string | undefined];
      const dest = path === "" ? abs : resolve(dirname(abs), decodeURIComponent(path));
      if (!existsSync(dest)) {
        problems.push({ file, what: `link to ${target}: no such file` });
        continue;
      }
      if (anchor && dest.endsWith(".md") && statSync(dest).isFile() && !anchorsOf(dest).has(anchor.toLowerCase())) {
        problems.push({ file, what: `link to ${target}: no heading with that anchor` });
      }
    }
  }
  return problems;
}

/** Each path segment as a regular expression: `<env>` and `*` match any name, `{a,b}` either. */
function segmentPattern(segment: string): RegExp {
  const src = segment
    .split(/(<[^>]+>|\*|\{[^}]+\})/)
    .map((part) => {
      if (part.startsWith("<") || part === "*") return "[^/]+";
      if (part.startsWith("{")) return `(?:${part.slice(1, -1).split(",").map(escape).join("|")})`;
      return escape(part);
    })
    .join("");
  return new RegExp(`^${src}$`);
}

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** Whether `path` (which may hold `<placeholder>`, `*` and `{a,b}`) names something under base. */
export function pathExists(base: string, path: string): boolean {
  const segments = path.replace(/\/+$/, "").split("/");
  let dirs = [base];
  for (const seg of segments) {
    const literal = !/[<*{]/.test(seg);
    const next: string[] = [];
    for (const d of dirs) {
      if (literal) {
        if (existsSync(join(d, seg))) next.push(join(d, seg));
      } else if (existsSync(d) && statSync(d).isDirectory()) {
        const re = segmentPattern(seg);
        for (const name of readdirSync(d)) if (re.test(name)) next.push(join(d, name));
      }
    }
    if (next.length === 0) return false;
    dirs = next;
  }
  return true;
}

const PATH_TOKEN = /^(?:\.\/)?[A-Za-z0-9._<>*{},-]+(?:\/[A-Za-z0-9._<>*{},-]+)*\/?$/;

/**
 * The repository paths a Markdown file names: in inline code, any token with a
 * slash whose first segment is an entry of the repository root or of the
 * file's own folder (a module README names `tests/...`), and a bare file name
 * of the root (`Dockerfile`); in prose and code blocks alike, any word that
 * starts with one of the root's folders and a slash.
 */
export function namedPaths(root: string, file: string, text: string): Array<{ path: string; base: string }> {
  const rootEntries = new Set(readdirSync(root).filter((n) => !SKIP_DIRS.has(n)));
  const rootDirs = [...rootEntries].filter((n) => statSync(join(root, n)).isDirectory() && !n.startsWith("."));
  const here = dirname(join(root, file));
  const hereEntries = here === root ? new Set<string>() : new Set(readdirSync(here));
  const out = new Map<string, { path: string; base: string }>();
  const add = (path: string, base: string) => {
    const first = path.replace(/^\.\//, "").split("/")[0];
    if (GENERATED_ROOTS.has(first)) return;
    out.set(`${base}\0${path}`, { path: path.replace(/^\.\//, ""), base });
  };
  const prose = withoutCode(text);
  for (const m of prose.matchAll(/`([^`\n]+)`/g)) {
    const token = m[1].trim();
    if (!PATH_TOKEN.test(token)) continue;
    const first = token.replace(/^\.\//, "").split("/")[0];
    if (token.includes("/")) {
      if (rootEntries.has(first)) add(token, root);
      else if (hereEntries.has(first) || /^[\w.-]+\.(?:tf|hcl|ts|md|yaml|json)$/.test(first)) add(token, here);
    }
  }
  const words = new RegExp(`(?<![\\w./<>*{}@:-])(?:${rootDirs.map(escape).join("|")})/[A-Za-z0-9._<>*{},/-]*`, "g");
  for (const m of text.replace(/\]\([^)]*\)/g, "]").matchAll(words)) {
    const token = m[0].replace(/[.,:;]+$/, "");
    add(token, root);
  }
  return [...out.values()];
}

/** Named repository paths that do not exist. */
export function missingPaths(root: string, files = markdownFiles(root)): Problem[] {
  const problems: Problem[] = [];
  for (const file of files) {
    for (const { path, base } of namedPaths(root, file, readFileSync(join(root, file), "utf8"))) {
      if (!pathExists(base, path)) problems.push({ file, what: `names ${path}${base === root ? "" : ` (from ${relative(root, base)})`}, which does not exist` });
    }
  }
  return problems;
}

/** Paragraphs and list items outside code, tables and generated sections, whitespace normalised. */
export function paragraphs(text: string): string[] {
  const out: string[] = [];
  let current: string[] = [];
  const flush = () => {
    if (current.length) out.push(current.join(" ").replace(/\s+/g, " ").trim());
    current = [];
  };
  let generated = false;
  for (const line of withoutCode(text).split("\n")) {
    // A section between generation markers is a copy of its source file by design.
    if (/^<!-- [\w:-]+begin\b/.test(line)) generated = true;
    if (/^<!-- [\w:-]+end\b/.test(line)) generated = false;
    if (generated) {
      flush();
      continue;
    }
    if (/^\s*$/.test(line) || /^\s*\|/.test(line) || /^#{1,6}\s/.test(line) || /^\s*<!--/.test(line)) {
      flush();
      continue;
    }
    if (/^\s*(?:[-*+]|\d+\.)\s+/.test(line)) flush();
    current.push(line.replace(/^\s*(?:[-*+]|\d+\.)\s+/, ""));
  }
  flush();
  return out;
}

/** Paragraphs of `minWords` words or more that appear in more than one file. */
export function repeatedParagraphs(root: string, minWords = 40, files = markdownFiles(root)): Problem[] {
  const where = new Map<string, Set<string>>();
  for (const file of files) {
    for (const p of paragraphs(readFileSync(join(root, file), "utf8"))) {
      if (p.split(" ").length < minWords) continue;
      if (!where.has(p)) where.set(p, new Set());
      where.get(p)!.add(file);
    }
  }
  return [...where.entries()]
    .filter(([, set]) => set.size > 1)
    .map(([p, set]) => ({ file: [...set].join(", "), what: `the same paragraph: "${p.slice(0, 80)}..."` }));
}
