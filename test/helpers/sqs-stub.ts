// An in-process stand-in for the SQS client: records every command and
// answers with a handler per action. Unit tests inject it where the services
// take an SqsPort; integration tests use the real SDK against the emulator.

import type { SqsPort } from "../../src/shared/sqs.ts";

export interface RecordedCall {
  action: string;
  input: any;
  at: number;
}

export type Handler = (input: any, call: RecordedCall) => unknown | Promise<unknown>;

export class StubSqs {
  readonly calls: RecordedCall[] = [];
  readonly handlers: Record<string, Handler>;
  constructor(handlers: Record<string, Handler> = {}) {
    this.handlers = handlers;
  }
  callsOf(action: string): RecordedCall[] {
    return this.calls.filter((c) => c.action === action);
  }
  get port(): SqsPort {
    return this as unknown as SqsPort;
  }
  async send(command: { input: unknown; constructor: { name: string } }, options?: { abortSignal?: AbortSignal }): Promise<unknown> {
    const action = command.constructor.name.replace(/Command$/, "");
    const call: RecordedCall = { action, input: structuredClone(command.input), at: Date.now() };
    this.calls.push(call);
    const handler = this.handlers[action];
    if (!handler) throw new Error(`StubSqs: no handler for ${action}`);
    const signal = options?.abortSignal;
    if (signal?.aborted) throw signal.reason;
    if (!signal) return handler(call.input, call);
    return new Promise((resolve, reject) => {
      const onAbort = () => reject(signal.reason);
      signal.addEventListener("abort", onAbort, { once: true });
      Promise.resolve()
        .then(() => handler(call.input, call))
        .then(resolve, reject)
        .finally(() => signal.removeEventListener("abort", onAbort));
    });
  }
}

/** A SendMessageBatch answer storing every entry. */
export function allStored(input: { Entries: Array<{ Id: string }> }) {
  return { Successful: input.Entries.map((e) => ({ Id: e.Id, MessageId: `m-${e.Id}`, MD5OfMessageBody: "" })), Failed: [] };
}

/** An SDK-shaped error (name, $fault, $metadata). */
export function sqsError(name: string, status = 500, fault: "client" | "server" = status >= 500 ? "server" : "client"): Error {
  return Object.assign(new Error(name), { name, $fault: fault, $metadata: { httpStatusCode: status } });
}
