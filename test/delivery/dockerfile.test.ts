// The Dockerfile without a Docker engine: the final stage is distroless Node
// 24 nonroot and holds only what `node build.mjs SERVICE` produces; the build
// stage's COPY sources exist and survive .dockerignore. The build stage is
// replayed in a temporary directory from the filtered context to prove it.

import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, posix } from "node:path";
import { after, describe, test } from "node:test";
import { copies, dockerignore, expandArgs, parseDockerfile, type Stage } from "../helpers/docker.ts";
import { ROOT } from "../helpers/manifests.ts";

const SERVICES = ["inventory", "pricing"];
/** What the service adds on top of the base image (docs/delivery.md, image size budget). */
export const APP_FILES_BUDGET_BYTES = 4 * 1024 * 1024;
export const RUNTIME_IMAGE = "gcr.io/distroless/nodejs24-debian12:nonroot";

const dockerfile = readFileSync(join(ROOT, "Dockerfile"), "utf8");
const ignored = dockerignore(readFileSync(join(ROOT, ".dockerignore"), "utf8"));

/** Problems with the stages; empty when the Dockerfile follows the rules. */
export function dockerfileViolations(stages: Stage[]): string[] {
  const out: string[] = [];
  if (stages.length < 2) return ["needs a build stage and a runtime stage"];
  const build = stages[0];
  const final = stages.at(-1)!;
  if (!/^(?:[\w.-]+\/)*node:24\.\d+\.\d+(-[\w.-]+)?@sha256:[a-f0-9]{64}$/.test(build.from)) out.push(`build stage FROM ${build.from} is not Node 24 pinned to a full version and a digest`);
  if (!final.from.startsWith(RUNTIME_IMAGE) || !/^[^@]+@sha256:[a-f0-9]{64}$/.test(final.from) || final.from.split("@")[0] !== RUNTIME_IMAGE) {
    out.push(`final stage FROM ${final.from} is not ${RUNTIME_IMAGE} pinned by digest`);
  }
  for (const s of [build, final]) {
    if (!s.instructions.some((i) => i.keyword === "ARG" && /^SERVICE(=|$)/.test(i.args))) out.push(`stage FROM ${s.from} does not declare ARG SERVICE`);
  }
  const runs = build.instructions.filter((i) => i.keyword === "RUN").map((i) => i.args);
  if (!runs.some((r) => /\bnpm ci\b/.test(r))) out.push("build stage does not run npm ci");
  if (!runs.some((r) => /\bnode build\.mjs "?\$\{?SERVICE\}?"?/.test(r))) out.push("build stage does not run node build.mjs $SERVICE");

  for (const i of final.instructions) {
    if (i.keyword === "RUN") out.push(`final stage line ${i.line}: RUN needs a shell, the distroless image has none`);
    if (i.keyword === "ADD") out.push(`final stage line ${i.line}: ADD; use COPY --from=build`);
  }
  for (const c of copies(final)) {
    if (c.from !== (build.name ?? "0")) out.push(`final stage line ${c.line}: COPY must come from the build stage`);
    for (const s of c.sources) if (/node_modules|package(-lock)?\.json|npm/.test(s)) out.push(`final stage line ${c.line}: copies ${s}`);
  }
  const users = final.instructions.filter((i) => i.keyword === "USER").map((i) => i.args);
  if (users.length === 0 || !/^(65532|nonroot)(:(65532|nonroot))?$/.test(users.at(-1)!)) out.push(`final stage USER must be nonroot (65532), got ${users.at(-1)}`);
  const entry = final.instructions.filter((i) => i.keyword === "ENTRYPOINT" || i.keyword === "CMD").map((i) => i.args);
  const argv = entry.flatMap((e) => {
    try {
      const v: unknown = JSON.parse(e);
      return Array.isArray(v) ? v.map(String) : [];
    } catch {
      out.push(`ENTRYPOINT/CMD "${e}" is not in exec (JSON) form; there is no shell to run it`);
      return [];
    }
  });
  if (!argv.includes("--enable-source-maps")) out.push("the bundle does not run with --enable-source-maps");
  const script = argv.find((a) => a.endsWith(".mjs"));
  if (!script || !copies(final).some((c) => c.dest === script)) out.push(`ENTRYPOINT/CMD runs ${script}, which no COPY puts there`);
  const labels = final.instructions.filter((i) => i.keyword === "LABEL").map((i) => i.args).join(" ");
  for (const l of ["title", "version", "revision", "description", "base.name"]) {
    if (!labels.includes(`org.opencontainers.image.${l}=`)) out.push(`final stage lacks LABEL org.opencontainers.image.${l}`);
  }
  return out;
}

describe("Dockerfile", () => {
  const stages = parseDockerfile(dockerfile);

  test("follows the image rules", () => {
    assert.deepEqual(dockerfileViolations(stages), []);
    assert.equal(stages.length, 2);
  });

  test("builds with the Node release the repository pins", () => {
    const pinned = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")).devDependencies.node as string;
    assert.equal(/node:(\d+\.\d+\.\d+)/.exec(stages[0].from)?.[1], pinned);
  });

  const broken: Array<[string, (text: string) => string, RegExp]> = [
    ["a full node base image", (t) => t.replace(/FROM gcr\.io\S+/, "FROM node:24"), /final stage FROM node:24 is not/],
    ["the root distroless variant", (t) => t.replace(":nonroot@", ":latest@"), /final stage FROM .*:latest@\S+ is not/],
    ["a runtime image by tag only", (t) => t.replace(/(distroless\S+:nonroot)@sha256:[a-f0-9]{64}/, "$1"), /is not .* pinned by digest/],
    ["a build image by tag only", (t) => t.replace(/(bookworm-slim)@sha256:[a-f0-9]{64}/, "$1"), /not Node 24 pinned to a full version and a digest/],
    ["an unpinned build image", (t) => t.replace(/node:24\.\d+\.\d+-bookworm-slim/, "node:lts"), /not Node 24 pinned/],
    ["node_modules in the final image", (t) => t.replace("USER 65532", "COPY --from=build /app/node_modules /app/node_modules\nUSER 65532"), /copies \/app\/node_modules/],
    ["a shell-form entrypoint", (t) => t.replace(/ENTRYPOINT \[.*\]/, "ENTRYPOINT node /app/main.mjs"), /not in exec \(JSON\) form/],
    ["no source maps", (t) => t.replace('"--enable-source-maps", ', ""), /--enable-source-maps/],
    ["running as root", (t) => t.replace("USER 65532:65532", "USER root"), /USER must be nonroot/],
    ["a RUN in the final stage", (t) => t.replace("USER 65532", "RUN ls\nUSER 65532"), /RUN needs a shell/],
  ];
  for (const [name, breakIt, expected] of broken) {
    test(`catches ${name}`, () => {
      const changed = breakIt(dockerfile);
      assert.notEqual(changed, dockerfile, "the edit applied");
      const found = dockerfileViolations(parseDockerfile(changed));
      assert.ok(found.some((m) => expected.test(m)), `${expected} not in:\n${found.join("\n")}`);
    });
  }
});

describe(".dockerignore", () => {
  test("lets in what the build stage copies", () => {
    const build = parseDockerfile(dockerfile)[0];
    for (const c of copies(build).filter((x) => !x.from)) {
      for (const s of c.sources) {
        const path = join(ROOT, s);
        assert.ok(existsSync(path), `COPY ${s}: not in the repository`);
        const files = statSync(path).isDirectory() ? walk(path).map((f) => posix.join(s, f)) : [s];
        assert.ok(files.length > 0, `COPY ${s}: empty`);
        for (const f of files) assert.equal(ignored(f), false, `${f} (COPY ${s}) is excluded by .dockerignore`);
      }
    }
  });

  test("keeps everything else out of the context", () => {
    for (const p of ["node_modules/yaml/package.json", "dist/inventory.mjs", ".git/HEAD", "test/delivery/docker.ts", "docs/delivery.md", "modules/eks/main.tf", "live/root.hcl", "manifests/namespace.yaml", "rendered/manifests.yaml", "scripts/render.ts", "README.md", ".env", ".stack/state.json", "buildspec.yml", "Dockerfile", "src/inventory/app.test.ts"]) {
      assert.equal(ignored(p), true, `${p} would be sent to the Docker daemon`);
    }
    // Whatever is in the repository now: only the allowlist gets through.
    const top = readdirSync(ROOT).filter((e) => e !== ".git" && e !== "node_modules");
    const included = top.flatMap((e) => (statSync(join(ROOT, e)).isDirectory() ? walk(join(ROOT, e)).map((f) => `${e}/${f}`) : [e])).filter((f) => !ignored(f));
    const allowed = /^(package\.json|package-lock\.json|build\.mjs|tsconfig\.json|src\/.+\.(ts|json))$/;
    assert.deepEqual(included.filter((f) => !allowed.test(f)), []);
  });

  test("the matcher follows Docker's rules", () => {
    const m = dockerignore("*\n!src/\nsrc/**/*.test.ts\n# comment\n!keep/me.txt\n");
    assert.equal(m("src/a/b.ts"), false);
    assert.equal(m("src/a/b.test.ts"), true);
    assert.equal(m("other/x"), true);
    assert.equal(m("keep/me.txt"), false);
    assert.equal(m("keep/other.txt"), true);
    assert.equal(dockerignore("dist\n")("dist/deep/file.js"), true, "a directory pattern covers its contents");
  });
});

describe("the build stage, replayed from the filtered context", () => {
  const build = parseDockerfile(dockerfile)[0];
  const final = parseDockerfile(dockerfile).at(-1)!;
  const tmp = mkdtempSync(join(tmpdir(), "docker-build-"));
  after(() => rmSync(tmp, { recursive: true, force: true }));
  const workdir = build.instructions.find((i) => i.keyword === "WORKDIR")?.args ?? "/";
  const stageRoot = join(tmp, "build");

  for (const service of SERVICES) {
    test(`SERVICE=${service}: the final stage copies only files the build produced`, () => {
      const app = join(stageRoot, service, workdir);
      mkdirSync(app, { recursive: true });
      // COPY from the context (only what .dockerignore lets through), then
      // node_modules as `npm ci` would leave it.
      for (const c of copies(build).filter((x) => !x.from)) {
        for (const s of c.sources) {
          const dest = c.dest.endsWith("/") || c.sources.length > 1 ? join(app, c.dest, posix.basename(s)) : join(app, c.dest);
          cpSync(join(ROOT, s), dest, { recursive: true, filter: (src) => src === join(ROOT, s) || !ignored(posix.relative(ROOT, src)) });
        }
      }
      symlinkSync(join(ROOT, "node_modules"), join(app, "node_modules"), "dir");
      const r = spawnSync(process.execPath, ["build.mjs", service], { cwd: app, encoding: "utf8" });
      assert.equal(r.status, 0, `node build.mjs ${service} failed:\n${r.stdout}${r.stderr}`);

      const produced = new Set(readdirSync(join(app, "dist")).map((f) => posix.join(workdir, "dist", f)));
      const finalCopies = copies(final, { SERVICE: service });
      for (const c of finalCopies) for (const s of c.sources) assert.ok(produced.has(s), `final stage copies ${s}, which node build.mjs ${service} did not produce (${[...produced].join(", ")})`);
      assert.deepEqual(
        [...produced].filter((p) => !p.endsWith(".meta.json")).sort(),
        finalCopies.flatMap((c) => c.sources).sort(),
        "everything the build produced is copied: bundle, source map, licence notices",
      );

      // The renamed bundle still finds its source map beside it.
      const entry = finalCopies.find((c) => c.dest.endsWith(".mjs"))!;
      const bundle = readFileSync(join(stageRoot, service, entry.sources[0]), "utf8");
      const mapName = /\/\/# sourceMappingURL=(\S+)\s*$/.exec(bundle)?.[1];
      assert.ok(mapName, "the bundle names its source map");
      assert.ok(finalCopies.some((c) => c.dest === posix.join(dirname(entry.dest), mapName)), `${mapName} is not copied beside ${entry.dest}`);
      assert.ok(Buffer.byteLength(bundle) < 1024 * 1024, "bundle within the 1 MiB budget");
      const appBytes = finalCopies.flatMap((c) => c.sources).reduce((sum, s) => sum + statSync(join(stageRoot, service, s)).size, 0);
      assert.ok(appBytes <= APP_FILES_BUDGET_BYTES, `the image adds ${appBytes} bytes to the base, over the ${APP_FILES_BUDGET_BYTES} budget`);
    });
  }

  test("the ARG expansion used above is the Dockerfile's", () => {
    assert.equal(expandArgs("/app/dist/${SERVICE}.mjs $SERVICE", { SERVICE: "pricing" }), "/app/dist/pricing.mjs pricing");
  });
});

function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(dir, e.name)).map((f) => `${e.name}/${f}`) : [e.name]));
}
