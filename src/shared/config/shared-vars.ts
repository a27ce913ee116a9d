// Environment variables both services read the same way.

import { int, oneOf, str, url } from "./parse.ts";
import { LEVELS } from "../log.ts";
import { IDLE_UTILIZATION, RELEASE_GROWTH_BYTES } from "../memory.ts";
import { QUEUE_NAMES } from "../names.ts";

const REGION_PATTERN = /^[a-z]{2}(-[a-z]+)+-\d+$/;
export const QUEUE_NAME_PATTERN = /^[A-Za-z0-9_-]{1,75}(\.fifo)?$/;
export const QUEUE_NAME_ALLOWED = "1-80 characters A-Z a-z 0-9 _ -, optional .fifo";

/** PORT, HOST, the inventory queue, region and endpoint. */
export function serviceEnv(port: number, portUse: string) {
  return {
    PORT: int({ default: port, min: 0, max: 65535, description: `${portUse} (0 picks a free port).` }),
    HOST: str({ optional: true, allowed: "an IP address or host name", description: "Address to bind; all interfaces when unset." }),
    QUEUE_URL: url({ optional: true, description: "URL of the inventory update queue; when unset the URL is looked up from QUEUE_NAME." }),
    QUEUE_NAME: str({ default: QUEUE_NAMES.inventory, pattern: QUEUE_NAME_PATTERN, allowed: QUEUE_NAME_ALLOWED, description: "Queue name resolved with sqs:GetQueueUrl when QUEUE_URL is unset." }),
    AWS_REGION: str({ required: true, pattern: REGION_PATTERN, allowed: "an AWS region such as eu-west-1", description: "Region of the queues (set by EKS for IRSA pods)." }),
    AWS_ENDPOINT_URL_SQS: url({ optional: true, description: "SQS endpoint override (local emulator, VPC endpoint). Queue URLs then never choose the host." }),
  };
}

/**
 * The V8 heap caps both Deployments set in NODE_OPTIONS, and the fault suite
 * runs with. The old generation: left alone, Node sizes it close to the pod's
 * whole limit. The young one: left alone, V8 grew it to 128 MiB under load
 * (64 MiB semi-spaces), which alone put pricing working through a backlog at
 * 274 MB RSS; with 16 MiB semi-spaces it peaked at 191-198 MB and drained the
 * same backlog 10% sooner, and inventory accepted as much under overload.
 */
export const HEAP_FLAGS = ["--max-old-space-size=128", "--max-semi-space-size=16"] as const;
export const HEAP_NODE_OPTIONS = HEAP_FLAGS.join(" ");

/**
 * V8 flags a service's container passes on node's command line (pricing's
 * Deployment sets `command`: Node refuses these in NODE_OPTIONS), and the
 * local stack, the fault suite and the bench run with. Pricing collects its
 * garbage on the main thread alone: it drains a queue and nothing waits on
 * its pauses, while V8's helper threads cost more CPU than the pauses they
 * save (draining 20,000 packed updates side by side, three pairs: 19.1
 * against 21.1 us per update; docs/performance.md). Inventory keeps V8's
 * default: every 202 waits on a pause there, and the flag saved it nothing
 * measurable under the bench's load.
 */
export const NODE_FLAGS: Readonly<Record<"inventory" | "pricing", readonly string[]>> = { inventory: [], pricing: ["--single-threaded-gc"] };

// Read by Node itself, listed so that the manifests may set it.
const NODE_OPTIONS_VAR = str({
  optional: true,
  allowed: "Node.js options",
  description: `Read by Node, not the service. The Deployment caps the V8 heap (${HEAP_NODE_OPTIONS}): by default Node sizes it close to the pod's whole memory limit and lets the young generation grow to 128 MiB.`,
});

/**
 * glibc's allocator, set by both Deployments and the fault suite: buffers of
 * 128 KiB and more (SQS request and answer bodies) get a mapping of their own,
 * unmapped when freed. By default glibc raises that threshold after the first
 * such free and serves them from its heap, which a burst leaves fragmented and
 * resident: pricing working through a backlog under the overload soak held
 * 253 MB RSS with a V8 heap of 80 MB; with this 190 MB (npm run faults).
 */
export const MALLOC_TUNABLES = "glibc.malloc.mmap_threshold=131072";

// Read by the C library, listed so that the manifests may set it.
const GLIBC_TUNABLES_VAR = str({
  optional: true,
  allowed: "glibc tunables",
  description: `Read by the C library, not the service. The Deployment sets ${MALLOC_TUNABLES}, so that large buffers are unmapped when freed instead of staying in a fragmented heap (see Memory bound).`,
});

/** The check window of src/shared/memory.ts. */
const MEMORY_RELEASE_VAR = int({
  default: 5,
  min: 0,
  max: 3600,
  description: `After a burst, once the event loop has been under ${IDLE_UTILIZATION * 100}% busy for this many seconds and RSS grew ${RELEASE_GROWTH_BYTES / 1048576} MiB or more, run one full GC so that V8 returns the pages it kept (logged as memory.released); 0 turns it off.`,
});

const LOG_LEVEL_VAR = oneOf({ values: LEVELS, default: "info", description: "Least severe level logged." });

/** The variables each service's table ends with: memory release, log level, and what Node and glibc read themselves. */
export const PROCESS_VARS = {
  MEMORY_RELEASE_IDLE_S: MEMORY_RELEASE_VAR,
  LOG_LEVEL: LOG_LEVEL_VAR,
  NODE_OPTIONS: NODE_OPTIONS_VAR,
  GLIBC_TUNABLES: GLIBC_TUNABLES_VAR,
};
