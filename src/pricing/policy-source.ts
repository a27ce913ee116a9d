// Holds the policy in force and re-reads its file while the service runs.
// Kubernetes updates a ConfigMap by swapping a symlink, which file watchers
// miss; comparing the content every `intervalMs` catches every change.
// An invalid new version is logged and the old policy stays.

import { readFileSync } from "node:fs";
import type { Logger } from "../shared/log.ts";
import { parsePolicy, type Policy } from "./policy.ts";

export class PolicySource {
  #policy: Policy;
  #text: string;
  #timer: NodeJS.Timeout | undefined;
  readonly path: string;
  readonly #log: Logger;

  /** Loads the file; throws PolicyError (with the field path) or a read error. */
  constructor(path: string, log: Logger) {
    this.path = path;
    this.#log = log;
    this.#text = readFileSync(path, "utf8");
    this.#policy = parsePolicy(this.#text);
  }

  get current(): Policy {
    return this.#policy;
  }

  /** Checks the file once; true when a new valid policy took effect. */
  reload(): boolean {
    let text: string;
    try {
      text = readFileSync(this.path, "utf8");
    } catch (err) {
      this.#log.error("policy.unreadable", { file: this.path, code: (err as NodeJS.ErrnoException).code });
      return false;
    }
    if (text === this.#text) return false;
    try {
      this.#policy = parsePolicy(text);
      this.#text = text;
      this.#log.info("policy.reloaded", { file: this.path, currency: this.#policy.currency, skus: this.#policy.skus.size, prefixes: this.#policy.prefixes.length });
      return true;
    } catch (err) {
      this.#text = text; // report a broken version once, not on every check
      this.#log.error("policy.rejected", { file: this.path, error: (err as Error).message });
      return false;
    }
  }

  watch(intervalMs: number): void {
    if (intervalMs <= 0) return;
    this.#timer = setInterval(() => this.reload(), intervalMs);
    this.#timer.unref();
  }

  close(): void {
    clearInterval(this.#timer);
  }
}
