// The documentation is part of the product. The README is the front door (two
// commands, one curl, a table of pages); each topic has one page in docs/; the
// configuration tables come from the code; every link and every repository
// path any Markdown file names exists; and no paragraph is said twice.

import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { test } from "node:test";
import { CONFIG_PAGE, envTables, markedTable } from "../scripts/env-table.ts";
import { brokenLinks, markdownFiles, missingPaths, namedPaths, repeatedParagraphs } from "./helpers/markdown.ts";

const ROOT = join(import.meta.dirname, "..");
const readme = readFileSync(join(ROOT, "README.md"), "utf8");

test("docs/configuration.md's tables list exactly what the services read, and the README holds none", () => {
  const page = readFileSync(join(ROOT, CONFIG_PAGE), "utf8");
  for (const [name, table] of Object.entries(envTables())) {
    assert.equal(markedTable(page, name), table, `${CONFIG_PAGE} ${name} table is stale: run node scripts/env-table.ts`);
    assert.equal(markedTable(readme, name), undefined, `README.md still holds the ${name} table`);
  }
});

test("README gives the two commands, and CI runs the test command it gives", () => {
  assert.ok(readme.includes("npm ci && npm start"));
  assert.ok(readme.includes("npm ci && npm test"));
  assert.ok(readme.includes("`.ci/run`"), "README names the CI script");
  const ci = readFileSync(join(ROOT, ".ci", "run"), "utf8");
  assert.match(ci, /^npm ci\b/m);
  assert.match(ci, /^npm test$/m);
});

test("README has no unfilled section placeholders", () => {
  assert.doesNotMatch(readme, /^[A-Z]+_SECTION$/m);
});

test("README is a front door: at most 200 lines, one curl, and a table whose every row links one page", () => {
  const lines = readme.split("\n");
  assert.ok(lines.length <= 200, `README.md has ${lines.length} lines`);
  assert.equal((readme.match(/^curl /gm) ?? []).length, 1, "one curl example");
  const start = lines.findIndex((l) => /^## Where things live/.test(l));
  assert.ok(start > 0, 'README has a "Where things live" section');
  const rows = lines.slice(start + 1).filter((l) => l.startsWith("|")).slice(2);
  assert.ok(rows.length >= 8, `only ${rows.length} rows`);
  const targets = rows.map((row) => {
    const links = [...row.matchAll(/\]\(([^)]+)\)/g)].map((m) => m[1]);
    assert.equal(links.length, 1, `row links one page: ${row}`);
    assert.match(links[0], /\.md(#[\w-]+)?$/, `row links a Markdown page: ${row}`);
    return links[0].split("#")[0];
  });
  assert.equal(new Set(targets).size, targets.length, "no page listed twice");
  // Every page of docs/ is reachable from the front door.
  const docs = markdownFiles(ROOT).filter((f) => /^docs\/[^/]+\.md$/.test(f));
  assert.deepEqual(docs.filter((d) => !targets.includes(d)), []);
});

test("every relative link in every Markdown file leads to a file (and heading) that exists", () => {
  const files = markdownFiles(ROOT);
  assert.ok(files.includes("README.md") && files.includes("docs/deploy-aws.md") && files.includes("modules/eks/README.md"));
  assert.ok(files.every((f) => !f.startsWith("node_modules/")));
  assert.deepEqual(brokenLinks(ROOT, files), []);
});

test("every repository path a Markdown file names exists", () => {
  assert.deepEqual(missingPaths(ROOT), []);
});

test("no paragraph of 40 words or more appears in two files", () => {
  assert.deepEqual(repeatedParagraphs(ROOT, 40), []);
});

test("the checks catch a broken link, a missing heading, a missing path and a repeated paragraph", () => {
  const dir = mkdtempSync(join(tmpdir(), "docs-check-"));
  const write = (path: string, text: string) => {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  };
  try {
    const long = Array.from({ length: 45 }, (_, i) => `word${i}`).join(" ");
    write("src/real.ts", "");
    write("live/dev/other.hcl", "");
    write("modules/m/tests/plan.tftest.hcl", "");
    write("README.md", `# Title\n\n## Where things live\n\nSee [the page](docs/page.md#nowhere), [gone](docs/gone.md) and \`src/real.ts\`.\n\n${long}\n`);
    write("docs/page.md", `# Page\n\nBack to [the title](../README.md#title); \`src/missing.ts\` and live/<env>/unit.hcl are named.\n\n${long.replace(/\s+/g, "\n")}\n\n\`\`\`sh\n${long}\n\`\`\`\n`);
    write("modules/m/README.md", "# m\n\n`tests/plan.tftest.hcl` exists, `tests/absent.tftest.hcl` does not.\n");
    // The bench's scratch results (git-ignored) repeat latest.md by design: not read.
    write("bench/results/partial.md", `# Partial\n\n${long}\n\nSee [gone](gone.md).\n`);
    assert.deepEqual(brokenLinks(dir), [
      { file: "README.md", what: "link to docs/page.md#nowhere: no heading with that anchor" },
      { file: "README.md", what: "link to docs/gone.md: no such file" },
    ]);
    assert.deepEqual(
      missingPaths(dir).map((p) => `${p.file}: ${p.what}`),
      [
        "docs/page.md: names src/missing.ts, which does not exist",
        "docs/page.md: names live/<env>/unit.hcl, which does not exist",
        "modules/m/README.md: names tests/absent.tftest.hcl (from modules/m), which does not exist",
      ],
    );
    assert.deepEqual(repeatedParagraphs(dir, 40).map((p) => p.file), ["README.md, docs/page.md"]);
    assert.deepEqual(repeatedParagraphs(dir, 46), [], "45 words are under a 46-word limit");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("docs/architecture.md stays one page and names the files a newcomer opens", () => {
  const doc = readFileSync(join(ROOT, "docs", "architecture.md"), "utf8");
  assert.ok(doc.split("\n").length <= 100, "docs/architecture.md over 100 lines");
  const paths = namedPaths(ROOT, "docs/architecture.md", doc);
  assert.ok(paths.length >= 25, `found ${paths.length} paths`);
});
