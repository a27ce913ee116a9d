// Delivery of alarm notifications: Publish on the SNS query API (what
// CloudWatch does on AWS; the emulator fans the message out to the SQS
// queues subscribed to the topic), and, for --alarm-webhook, the POST that SNS
// makes to an HTTP/S subscriber. The emulator does not deliver to HTTP
// subscriptions, so the stack makes that POST itself, with SNS's headers and
// envelope, so that a forwarder can be written against it.

import { randomUUID } from "node:crypto";

export class PublishError extends Error {
  readonly code: string;
  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}

/** SNS Publish over the query protocol; returns the MessageId. */
export async function publish(endpoint: string, topicArn: string, subject: string, message: string): Promise<string> {
  const body = new URLSearchParams({ Action: "Publish", Version: "2010-03-31", TopicArn: topicArn, Subject: subject, Message: message });
  let res: Response;
  try {
    res = await fetch(endpoint, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded; charset=utf-8" },
      body,
      signal: AbortSignal.timeout(5000),
    });
  } catch (err) {
    throw new PublishError("SNS_UNREACHABLE", `SNS Publish to ${endpoint} failed: ${(err as Error).message}`, { cause: err });
  }
  const text = await res.text();
  const id = /<MessageId>([^<]+)<\/MessageId>/.exec(text)?.[1];
  if (!res.ok || !id) {
    const code = /<Code>([^<]+)<\/Code>/.exec(text)?.[1] ?? `HTTP_${res.status}`;
    throw new PublishError(code, `SNS Publish to ${topicArn} answered ${res.status} ${code}`);
  }
  return id;
}

/** The JSON document SNS delivers to HTTP/S subscribers and (raw delivery off) to SQS. */
export interface SnsEnvelope {
  Type: "Notification";
  MessageId: string;
  TopicArn: string;
  Subject?: string;
  Message: string;
  Timestamp: string;
  SignatureVersion: string;
  Signature: string;
  SigningCertURL: string;
  UnsubscribeURL: string;
}

export function snsEnvelope(topicArn: string, messageId: string, subject: string, message: string, at = Date.now()): SnsEnvelope {
  const region = topicArn.split(":")[3] ?? "us-east-1";
  return {
    Type: "Notification",
    MessageId: messageId,
    TopicArn: topicArn,
    Subject: subject,
    Message: message,
    Timestamp: new Date(at).toISOString(),
    SignatureVersion: "1",
    // Locally nothing signs: a forwarder must skip signature checks in development only.
    Signature: "EXAMPLE",
    SigningCertURL: `https://sns.${region}.amazonaws.com/SimpleNotificationService-0000000000000000000000.pem`,
    UnsubscribeURL: `https://sns.${region}.amazonaws.com/?Action=Unsubscribe&SubscriptionArn=${topicArn}:${randomUUID()}`,
  };
}

/** POSTs like SNS to an HTTP subscriber: text/plain body, x-amz-sns-* headers. One attempt, 5 s timeout. */
export async function postWebhook(url: string, envelope: SnsEnvelope): Promise<number> {
  const res = await fetch(url, {
    method: "POST",
    headers: {
      "content-type": "text/plain; charset=UTF-8",
      "user-agent": "Amazon Simple Notification Service Agent",
      "x-amz-sns-message-type": envelope.Type,
      "x-amz-sns-message-id": envelope.MessageId,
      "x-amz-sns-topic-arn": envelope.TopicArn,
    },
    body: JSON.stringify(envelope),
    signal: AbortSignal.timeout(5000),
  });
  await res.arrayBuffer();
  return res.status;
}
