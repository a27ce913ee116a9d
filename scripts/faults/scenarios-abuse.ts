// Faults from clients: overload, slowloris, a 50 MB body and garbage
// requests, each beside a normal load whose updates must all arrive.

import { connect } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";
import { load, percentile } from "./client.ts";
import { rssMb } from "./procs.ts";
import type { Scenario, ScenarioContext } from "./scenario.ts";

const base = () => ({ visibilityS: 10, maxReceive: 5 });

function normalLoad(ctx: ScenarioContext, durationMs: number, prefix: string) {
  return load({ url: ctx.stack.inventoryUrl, token: ctx.stack.token, connections: 8, perRequest: 10, durationMs, maxRequests: 20_000, history: ctx.history, skuPrefix: `ABC-${prefix}-` });
}

/** Opens a raw TCP connection to the inventory port, writes `data`, resolves with what came back (bounded). */
function raw(url: string, write: (socket: ReturnType<typeof connect>) => void, timeoutMs: number): Promise<string> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = connect(Number(port), hostname);
    let answer = "";
    const done = () => (clearTimeout(timer), socket.destroy(), resolve(answer));
    const timer = setTimeout(done, timeoutMs);
    socket.setEncoding("utf8");
    socket.on("data", (d: string) => (answer += d.slice(0, 200)));
    socket.on("error", done);
    socket.on("close", done);
    socket.on("connect", () => write(socket));
  });
}

const statusOf = (answer: string) => /^HTTP\/1\.1 (\d{3})/.exec(answer)?.[1] ?? (answer ? "other" : "closed");

function tally(statuses: string[]): string {
  const counts = new Map<string, number>();
  for (const s of statuses) counts.set(s, (counts.get(s) ?? 0) + 1);
  return [...counts.entries()].sort().map(([k, n]) => `${k}x${n}`).join(" ");
}

export const overload: Scenario = {
  name: "overload: 256 connections x 50 updates",
  stack: base,
  settleTimeoutMs: () => 60_000,
  async run(ctx) {
    const pid = ctx.stack.inventory!.pid;
    await sleep(500);
    const baseline = rssMb(pid);
    const soakMs = ctx.scale === "full" ? 60_000 : 4_000;
    const started = Date.now();
    const result = await load({ url: ctx.stack.inventoryUrl, token: ctx.stack.token, connections: 256, perRequest: 50, durationMs: soakMs, maxRequests: 1_000_000, history: ctx.history, skuPrefix: "ABC-over-", backoffMs: 20 });
    const ended = Date.now();
    const third = (ended - started) / 3;
    const firstThird = ctx.stack.rss.peak("inventory", started, started + third);
    const lastThird = ctx.stack.rss.peak("inventory", ended - third, ended);
    await sleep(ctx.scale === "full" ? 5000 : 1500);
    const after = rssMb(pid);
    const peak = ctx.stack.rss.peak("inventory", started, ended);
    ctx.note(
      `${(soakMs / 1000).toFixed(0)} s soak; inventory RSS ${baseline.toFixed(0)} MB idle, peak ${peak.toFixed(0)}, first third ${firstThird.toFixed(0)}, last third ${lastThird.toFixed(0)}, ${after.toFixed(0)} MB 5 s after; ` +
        `202 latency p50 ${percentile(result.latenciesMs, 50)} ms, p99 ${percentile(result.latenciesMs, 99)} ms`,
    );
    if (ctx.scale === "full") {
      // Plateau: the last third of the soak may not climb above the first third by more than 15%.
      if (lastThird > firstThird * 1.15 + 10) ctx.fail(`RSS kept growing: ${firstThird.toFixed(0)} -> ${lastThird.toFixed(0)} MB`);
      // Back near the baseline: within half of what the load added.
      if (after > baseline + Math.max(40, (peak - baseline) / 2)) ctx.fail(`RSS did not come back: ${after.toFixed(0)} MB after, ${baseline.toFixed(0)} MB idle`);
    }
  },
};

export const slowloris: Scenario = {
  name: "slowloris: 200 connections dripping headers",
  stack: () => ({ ...base(), inventoryEnv: { REQUEST_TIMEOUT_MS: "3000" } }),
  settleTimeoutMs: () => 20_000,
  async run(ctx) {
    const n = ctx.scale === "full" ? 200 : 50;
    const drip = Array.from({ length: n }, () =>
      raw(ctx.stack.inventoryUrl, (socket) => {
        const head = `POST /v1/inventory HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${ctx.stack.token}\r\nX-Slow: `;
        socket.write(head);
        const t = setInterval(() => (socket.writable ? socket.write("a") : clearInterval(t)), 500);
        socket.once("close", () => clearInterval(t));
      }, 8000),
    );
    await normalLoad(ctx, ctx.scale === "full" ? 5000 : 2500, "slow");
    const statuses = (await Promise.all(drip)).map(statusOf);
    ctx.note(`slow connections answered: ${tally(statuses)}`);
    if (statuses.some((s) => s === "202")) ctx.fail("a slowloris request was accepted");
  },
};

export const bigBodyAndGarbage: Scenario = {
  name: "50 MB body + 2,000 garbage requests",
  stack: base,
  settleTimeoutMs: () => 20_000,
  async run(ctx) {
    const garbageCount = ctx.scale === "full" ? 2000 : 300;
    const big = raw(ctx.stack.inventoryUrl, (socket) => {
      socket.write(`POST /v1/inventory HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${ctx.stack.token}\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n`);
      const chunk = Buffer.alloc(1024 * 1024, 0x20);
      let sent = 0;
      const more = () => {
        while (sent < 50 && socket.writable) {
          sent++;
          if (!socket.write(`${chunk.length.toString(16)}\r\n${chunk.toString("latin1")}\r\n`)) return void socket.once("drain", more);
        }
        if (socket.writable) socket.write("0\r\n\r\n");
      };
      more();
    }, 15_000);
    const garbage = (async () => {
      const statuses: string[] = [];
      const kinds = [
        "GARBAGE\r\n\r\n",
        "POST /v1/inventory HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n",
        `POST /v1/inventory HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${ctx.stack.token}\r\nContent-Type: application/json\r\nContent-Length: 9\r\nConnection: close\r\n\r\n{"sku":[1`,
        `POST /v1/inventory HTTP/1.1\r\nHost: x\r\nX: ${"\u0001".repeat(10)}\r\n\r\n`,
      ];
      for (let i = 0; i < garbageCount; i += 50) {
        const batch = Array.from({ length: Math.min(50, garbageCount - i) }, (_, j) => raw(ctx.stack.inventoryUrl, (s) => s.end(kinds[(i + j) % kinds.length]), 5000));
        statuses.push(...(await Promise.all(batch)).map(statusOf));
      }
      return statuses;
    })();
    await normalLoad(ctx, ctx.scale === "full" ? 5000 : 2500, "garbage");
    const bigStatus = statusOf(await big);
    const garbageStatuses = await garbage;
    ctx.note(`50 MB body: ${bigStatus}; garbage: ${tally(garbageStatuses)}`);
    if (bigStatus === "202") ctx.fail("the 50 MB body was accepted");
    if (garbageStatuses.includes("202")) ctx.fail("a garbage request was accepted");
    if (ctx.stack.inventory!.child.exitCode !== null) ctx.fail("inventory died");
  },
};
