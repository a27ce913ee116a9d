// The evaluation loop: samples each alarm's metric several times per period
// (every period / ceil(period / 10 s), so at least once a period and at
// least every 10 s), turns each period's samples into one datapoint with the
// alarm's statistic, evaluates, and reports every state change in order.
// A failed read is a missing sample; a period without samples is a missing
// datapoint.

import { setTimeout as sleep } from "node:timers/promises";
import type { AlarmDefinition, QueueMetric } from "./definitions.ts";
import { evaluate, statistic, type AlarmState, type Datapoint, type Evaluation } from "./evaluate.ts";

/** Reads one metric of one queue now; undefined when it cannot be measured. */
export type MetricReader = (queueName: string, metric: QueueMetric) => Promise<number | undefined>;

export interface StateChange {
  alarm: AlarmDefinition;
  from: AlarmState;
  to: Evaluation;
  at: number;
}

export interface MonitorOptions {
  alarms: AlarmDefinition[];
  /** Replaces every alarm's period (seconds); the module's period when unset. */
  periodS?: number;
  read: MetricReader;
  /** Called for every state change, one at a time, in order. */
  onChange: (change: StateChange) => Promise<void>;
  now?: () => number;
}

export interface AlarmTracker {
  alarm: AlarmDefinition;
  state: AlarmState;
  history: Datapoint[];
  samples: number[];
}

/** Closes the period that started at `start`: one datapoint, one evaluation; the change if any. */
export function closePeriod(t: AlarmTracker, start: number, at: number): StateChange | undefined {
  t.history.push({ time: start, value: statistic(t.samples, t.alarm.statistic) });
  t.samples = [];
  // Keep the range, padded with missing periods for a young alarm.
  while (t.history.length < t.alarm.evaluationPeriods) t.history.unshift({ time: start, value: undefined });
  if (t.history.length > t.alarm.evaluationPeriods) t.history.splice(0, t.history.length - t.alarm.evaluationPeriods);
  const e = evaluate(t.alarm, t.history, t.state);
  if (e.state === t.state) return undefined;
  const change = { alarm: t.alarm, from: t.state, to: e, at };
  t.state = e.state;
  return change;
}

export interface Monitor {
  trackers: AlarmTracker[];
  /** Resolves after the loop has stopped and the last change was reported. */
  stop(): Promise<void>;
}

export function startMonitor(o: MonitorOptions): Monitor {
  const now = o.now ?? Date.now;
  const trackers: AlarmTracker[] = o.alarms.map((alarm) => ({ alarm, state: "INSUFFICIENT_DATA", history: [], samples: [] }));
  const periodMs = (t: AlarmTracker) => (o.periodS ?? t.alarm.periodS) * 1000;
  const abort = new AbortController();
  const loop = async (group: AlarmTracker[]) => {
    const period = periodMs(group[0]);
    const perPeriod = Math.ceil(period / 10_000);
    let start = now();
    while (!abort.signal.aborted) {
      for (let k = 0; k < perPeriod && !abort.signal.aborted; k++) {
        await Promise.all(
          group.map(async (t) => {
            const v = await o.read(t.alarm.queueName, t.alarm.metric).catch(() => undefined);
            if (v !== undefined && Number.isFinite(v)) t.samples.push(v);
          }),
        );
        const next = start + ((k + 1) * period) / perPeriod;
        await sleep(Math.max(0, next - now()), undefined, { signal: abort.signal }).catch(() => undefined);
      }
      if (abort.signal.aborted) return;
      const at = now();
      for (const t of group) {
        const change = closePeriod(t, start, at);
        if (change) await o.onChange(change);
      }
      start += period;
    }
  };
  // Alarms with the same period share one clock, so their changes come in a stable order.
  const groups = new Map<number, AlarmTracker[]>();
  for (const t of trackers) groups.set(periodMs(t), [...(groups.get(periodMs(t)) ?? []), t]);
  const running = Promise.all([...groups.values()].map(loop));
  return {
    trackers,
    async stop() {
      abort.abort();
      await running;
    },
  };
}
