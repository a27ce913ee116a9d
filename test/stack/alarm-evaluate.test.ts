// CloudWatch's evaluation rules, the notification built from a state change,
// the summary line and the alarm flags, without the stack.

import assert from "node:assert/strict";
import { test } from "node:test";
import type { AlarmDefinition } from "../../scripts/alarms/definitions.ts";
import { evaluate, reasonTime, statistic, type AlarmState } from "../../scripts/alarms/evaluate.ts";
import { closePeriod, type AlarmTracker } from "../../scripts/alarms/monitor.ts";
import { alarmMessage, alarmSubject, summaryLine } from "../../scripts/alarms/notification.ts";
import { alarmLine, parseAlarmPeriod, parseWebhookUrl } from "../../scripts/alarms/options.ts";
import { ROOT } from "../../scripts/local-stack.ts";
import { startChild } from "../../scripts/lib/process.ts";
import { BACKLOG, schemaErrors } from "../helpers/alarms.ts";
import { join } from "node:path";


const T0 = Date.UTC(2026, 10, 26, 5, 10, 0);
const points = (values: Array<number | undefined>) => values.map((value, i) => ({ time: T0 + i * 60_000, value }));
const _ = undefined;

const CASES: Array<[string, Partial<AlarmDefinition>, Array<number | undefined>, AlarmState, AlarmState]> = [
  ["5 of 5 breaching", {}, [60, 60, 60, 60, 73], "OK", "ALARM"],
  ["4 of 5 breaching is not enough", {}, [10, 60, 60, 60, 73], "OK", "OK"],
  ["recovery: the newest datapoint is below", {}, [60, 60, 60, 60, 0], "ALARM", "OK"],
  ["exactly the threshold does not breach GreaterThan", {}, [50, 50, 50, 50, 50], "OK", "OK"],
  ["GreaterThanOrEqualTo breaches at the threshold", { comparison: "GreaterThanOrEqualToThreshold" }, [50, 50, 50, 50, 50], "OK", "ALARM"],
  ["3 of 5 (datapoints_to_alarm) need not be consecutive", { datapointsToAlarm: 3 }, [60, 0, 60, 0, 60], "OK", "ALARM"],
  ["notBreaching: missing datapoints are good", {}, [60, 60, _, 60, 60], "OK", "OK"],
  ["notBreaching: all missing is OK", {}, [_, _, _, _, _], "INSUFFICIENT_DATA", "OK"],
  ["breaching: missing datapoints are bad", { treatMissingData: "breaching" }, [60, 60, _, 60, _], "OK", "ALARM"],
  ["missing: no datapoint at all -> INSUFFICIENT_DATA", { treatMissingData: "missing" }, [_, _, _, _, _], "ALARM", "INSUFFICIENT_DATA"],
  ["missing: the present datapoints decide", { treatMissingData: "missing" }, [_, _, _, 0, 0], "ALARM", "OK"],
  ["ignore: all missing keeps the state", { treatMissingData: "ignore" }, [_, _, _, _, _], "ALARM", "ALARM"],
  ["ignore: a missing newest datapoint keeps the state", { treatMissingData: "ignore" }, [0, 0, 0, 0, _], "ALARM", "ALARM"],
  ["ignore: a present good newest datapoint gives OK", { treatMissingData: "ignore" }, [_, _, _, _, 0], "ALARM", "OK"],
  ["LessThan for a minimum", { comparison: "LessThanThreshold", threshold: 1, evaluationPeriods: 2, datapointsToAlarm: 2 }, [0, 0], "OK", "ALARM"],
];

for (const [name, change, values, from, expected] of CASES) {
  test(`evaluation: ${name}`, () => {
    assert.equal(evaluate({ ...BACKLOG, ...change }, points(values), from).state, expected);
  });
}

test("the state reason reads like CloudWatch's", () => {
  const alarm = evaluate(BACKLOG, points([60, 61, 62, 63, 73]), "OK");
  assert.equal(
    alarm.reason,
    "Threshold Crossed: 5 out of the last 5 datapoints [73.0 (26/11/26 05:14:00), 63.0 (26/11/26 05:13:00), 62.0 (26/11/26 05:12:00), " +
      "61.0 (26/11/26 05:11:00), 60.0 (26/11/26 05:10:00)] were greater than the threshold (50.0) (minimum 5 datapoints for OK -> ALARM transition).",
  );
  const ok = evaluate(BACKLOG, points([60, 60, 60, 60, 0]), "ALARM");
  assert.equal(ok.reason, "Threshold Crossed: 1 out of the last 5 datapoints [0.0 (26/11/26 05:14:00)] was not greater than the threshold (50.0) (minimum 1 datapoint for ALARM -> OK transition).");
  assert.equal(reasonTime(Date.UTC(2027, 0, 2, 3, 4, 5)), "02/01/27 03:04:05");
});

test("statistics over a period's samples", () => {
  assert.equal(statistic([3, 9, 6], "Maximum"), 9);
  assert.equal(statistic([3, 9, 6], "Minimum"), 3);
  assert.equal(statistic([3, 9, 6], "Average"), 6);
  assert.equal(statistic([3, 9, 6], "Sum"), 18);
  assert.equal(statistic([3, 9, 6], "SampleCount"), 3);
  assert.equal(statistic([], "Maximum"), undefined);
});

test("a new alarm goes INSUFFICIENT_DATA -> OK after its first period, and to ALARM only after 5 breaching periods", () => {
  const t: AlarmTracker = { alarm: BACKLOG, state: "INSUFFICIENT_DATA", history: [], samples: [] };
  const changes: Array<string | undefined> = [];
  for (let i = 0; i < 6; i++) {
    t.samples = i === 0 ? [] : [55, 73, 60];
    changes.push(closePeriod(t, T0 + i * 60_000, T0 + (i + 1) * 60_000)?.to.state);
  }
  assert.deepEqual(changes, ["OK", undefined, undefined, undefined, undefined, "ALARM"]);
  assert.equal(t.history.length, 5);
  assert.equal(t.history.at(-1)?.value, 73, "Maximum of the period's samples");
});

test("the notification is CloudWatch's message for the state change; the Subject and the summary line", () => {
  const e = evaluate(BACKLOG, points([60, 60, 60, 60, 73]), "OK");
  const topicArn = "arn:aws:sns:us-east-1:000000000000:stockprice-alerts";
  const m = alarmMessage(BACKLOG, "OK", e, T0 + 300_123, { region: "us-east-1", topicArn, periodS: 60, configuredAt: T0 });
  assert.deepEqual(schemaErrors(m), []);
  assert.equal(m.StateChangeTime, "2026-11-26T05:15:00.123+0000");
  assert.equal(m.AlarmArn, "arn:aws:cloudwatch:us-east-1:000000000000:alarm:stockprice-inventory-backlog");
  assert.deepEqual([m.AlarmActions, m.OKActions, m.InsufficientDataActions], [[topicArn], [topicArn], []]);
  assert.equal(alarmSubject(m), 'ALARM: "stockprice-inventory-backlog" in US East (N. Virginia)');
  assert.equal(alarmSubject({ ...m, AlarmName: "x".repeat(120) }).length, 100, "SNS subjects stop at 100 characters");
  assert.equal(summaryLine(BACKLOG, "OK", e), "ALARM stockprice-inventory-backlog: 73 messages > 50 for 5 periods");
  const ok = evaluate(BACKLOG, points([60, 60, 60, 60, 0]), "ALARM");
  assert.equal(summaryLine(BACKLOG, "ALARM", ok), "OK stockprice-inventory-backlog: 0 messages, not > 50 (was ALARM)");
  assert.equal(summaryLine({ ...BACKLOG, datapointsToAlarm: 3 }, "OK", e), "ALARM stockprice-inventory-backlog: 73 messages > 50 for 3 of 5 periods");
  assert.deepEqual(schemaErrors({ ...m, Trigger: { ...m.Trigger, Dimensions: [{ QueueName: "x" }] } }).length > 0, true, "the schema can fail");
});

test("alarm lines: ALARM and the OK after it stand out; the rest is one quiet line", () => {
  assert.equal(alarmLine("ALARM a: 73 messages > 50 for 5 periods", true, false), "\nalarm    | >>> ALARM a: 73 messages > 50 for 5 periods <<<\n");
  assert.match(alarmLine("ALARM a", true, true), /\x1b\[1;97;41m/);
  assert.equal(alarmLine("OK a: 0 messages, not > 50", false, false), "alarm    | OK a: 0 messages, not > 50");
});

const FLAG_CASES: Array<[string, () => unknown, RegExp | unknown]> = [
  ["period absent = module's", () => parseAlarmPeriod(undefined), undefined],
  ["period 1", () => parseAlarmPeriod("1"), 1],
  ["period 0", () => parseAlarmPeriod("0"), /--alarm-period-s must be a whole number of seconds from 1 to 3600, got "0"/],
  ["period 1.5", () => parseAlarmPeriod("1.5"), /--alarm-period-s/],
  ["period 3601", () => parseAlarmPeriod("3601"), /--alarm-period-s/],
  ["webhook http", () => parseWebhookUrl("http://127.0.0.1:9000/hook"), "http://127.0.0.1:9000/hook"],
  ["webhook not a URL", () => parseWebhookUrl("localhost:9000"), /--alarm-webhook must be an http:\/\/ or https:\/\/ URL/],
  ["webhook ftp", () => parseWebhookUrl("ftp://x/y"), /--alarm-webhook/],
];

for (const [name, fn, expected] of FLAG_CASES) {
  test(`flags: ${name}`, () => {
    if (expected instanceof RegExp) assert.throws(fn, expected);
    else assert.equal(fn(), expected);
  });
}

test("npm start refuses a bad alarm flag with exit 2, naming the flag", async () => {
  const cli = startChild([join(ROOT, "scripts", "stack.ts"), "--alarm-period-s", "0", "--port", "0", "--pricing-port", "0", "--sqs-port", "0"], {});
  const { code } = await cli.exited;
  assert.equal(code, 2);
  assert.ok(cli.lines.some((l) => l.includes("--alarm-period-s must be")), cli.lines.join("\n"));
});

test("npm run send refuses a bad --count with exit 2, naming the flag", async () => {
  for (const count of ["0", "x", "10001"]) {
    const cli = startChild([join(ROOT, "scripts", "send.ts"), "--count", count], {});
    const { code } = await cli.exited;
    assert.equal(code, 2, count);
    assert.ok(cli.lines.some((l) => l.includes("--count must be")), cli.lines.join("\n"));
  }
});
