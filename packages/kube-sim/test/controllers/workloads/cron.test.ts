import { describe, expect, it } from 'vitest';
import {
  CronParseError,
  mostRecentRun,
  nextRun,
  parseCron,
} from '../../../src/controllers/workloads/cron.ts';

const at = (text: string) => Date.parse(text);
const iso = (ms: number | undefined) => (ms === undefined ? undefined : new Date(ms).toISOString());

describe('cron schedules', () => {
  it('finds the next minute for steps, ranges, lists and names', () => {
    expect(iso(nextRun(parseCron('*/15 * * * *'), at('2026-01-01T10:07:30Z')))).toBe(
      '2026-01-01T10:15:00.000Z',
    );
    expect(iso(nextRun(parseCron('0 9-17 * * mon-fri'), at('2026-01-02T17:30:00Z')))).toBe(
      '2026-01-05T09:00:00.000Z',
    );
    expect(iso(nextRun(parseCron('30 2 1,15 * *'), at('2026-01-01T03:00:00Z')))).toBe(
      '2026-01-15T02:30:00.000Z',
    );
    expect(iso(nextRun(parseCron('@daily'), at('2026-03-04T00:00:00Z')))).toBe(
      '2026-03-05T00:00:00.000Z',
    );
    expect(iso(nextRun(parseCron('0 0 * jan 7'), at('2026-01-01T00:00:00Z')))).toBe(
      '2026-01-04T00:00:00.000Z',
    );
  });

  it('matches either day field when both are restricted, as cron does', () => {
    // 13th of the month or any Friday.
    const s = parseCron('0 0 13 * 5');
    expect(iso(nextRun(s, at('2026-02-10T00:00:00Z')))).toBe('2026-02-13T00:00:00.000Z');
    expect(iso(nextRun(s, at('2026-02-13T00:00:00Z')))).toBe('2026-02-20T00:00:00.000Z');
  });

  it('reports the latest missed run', () => {
    const r = mostRecentRun(
      parseCron('* * * * *'),
      at('2026-01-01T00:00:00Z'),
      at('2026-01-01T00:05:30Z'),
    );
    expect(iso(r.time)).toBe('2026-01-01T00:05:00.000Z');
    expect(r.missed).toBe(5);
    expect(
      mostRecentRun(parseCron('0 * * * *'), at('2026-01-01T00:00:00Z'), at('2026-01-01T00:59:00Z'))
        .time,
    ).toBeUndefined();
  });

  it('rejects malformed schedules', () => {
    expect(() => parseCron('* * * *')).toThrow(CronParseError);
    expect(() => parseCron('61 * * * *')).toThrow(/out of range/);
    expect(() => parseCron('*/0 * * * *')).toThrow(/step/);
  });
});
