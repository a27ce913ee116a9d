// RFC 3339 date-times, checked for real calendar values (no 31 February).

const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(\.\d{1,9})?([Zz]|[+-](\d{2}):(\d{2}))$/;

/** The last date-time found valid: the events of one packed message mostly share their time. */
let lastValidTime = "";

export function isRfc3339(text: string): boolean {
  if (text === lastValidTime) return true;
  const ok = checkRfc3339(text);
  if (ok) lastValidTime = text;
  return ok;
}

function checkRfc3339(text: string): boolean {
  const m = RFC3339.exec(text);
  if (!m) return false;
  const [, y, mo, d, h, mi, s] = m.map(Number);
  if (mo < 1 || mo > 12 || h > 23 || mi > 59 || s > 60) return false;
  const daysInMonth = new Date(Date.UTC(y, mo, 0)).getUTCDate();
  if (d < 1 || d > daysInMonth) return false;
  if (m[9] !== undefined && (Number(m[9]) > 23 || Number(m[10]) > 59)) return false;
  return true;
}
