// Sends one malformed event of a packed message to the DLQ on its own, with
// message attributes that say why, so its neighbours can still be priced.
// (A body that is not a batch or a known event at all is left to the queue's
// redrive policy instead: that message reaches the DLQ whole, as before.)

import { SendMessageCommand, type Message, type MessageAttributeValue } from "@aws-sdk/client-sqs";
import type { ValidationError } from "../shared/errors.ts";
import { isFifoQueue, type SqsPort } from "../shared/sqs.ts";

export type DeadLetter = (raw: unknown, error: ValidationError, message: Message, index: number) => Promise<void>;

const text = (value: string): MessageAttributeValue => ({ DataType: "String", StringValue: value.slice(0, 256) || "-" });

export function createDeadLetter(sqs: SqsPort, dlqUrl: string, callTimeoutMs = 5000): DeadLetter {
  const fifo = isFifoQueue(dlqUrl);
  return async (raw, error, message, index) => {
    const source = message.MessageId ?? "unknown";
    const command = new SendMessageCommand({
      QueueUrl: dlqUrl,
      MessageBody: JSON.stringify(raw) ?? "null",
      MessageAttributes: {
        "content-type": text(typeof raw === "object" && raw !== null ? "application/cloudevents+json" : "application/json"),
        "error-code": text(error.code),
        "error-field": text(error.field ?? "event"),
        "error-message": text(error.message),
        "source-message-id": text(source),
        "source-index": { DataType: "Number", StringValue: String(index) },
      },
      ...(fifo ? { MessageGroupId: "poison", MessageDeduplicationId: `${source}-${index}`.replace(/[^\w-]/g, "_").slice(0, 128) } : {}),
    });
    await sqs.send(command, { abortSignal: AbortSignal.timeout(callTimeoutMs) });
  };
}
