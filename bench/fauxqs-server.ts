// The fauxqs emulator as the benchmark's SQS (npm run bench -- --sqs fauxqs):
// a sanity run against a fuller SQS implementation. Prints {"port":N}.

import { createQueues, startEmulator } from "../scripts/emulator.ts";

const emulator = await startEmulator({ port: 0 });
createQueues(emulator);
process.stdout.write(JSON.stringify({ port: emulator.port }) + "\n");
process.on("SIGTERM", () => void emulator.stop().then(() => process.exit(0)));
