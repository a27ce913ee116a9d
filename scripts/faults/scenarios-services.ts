// Faults in the processes: pricing killed or stopped mid-stream, inventory
// stopped under load, the SQS emulator killed, poison messages.

import { SendMessageBatchCommand } from "@aws-sdk/client-sqs";
import { setTimeout as sleep } from "node:timers/promises";
import type { Child, Exit } from "../lib/process.ts";
import { load } from "./client.ts";
import type { Scale, Scenario, ScenarioContext } from "./scenario.ts";
import { SUITE_MAX_RECEIVE } from "./stack.ts";

/** Visibility timeout of the queue and pricing: what a kill -9 costs in delay. */
const visibilityS = (scale: Scale) => (scale === "full" ? 10 : 5);
const base = (extra: { persistent?: boolean; maxReceive?: number } = {}) => (scale: Scale) => ({ visibilityS: visibilityS(scale), maxReceive: extra.maxReceive ?? SUITE_MAX_RECEIVE, persistent: extra.persistent });
const seconds = (scale: Scale, full: number, short: number) => (scale === "full" ? full : short) * 1000;

/** The usual background load: 16 keep-alive connections (unless told), 10 updates per request. */
function backgroundLoad(ctx: ScenarioContext, durationMs: number, prefix: string, signal?: AbortSignal, connections = 16) {
  return load({ url: ctx.stack.inventoryUrl, token: ctx.stack.token, connections, perRequest: 10, durationMs, maxRequests: 20_000, history: ctx.history, skuPrefix: `ABC-${prefix}-`, signal });
}

/**
 * A scenario that stops pricing mid-stream with `signal` while the usual load
 * runs (`tag` names its SKUs), then goes on with `then`, which starts the new
 * pricing and waits for the load.
 */
function pricingInterrupted(name: string, signal: NodeJS.Signals, tag: string, settleMs: number, then: (ctx: ScenarioContext, old: Child, exit: Exit, loading: Promise<unknown>) => Promise<void>): Scenario {
  return {
    name,
    stack: base(),
    settleTimeoutMs: () => settleMs,
    async run(ctx) {
      const loading = backgroundLoad(ctx, seconds(ctx.scale, 4, 2), tag);
      const old = ctx.stack.pricing!;
      await old.waitFor(/price\.changed/, 15_000);
      await sleep(300);
      const exit = await old.stop(signal, 30_000);
      await then(ctx, old, exit, loading);
    },
  };
}

export const pricingKill = pricingInterrupted("pricing kill -9 mid-stream", "SIGKILL", "k9", 40_000, async (ctx, _old, _exit, loading) => {
  await ctx.stack.startPricing();
  await loading;
  ctx.note(`held messages return after the ${visibilityS(ctx.scale)} s visibility timeout`);
});

export const pricingTerm = pricingInterrupted("pricing SIGTERM mid-stream", "SIGTERM", "term", 20_000, async (ctx, old, exit, loading) => {
  await sleep(Math.max(0, exit.at + 1000 - Date.now()));
  const { invisible } = await ctx.stack.depth(ctx.stack.queues.inventoryUrl);
  const drained = old.lines.find((l) => l.includes("pricing.drained")) ?? "";
  ctx.note(`exit ${exit.code}; invisible 1 s after exit: ${invisible}; ${/"released":\d+/.exec(drained)?.[0] ?? "no drain line"}`);
  if (exit.code !== 0) ctx.fail(`pricing exited ${exit.code ?? exit.signal} on SIGTERM`);
  if (invisible !== 0) ctx.fail(`${invisible} message(s) invisible 1 s after a graceful stop`);
  await ctx.stack.startPricing();
  await loading;
});

export const inventoryTerm: Scenario = {
  name: "inventory SIGTERM under load",
  stack: base(),
  settleTimeoutMs: () => 20_000,
  async run(ctx) {
    // Keep-alive clients: the SIGTERM comes once every connection is open and has had an answer.
    let allAnswered!: () => void;
    const connected = new Promise<void>((resolve) => (allAnswered = resolve));
    const loading = load({ url: ctx.stack.inventoryUrl, token: ctx.stack.token, connections: 32, perRequest: 5, durationMs: seconds(ctx.scale, 5, 4), maxRequests: 50_000, history: ctx.history, skuPrefix: "ABC-invterm-", leaveOnClose: true, onAllAnswered: allAnswered });
    await Promise.race([connected, sleep(3000)]);
    await sleep(seconds(ctx.scale, 1.5, 0.5));
    const exit = await ctx.stack.inventory!.stop("SIGTERM", 30_000);
    await loading;
    const resets = [...ctx.history.answers.entries()].filter(([c]) => /ECONNRESET|UND_ERR_SOCKET|EPIPE/.test(c)).reduce((a, [, n]) => a + n, 0);
    ctx.note(`exit ${exit.code}; keep-alive resets: ${resets}; a client answered Connection: close leaves, as behind a load balancer`);
    if (exit.code !== 0) ctx.fail(`inventory exited ${exit.code ?? exit.signal} on SIGTERM`);
    if (resets > 0) ctx.fail(`${resets} request(s) saw a reset during the drain`);
  },
};

export const emulatorKill: Scenario = {
  name: "SQS emulator kill -9, restart on its data",
  stack: base({ persistent: true }),
  settleTimeoutMs: () => 40_000,
  async run(ctx) {
    const down = seconds(ctx.scale, 7, 2);
    // The load goes on until a while after SQS is back (at most 40 s).
    const stopLoad = new AbortController();
    // The persistent emulator is slow to work off a backlog: a lighter load in the short version.
    const loading = backgroundLoad(ctx, 40_000, "sqsdown", stopLoad.signal, ctx.scale === "full" ? 16 : 4);
    await sleep(seconds(ctx.scale, 2, 1));
    await ctx.stack.emulator.stop("SIGKILL");
    const killedAt = Date.now();
    const before202 = ctx.history.answers.get("202") ?? 0;
    await sleep(down);
    const during202 = (ctx.history.answers.get("202") ?? 0) - before202;
    await ctx.stack.startEmulator();
    const restartedAt = Date.now();
    const at202 = ctx.history.answers.get("202") ?? 0;
    let recoveredMs = -1;
    while (Date.now() - restartedAt < 10_000) {
      if ((ctx.history.answers.get("202") ?? 0) > at202) {
        recoveredMs = Date.now() - restartedAt;
        break;
      }
      await sleep(20);
    }
    await sleep(seconds(ctx.scale, 3, 1));
    stopLoad.abort();
    await loading;
    ctx.note(`down ${((restartedAt - killedAt) / 1000).toFixed(1)} s; 202 while down: ${during202}; first 202 ${recoveredMs < 0 ? "never" : `${(recoveredMs / 1000).toFixed(1)} s`} after restart`);
    if (during202 > 0) ctx.fail(`${during202} request(s) answered 202 while SQS was down`);
    if (recoveredMs < 0) ctx.fail("inventory did not recover within 10 s of SQS coming back");
  },
};

const POISON = 20;

export const poison: Scenario = {
  name: `${POISON} poison messages`,
  // SUITE_MAX_RECEIVE receives in the full run, 2 in the short one.
  stack: (scale) => base({ maxReceive: scale === "full" ? SUITE_MAX_RECEIVE : 2 })(scale),
  dlq: () => POISON,
  // Backoff 2, 4, 8 ... s per receive: the DLQ move comes at 2 x (2^M - 1) s.
  settleTimeoutMs: (scale) => (2 * (2 ** (scale === "full" ? SUITE_MAX_RECEIVE : 2) - 1) + 20) * 1000,
  async run(ctx) {
    const bodies = Array.from({ length: POISON }, (_, i) => (i % 2 ? `not json ${i}` : JSON.stringify({ type: "inventory.updated", schemaVersion: 99, n: i })));
    for (let i = 0; i < bodies.length; i += 10) {
      await ctx.stack.sqs.send(new SendMessageBatchCommand({ QueueUrl: ctx.stack.queues.inventoryUrl, Entries: bodies.slice(i, i + 10).map((b, j) => ({ Id: String(j), MessageBody: b })) }));
    }
    await backgroundLoad(ctx, seconds(ctx.scale, 3, 1.5), "poison");
    const m = ctx.scale === "full" ? 5 : 2;
    ctx.note(`redrive after ${m} receives; backoff schedule puts them in the DLQ after ~${2 * (2 ** m - 1)} s`);
  },
};
