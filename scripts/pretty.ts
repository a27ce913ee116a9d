// Human-readable log lines for the local stack: "12:00:01.234 pricing   info  price.changed sku=ABC-1 price=2299".
// With raw, the JSON line is kept as is behind the service name.

const COLORS: Record<string, string> = { inventory: "\x1b[36m", pricing: "\x1b[35m", stack: "\x1b[32m" };
const LEVEL_COLORS: Record<string, string> = { debug: "\x1b[90m", info: "", warn: "\x1b[33m", error: "\x1b[31m" };
const RESET = "\x1b[0m";

function value(v: unknown): string {
  if (typeof v === "string") return /[\s"=]/.test(v) ? JSON.stringify(v) : v;
  return JSON.stringify(v);
}

export function formatLine(service: string, line: string, raw: boolean, color = process.stdout.isTTY === true): string {
  const paint = (code: string | undefined, text: string) => (color && code ? `${code}${text}${RESET}` : text);
  const name = paint(COLORS[service], service.padEnd(9));
  if (raw) return `${name}| ${line}`;
  let record: Record<string, unknown>;
  try {
    record = JSON.parse(line);
    if (typeof record !== "object" || record === null || typeof record.msg !== "string") throw new Error("not a log record");
  } catch {
    return `${name}| ${line}`;
  }
  const { ts, level, msg, service: _service, ...fields } = record;
  const time = typeof ts === "string" ? ts.slice(11, 23) : "";
  const lvl = String(level ?? "info");
  const rest = Object.entries(fields)
    .map(([k, v]) => `${k}=${value(v)}`)
    .join(" ");
  return `${time} ${name} ${paint(LEVEL_COLORS[lvl], lvl.padEnd(5))} ${paint(LEVEL_COLORS[lvl], String(msg))}${rest ? ` ${rest}` : ""}`;
}
