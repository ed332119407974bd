/**
 * A five-field cron schedule (minute hour day-of-month month day-of-week), as CronJob uses
 * via robfig/cron: lists, ranges, steps, names (jan, mon), `?`, and the @yearly / @monthly
 * / @weekly / @daily / @hourly macros. Times are evaluated in UTC unless a fixed offset
 * (minutes east of UTC) is given. Like cron, when both day fields are restricted a day
 * matches if either does.
 */
const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const DAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];
const MACROS: Record<string, string> = {
  '@yearly': '0 0 1 1 *',
  '@annually': '0 0 1 1 *',
  '@monthly': '0 0 1 * *',
  '@weekly': '0 0 * * 0',
  '@daily': '0 0 * * *',
  '@midnight': '0 0 * * *',
  '@hourly': '0 * * * *',
};

export interface CronSchedule {
  minutes: Set<number>;
  hours: Set<number>;
  days: Set<number>;
  months: Set<number>;
  weekdays: Set<number>;
  /** Whether day-of-month / day-of-week were `*` (then only the other one restricts). */
  anyDay: boolean;
  anyWeekday: boolean;
}

export class CronParseError extends Error {}

function parseField(
  field: string,
  min: number,
  max: number,
  names: string[] = [],
  nameBase = 0,
): Set<number> {
  const out = new Set<number>();
  const value = (text: string): number => {
    const index = names.indexOf(text.toLowerCase());
    const n = index >= 0 ? index + nameBase : Number(text);
    if (!Number.isInteger(n) || n < min || n > max)
      throw new CronParseError(`value ${text} out of range [${min}, ${max}]`);
    return n;
  };
  for (const part of field.split(',')) {
    const [range, stepText] = part.split('/') as [string, string | undefined];
    const step = stepText === undefined ? 1 : Number(stepText);
    if (!Number.isInteger(step) || step <= 0) throw new CronParseError(`invalid step in "${part}"`);
    let lo: number;
    let hi: number;
    if (range === '*' || range === '?') [lo, hi] = [min, max];
    else if (range.includes('-')) {
      const [a, b] = range.split('-') as [string, string];
      [lo, hi] = [value(a), value(b)];
    } else {
      lo = value(range);
      hi = stepText === undefined ? lo : max;
    }
    if (lo > hi) throw new CronParseError(`invalid range "${range}"`);
    for (let v = lo; v <= hi; v += step) out.add(v);
  }
  return out;
}

export function parseCron(expression: string): CronSchedule {
  const text = MACROS[expression.trim().toLowerCase()] ?? expression.trim();
  const fields = text.split(/\s+/);
  if (fields.length !== 5)
    throw new CronParseError(`expected exactly 5 fields, found ${fields.length}: ${expression}`);
  const [m, h, dom, mon, dow] = fields as [string, string, string, string, string];
  const weekdays = parseField(dow, 0, 7, DAYS);
  if (weekdays.has(7)) weekdays.add(0);
  return {
    minutes: parseField(m, 0, 59),
    hours: parseField(h, 0, 23),
    days: parseField(dom, 1, 31),
    months: parseField(mon, 1, 12, MONTHS, 1),
    weekdays,
    anyDay: dom === '*' || dom === '?',
    anyWeekday: dow === '*' || dow === '?',
  };
}

function dayMatches(s: CronSchedule, d: Date): boolean {
  const dom = s.days.has(d.getUTCDate());
  const dow = s.weekdays.has(d.getUTCDay());
  if (s.anyDay && s.anyWeekday) return true;
  if (s.anyDay) return dow;
  if (s.anyWeekday) return dom;
  return dom || dow;
}

/** The first scheduled minute strictly after `afterMs` (epoch ms), or undefined within 5 years. */
export function nextRun(s: CronSchedule, afterMs: number, offsetMinutes = 0): number | undefined {
  const shift = offsetMinutes * 60_000;
  let t = Math.floor((afterMs + shift) / 60_000) * 60_000 + 60_000;
  const limit = t + 5 * 366 * 24 * 3_600_000;
  while (t < limit) {
    const d = new Date(t);
    if (!s.months.has(d.getUTCMonth() + 1)) {
      t = Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
      continue;
    }
    if (!dayMatches(s, d)) {
      t = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() + 1);
      continue;
    }
    if (!s.hours.has(d.getUTCHours())) {
      t = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate(), d.getUTCHours() + 1);
      continue;
    }
    if (s.minutes.has(d.getUTCMinutes())) return t - shift;
    t += 60_000;
  }
  return undefined;
}

/** The latest scheduled time in (afterMs, nowMs], and how many were missed in between. */
export function mostRecentRun(
  s: CronSchedule,
  afterMs: number,
  nowMs: number,
  offsetMinutes = 0,
): { time?: number; missed: number } {
  let time: number | undefined;
  let missed = 0;
  for (
    let t = nextRun(s, afterMs, offsetMinutes);
    t !== undefined && t <= nowMs;
    t = nextRun(s, t, offsetMinutes)
  ) {
    time = t;
    if (++missed > 100) {
      // Like the real controller, stop counting past 100 missed runs and take the latest.
      let last = t;
      for (
        let n = nextRun(s, last, offsetMinutes);
        n !== undefined && n <= nowMs;
        n = nextRun(s, n, offsetMinutes)
      )
        last = n;
      return { time: last, missed };
    }
  }
  return { ...(time !== undefined ? { time } : {}), missed };
}
