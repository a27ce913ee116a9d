// Resident memory of the fault suite's processes, sampled from /proc while a
// scenario runs.

import { rssMb, type Child } from "../lib/process.ts";

/** Samples the RSS of the processes it is given, every `everyMs`. */
export class RssSampler {
  readonly samples: Array<{ at: number; name: string; mb: number }> = [];
  #timer: NodeJS.Timeout;
  #procs = new Set<Child>();
  constructor(everyMs = 200) {
    this.#timer = setInterval(() => {
      const at = Date.now();
      for (const p of this.#procs) {
        const mb = rssMb(p.pid);
        if (mb > 0) this.samples.push({ at, name: p.name, mb });
      }
    }, everyMs);
  }
  watch(p: Child): void {
    this.#procs.add(p);
    void p.exited.then(() => this.#procs.delete(p));
  }
  peak(name: string, from = 0, to = Infinity): number {
    return Math.max(0, ...this.samples.filter((s) => s.name === name && s.at >= from && s.at <= to).map((s) => s.mb));
  }
  close(): void {
    clearInterval(this.#timer);
  }
}
