// The SQS emulator as a process of its own, so a fault scenario can kill -9
// it and start it again on the same port and data directory.
//   node scripts/faults/emulator-main.ts --port N [--data-dir DIR] [--visibility S] [--max-receive N]
// Prints one JSON line {"ready":true,"port",...queue URLs} once the queues exist.

import { parseArgs } from "node:util";
import { createQueues, startEmulator } from "../emulator.ts";

const { values } = parseArgs({
  options: {
    port: { type: "string", default: "0" },
    "data-dir": { type: "string" },
    visibility: { type: "string", default: "30" },
    "max-receive": { type: "string", default: "5" },
  },
});
const emulator = await startEmulator({ port: Number(values.port), dataDir: values["data-dir"] });
const queues = createQueues(emulator, { visibilityTimeoutS: Number(values.visibility), maxReceiveCount: Number(values["max-receive"]) });
process.stdout.write(`${JSON.stringify({ ready: true, port: emulator.port, endpoint: emulator.endpoint, ...queues })}\n`);
for (const signal of ["SIGTERM", "SIGINT"] as const) {
  process.once(signal, () => void emulator.stop().then(() => process.exit(0)));
}
