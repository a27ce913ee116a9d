// A second run of the pipeline for the same commit ("Release change", a
// retry after a failed render) must succeed although ECR tags are
// immutable: buildspec.yml's own commands run here with stub `aws` and
// `docker` commands, and must build and push only what ECR lacks.

import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { chmodSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, test } from "node:test";
import { readBuildspec, SAMPLE_ENV, scratchDir } from "../helpers/buildspec.ts";

const spec = readBuildspec("buildspec.yml");
const bin = scratchDir("buildspec-retry-");

// aws ecr describe-images succeeds for repositories listed in $IN_ECR.
writeFileSync(join(bin, "aws"), '#!/bin/sh\nrepo=""\nwhile [ $# -gt 0 ]; do [ "$1" = "--repository-name" ] && repo="$2"; shift; done\ncase " $IN_ECR " in *" $repo "*) exit 0;; esac\necho "ImageNotFoundException" >&2\nexit 254\n');
// docker records what it was asked to do.
writeFileSync(join(bin, "docker"), '#!/bin/sh\necho "$1 $(echo "$@" | grep -o "[^ ]*:[0-9a-f]\\{7\\}" | head -1)" >> "$DOCKER_LOG"\n');
for (const f of ["aws", "docker"]) chmodSync(join(bin, f), 0o755);

/** The tag, ECR lookup, docker build and docker push commands of the buildspec, in order. */
function imageCommands(): string[] {
  const phase = (p: string) => ((spec.phases[p].commands ?? []) as string[]).map(String);
  return [...phase("pre_build"), ...phase("build"), ...phase("post_build")].filter((c) => /IMAGE_TAG=|describe-images|docker (build|push)/.test(c) && !/docker login/.test(c));
}

function runWith(inEcr: string[]): string[] {
  const log = join(bin, `docker-${inEcr.length}.log`);
  writeFileSync(log, "");
  const script = imageCommands().map((c) => `${c}\n[ $? -eq 0 ] || exit 1`).join("\n");
  const r = spawnSync("bash", ["-c", script], {
    env: { ...SAMPLE_ENV, PATH: `${bin}:${process.env.PATH}`, IN_ECR: inEcr.join(" "), DOCKER_LOG: log },
    encoding: "utf8",
  });
  assert.equal(r.status, 0, r.stderr);
  return readFileSync(log, "utf8").trim().split("\n").filter(Boolean);
}

const tag = SAMPLE_ENV.CODEBUILD_RESOLVED_SOURCE_VERSION.slice(0, 7);
const inventory = `${SAMPLE_ENV.ECR_INVENTORY_URI}:${tag}`;
const pricing = `${SAMPLE_ENV.ECR_PRICING_URI}:${tag}`;
const repo = (uri: string) => uri.slice(uri.indexOf("/") + 1);

test("a first run builds and pushes both images", () => {
  assert.deepEqual(runWith([]), [`build ${inventory}`, `build ${pricing}`, `push ${inventory}`, `push ${pricing}`]);
});

test("a run for a commit whose images are in ECR builds and pushes nothing", () => {
  assert.deepEqual(runWith([repo(SAMPLE_ENV.ECR_INVENTORY_URI), repo(SAMPLE_ENV.ECR_PRICING_URI)]), []);
});

test("a retry after only inventory was pushed builds and pushes only pricing", () => {
  assert.deepEqual(runWith([repo(SAMPLE_ENV.ECR_INVENTORY_URI)]), [`build ${pricing}`, `push ${pricing}`]);
});
