// Rotation without a restart, the way it reaches a pod: a new secret version
// in Secrets Manager -> External Secrets Operator updates the Secret -> the
// kubelet swaps the mounted directory atomically (the ..data symlink points
// at a new timestamped directory; `tokens` is a symlink through ..data) ->
// the service's watcher re-reads AUTH_TOKENS_FILE. The last step and the
// kubelet's layout are exercised here; the interval is shortened from the
// service's 10 s.

import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, renameSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { loadAuth, watchTokenFile } from "../../src/inventory/auth.ts";
import { createLogger } from "../../src/shared/log.ts";
import { until } from "../helpers/until.ts";

const dir = mkdtempSync(join(tmpdir(), "token-rotation-"));
after(() => rmSync(dir, { recursive: true, force: true }));

const OLD = "old-token-aaaaaaaaaaaaaaaa";
const NEW = "new-token-bbbbbbbbbbbbbbbb";
let version = 0;

/** Writes a Secret version as the kubelet's atomic writer does. */
function publish(text: string): void {
  version += 1;
  const ts = join(dir, `..2026_11_26_00_00_0${version}.000000000`);
  mkdirSync(ts);
  writeFileSync(join(ts, "tokens"), text);
  const tmpLink = join(dir, "..data_tmp");
  symlinkSync(ts, tmpLink);
  renameSync(tmpLink, join(dir, "..data"));
}

test("a rotated Secret reaches the running service without a restart; a broken version keeps the tokens in force", async () => {
  publish(`${OLD}\n`);
  symlinkSync(join("..data", "tokens"), join(dir, "tokens"));
  const settings = { AUTH_TOKENS_FILE: join(dir, "tokens"), AUTH_DISABLED: false };
  const lines: string[] = [];
  const log = createLogger({ write: (line: string) => void lines.push(line) });
  const auth = loadAuth(settings);
  const stop = watchTokenFile(auth, settings, log, 25);
  try {
    assert.ok(auth.check(`Bearer ${OLD}`));
    assert.ok(!auth.check(`Bearer ${NEW}`));

    // Rotation: both tokens for a while (shops move over), then only the new one.
    publish(`${OLD}\n${NEW}\n`);
    await until(() => auth.check(`Bearer ${NEW}`), { what: "the new token is accepted" });
    assert.ok(auth.check(`Bearer ${OLD}`), "the old one still works during the overlap");
    publish(`${NEW}\n`);
    await until(() => !auth.check(`Bearer ${OLD}`), { what: "the old token is refused once removed" });

    // An empty version (a mistake in Secrets Manager) is rejected: the tokens stay.
    publish("\n");
    await until(() => lines.some((l) => JSON.parse(l).msg === "auth.tokens_rejected"), { what: "the rejected version is logged" });
    assert.ok(auth.check(`Bearer ${NEW}`), "an empty file does not lock everyone out");
    assert.ok(!lines.join("").includes(NEW) && !lines.join("").includes(OLD), "no token in the logs");
  } finally {
    stop();
  }
});
