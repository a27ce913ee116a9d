// The stack's alarm flags (--alarm-period-s, --alarm-webhook) and how the
// alarm lines look in its output.

const RESET = "\x1b[0m";
const STANDOUT: Record<string, string> = { ALARM: "\x1b[1;97;41m", OK: "\x1b[1;30;42m" };

/** `--alarm-period-s N`: whole seconds, 1 to 3600; 60 (the module's period) when absent. */
export function parseAlarmPeriod(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < 1 || n > 3600) throw new Error(`--alarm-period-s must be a whole number of seconds from 1 to 3600, got "${value}"`);
  return n;
}

/** `--alarm-webhook URL`: an http or https URL. */
export function parseWebhookUrl(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new Error(`--alarm-webhook must be an http:// or https:// URL, got "${value}"`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") throw new Error(`--alarm-webhook must be an http:// or https:// URL, got "${value}"`);
  return url.href;
}

/** ALARM and the OK that ends it stand out: own paragraph, marked, coloured on a terminal. */
export function alarmLine(line: string, standout: boolean, color = process.stdout.isTTY === true): string {
  const tag = "alarm    | ";
  if (!standout) return `${tag}${line}`;
  const state = line.split(" ")[0];
  const text = `>>> ${line} <<<`;
  return `\n${tag}${color && STANDOUT[state] ? `${STANDOUT[state]} ${text} ${RESET}` : text}\n`;
}
