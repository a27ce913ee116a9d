// Holds the policy in force and re-reads its file while the service runs
// (src/shared/file-watch.ts). An invalid new version is logged and the old
// policy stays.

import { readFileSync } from "node:fs";
import { watchFile, type FileWatch } from "../shared/file-watch.ts";
import type { Logger } from "../shared/log.ts";
import { parsePolicy, type Policy } from "./policy.ts";

export class PolicySource {
  #policy: Policy;
  readonly #watch: FileWatch;
  readonly path: string;

  /** Loads the file; throws PolicyError (with the field path) or a read error. */
  constructor(path: string, log: Logger) {
    this.path = path;
    const text = readFileSync(path, "utf8");
    this.#policy = parsePolicy(text);
    this.#watch = watchFile({
      path,
      initial: text,
      parse: parsePolicy,
      onChange: (policy) => {
        this.#policy = policy;
        log.info("policy.reloaded", { file: path, currency: policy.currency, skus: policy.skus.size, prefixes: policy.prefixes.length });
      },
      onUnreadable: (err) => log.error("policy.unreadable", { file: path, code: err.code }),
      onRejected: (err) => log.error("policy.rejected", { file: path, err }),
    });
  }

  get current(): Policy {
    return this.#policy;
  }

  /** Checks the file once; true when a new valid policy took effect. */
  reload(): boolean {
    return this.#watch.check();
  }

  watch(intervalMs: number): void {
    this.#watch.start(intervalMs);
  }

  close(): void {
    this.#watch.stop();
  }
}
