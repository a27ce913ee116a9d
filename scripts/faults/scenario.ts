// What every fault scenario shares: its scale (full for `npm run faults`,
// short for `npm test`), the row it reports, and the harness that starts a
// stack, runs the scenario's faults beside a bounded load, lets the system
// settle, reads the decisions back and checks the history.

import { check, History, type Verdict } from "./history.ts";
import { FaultStack, type FaultStackOptions } from "./stack.ts";

export type Scale = "full" | "short";

export interface Row extends Verdict {
  scenario: string;
  invisible: number;
  settleMs: number;
  peakInventoryMb: number;
  peakPricingMb: number;
  notes: string;
  /** Promises broken: lost updates, messages left invisible, and each scenario's own checks. */
  failures: string[];
}

export interface ScenarioContext {
  stack: FaultStack;
  history: History;
  scale: Scale;
  /** Scenario-specific findings for the notes column. */
  note(text: string): void;
  /** A broken promise of this scenario. */
  fail(text: string): void;
  /** The part that must run alone is over (the rest is settling): the runner may start the next scenario. */
  aloneDone(): void;
}

export interface Scenario {
  name: string;
  stack: (scale: Scale) => FaultStackOptions;
  /** Messages that must end in the DLQ. */
  dlq?: (scale: Scale) => number;
  settleTimeoutMs: (scale: Scale) => number;
  /**
   * The load may outrun pricing on purpose (the overload soak): when the settle
   * window closes with a backlog, pricing is stopped gracefully, nothing may be
   * left invisible, and what is still in the queue is read back and counted as
   * queued: stored in SQS, so not lost, and priced by the next pricing process.
   */
  backlogAllowed?: boolean;
  run(ctx: ScenarioContext): Promise<void>;
}

export async function runScenario(s: Scenario, scale: Scale, aloneDone: () => void = () => {}): Promise<Row> {
  const stack = await FaultStack.start(s.stack(scale));
  const history = new History();
  const notes: string[] = [];
  const failures: string[] = [];
  try {
    await s.run({ stack, history, scale, note: (t) => notes.push(t), fail: (t) => failures.push(t), aloneDone });
    aloneDone();
    if (!stack.pricing || stack.pricing.proc.exitCode !== null) await stack.startPricing();
    const dlq = s.dlq?.(scale) ?? 0;
    const settled = await stack.settle((body) => history.decision(body), { timeoutMs: s.settleTimeoutMs(scale), dlq });
    let backlogAccounted = false;
    if (!settled.settled && s.backlogAllowed) {
      // A graceful stop releases what pricing holds: afterwards nothing may be invisible.
      await stack.pricing?.stop("SIGTERM", 30_000);
      await stack.drainQueue(stack.queues.priceUrl, (body) => history.decision(body));
      settled.invisible = (await stack.depth(stack.queues.inventoryUrl)).invisible;
      await stack.drainQueue(stack.queues.inventoryUrl, (body) => history.stillQueued(body));
      backlogAccounted = settled.invisible === 0;
    }
    await stack.drainQueue(stack.queues.dlqUrl, (body) => history.deadLetter(body));
    const verdict = check(history);
    if (verdict.lost > 0) failures.push(`${verdict.lost} acknowledged update(s) lost, e.g. ${verdict.lostExamples.join(", ")}`);
    if (settled.invisible > 0) failures.push(`${settled.invisible} message(s) still invisible after settling`);
    if (!settled.settled && !backlogAccounted) failures.push(`did not settle within ${s.settleTimeoutMs(scale)} ms`);
    if (verdict.queued > 0) notes.push(`backlog when the settle window closed: ${verdict.queued} updates still stored in the queue, read back after a graceful stop of pricing (0 invisible)`);
    if (verdict.queued > 0 && verdict.decided === 0) failures.push("pricing decided nothing: a backlog without progress");
    if (verdict.inDlq !== dlq) failures.push(`${verdict.inDlq} message(s) in the DLQ, expected ${dlq}`);
    if (verdict.accepted === 0) failures.push("no update was answered 202: the scenario measured nothing");
    return {
      scenario: s.name,
      ...verdict,
      invisible: settled.invisible,
      settleMs: settled.settleMs,
      peakInventoryMb: stack.rss.peak("inventory"),
      peakPricingMb: stack.rss.peak("pricing"),
      notes: notes.join("; "),
      failures,
    };
  } finally {
    await stack.stop();
  }
}

export function formatTable(rows: Row[]): string {
  const head = "| scenario | updates 202 | other answers | decided | lost | duplicates | left invisible | in DLQ | settle s | peak RSS MB (inv / pri) | notes |";
  const sep = "| --- | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |";
  const lines = rows.map((r) =>
    `| ${r.scenario} | ${r.accepted} | ${r.others} | ${r.decided} | ${r.lost} | ${r.duplicates} | ${r.invisible} | ${r.inDlq} | ${(r.settleMs / 1000).toFixed(1)} | ${r.peakInventoryMb.toFixed(0)} / ${r.peakPricingMb.toFixed(0)} | ${r.notes || "-"} |`,
  );
  return [head, sep, ...lines].join("\n");
}
