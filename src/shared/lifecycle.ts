// Process lifecycle shared by both entry files: a bad configuration exits
// non-zero with one readable line; SIGTERM/SIGINT run a graceful stop once.

import { ConfigError } from "./errors.ts";
import { createLogger, type Logger } from "./log.ts";

/** Runs `start`; a ConfigError (or any start failure) is logged and exits 1. */
export async function runService<T>(name: string, start: () => Promise<T>): Promise<T> {
  try {
    return await start();
  } catch (err) {
    const log = createLogger({ base: { service: name } });
    if (err instanceof ConfigError) {
      log.error("config.invalid", { variable: err.variable, err });
      process.stderr.write(`${name}: invalid configuration: ${err.message}\n`);
    } else {
      log.error("start.failed", { err });
    }
    process.exit(1);
  }
}

/** On the first SIGTERM or SIGINT runs `stop`, then exits 0 (1 if it threw); a second signal exits at once. */
export function stopOnSignals(log: Logger, stop: (signal: string) => Promise<void>): void {
  let stopping = false;
  for (const signal of ["SIGTERM", "SIGINT"] as const) {
    process.on(signal, () => {
      if (stopping) {
        log.warn("shutdown.forced", { signal });
        process.exit(1);
      }
      stopping = true;
      log.info("shutdown.start", { signal });
      stop(signal).then(
        () => {
          log.info("shutdown.done");
          process.exit(0);
        },
        (err: unknown) => {
          log.error("shutdown.failed", { err });
          process.exit(1);
        },
      );
    });
  }
}
