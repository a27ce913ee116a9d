// One JSON object per line: {"ts","level","msg",...fields}. No dependency.
// Callers pass fields, never request bodies or secrets; errors are reduced to
// name, code and message so a stack trace never carries a payload along.
// An error is always logged under the key `err` (test/shared/log.test.ts checks it).

import { systemClock } from "./clock.ts";

type Level = "debug" | "info" | "warn" | "error";
export const LEVELS: readonly Level[] = ["debug", "info", "warn", "error"];
const RANK: Record<Level, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export type Fields = Record<string, unknown>;

export interface Logger {
  debug(msg: string, fields?: Fields): void;
  info(msg: string, fields?: Fields): void;
  warn(msg: string, fields?: Fields): void;
  error(msg: string, fields?: Fields): void;
  child(fields: Fields): Logger;
  isEnabled(level: Level): boolean;
}

interface LoggerOptions {
  level?: Level;
  /** Receives each line including its newline; stdout by default. */
  write?: (line: string) => void;
  clock?: () => number;
  base?: Fields;
}

function serialize(value: unknown): unknown {
  if (value instanceof Error) {
    const out: Fields = { name: value.name, message: value.message };
    const code = (value as { code?: unknown }).code;
    if (code !== undefined) out.code = code;
    if (value.cause !== undefined) out.cause = serialize(value.cause);
    return out;
  }
  if (typeof value === "bigint") return value.toString();
  return value;
}

export function createLogger(options: LoggerOptions = {}): Logger {
  const min = RANK[options.level ?? "info"];
  const write = options.write ?? ((line: string) => void process.stdout.write(line));
  const clock = options.clock ?? systemClock.now;
  const make = (base: Fields): Logger => {
    const emit = (level: Level, msg: string, fields?: Fields) => {
      if (RANK[level] < min) return;
      const record: Fields = { ts: new Date(clock()).toISOString(), level, msg, ...base };
      if (fields) for (const key in fields) record[key] = serialize(fields[key]);
      write(JSON.stringify(record) + "\n");
    };
    return {
      debug: (msg, fields) => emit("debug", msg, fields),
      info: (msg, fields) => emit("info", msg, fields),
      warn: (msg, fields) => emit("warn", msg, fields),
      error: (msg, fields) => emit("error", msg, fields),
      child: (fields) => make({ ...base, ...fields }),
      isEnabled: (level) => RANK[level] >= min,
    };
  };
  return make(options.base ?? {});
}
