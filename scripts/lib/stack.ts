// The local stack's parts, shared by `npm start` (scripts/local-stack.ts), the
// fault suite (scripts/faults/stack.ts) and the bench (bench/measure.ts and its
// rounds): the SQS emulator as a process of its own, the environment the two
// services read, and a service bundle started as a child process and waited
// for. Every process comes from scripts/lib/process.ts and stops by its pid.

import { join, resolve } from "node:path";
import { EMULATOR_CREDENTIALS, EMULATOR_REGION, type QueueSetup } from "../emulator.ts";
import { spawnNode, type Child, type SpawnExtras } from "./process.ts";
import { NODE_FLAGS } from "../../src/shared/config/shared-vars.ts";

export const ROOT = resolve(import.meta.dirname, "..", "..");
export type Service = "inventory" | "pricing";
/** The built bundles (node build.mjs). */
export const BUNDLES: Record<Service, string> = { inventory: join(ROOT, "dist", "inventory.mjs"), pricing: join(ROOT, "dist", "pricing.mjs") };
export const EXAMPLE_POLICY = join(ROOT, "examples", "policy.yaml");

export interface ServiceEnvOptions {
  /** The SQS endpoint the service talks to: the emulator, a proxy in front of it, or the bench's stub. */
  endpoint: string;
  queues: Pick<QueueSetup, "inventoryUrl"> & Partial<QueueSetup>;
  /** inventory's API token. */
  token?: string;
  /** 0: the service picks a free port and logs it. */
  port?: number;
  logLevel?: string;
  /** pricing's policy; the example policy by default. */
  policyFile?: string;
}

/** What inventory or pricing needs in its environment to run against `endpoint`; `extra` wins. */
export function serviceEnv(service: Service, o: ServiceEnvOptions, extra: Record<string, string> = {}): Record<string, string> {
  const common = {
    ...EMULATOR_CREDENTIALS,
    AWS_REGION: EMULATOR_REGION,
    AWS_ENDPOINT_URL_SQS: o.endpoint,
    QUEUE_URL: o.queues.inventoryUrl,
    HOST: "127.0.0.1",
    PORT: String(o.port ?? 0),
    LOG_LEVEL: o.logLevel ?? "info",
  };
  const own: Record<string, string> =
    service === "inventory"
      ? { ...(o.token ? { AUTH_TOKENS: o.token } : {}) }
      : { ...(o.queues.priceUrl ? { PRICE_QUEUE_URL: o.queues.priceUrl } : {}), POLICY_FILE: o.policyFile ?? EXAMPLE_POLICY };
  return { ...common, ...own, ...extra };
}

export interface StartedService {
  child: Child;
  /** The port it listens on, from its `<name>.listening` log line. */
  port: number;
  url: string;
}

/** A service (its bundle by default) as a child process, not yet ready, with the node flags its container runs with. */
export function spawnService(service: Service, env: Record<string, string>, o: { nodeArgs?: string[]; entry?: string; name?: string } & SpawnExtras = {}): Child {
  const { nodeArgs = [], entry = BUNDLES[service], name = service, ...extras } = o;
  return spawnNode(name, [...NODE_FLAGS[service], ...nodeArgs, entry], env, ROOT, extras);
}

/** Resolves once the service logs `<service>.ready`; rejects naming it when it exits first or takes longer than `timeoutMs`. */
export async function serviceReady(child: Child, service: Service, timeoutMs = 30_000): Promise<StartedService> {
  await child.waitFor(new RegExp(`${service}\\.ready`), timeoutMs);
  const port = Number(/"port":(\d+)/.exec(child.lines.find((l) => l.includes(`${service}.listening`)) ?? "")?.[1]);
  if (!port) throw new Error(`${child.name}: no port in its log`);
  return { child, port, url: `http://127.0.0.1:${port}` };
}

export interface EmulatorProcess {
  child: Child;
  port: number;
  endpoint: string;
  queues: QueueSetup;
}

/**
 * The emulator with the project's queues as a process of its own (node
 * scripts/emulator.ts), so it can be killed -9 and started again on the same
 * port and data directory.
 */
export async function startEmulatorProcess(o: { port?: number; dataDir?: string; visibilityS?: number; maxReceive?: number } = {}): Promise<EmulatorProcess> {
  const args = [join(ROOT, "scripts", "emulator.ts"), "--port", String(o.port ?? 0)];
  // Only numbers reach the queue attributes: the emulator takes "NaN" where SQS refuses it (DESIGN.md).
  if (Number.isFinite(o.visibilityS)) args.push("--visibility", String(o.visibilityS));
  if (Number.isFinite(o.maxReceive)) args.push("--max-receive", String(o.maxReceive));
  if (o.dataDir) args.push("--data-dir", o.dataDir);
  const child = spawnNode("emulator", args, {}, ROOT);
  const ready = JSON.parse(await child.waitFor(/"ready":true/, 15_000)) as QueueSetup & { port: number; endpoint: string };
  return { child, port: ready.port, endpoint: ready.endpoint, queues: { inventoryUrl: ready.inventoryUrl, dlqUrl: ready.dlqUrl, priceUrl: ready.priceUrl } };
}
