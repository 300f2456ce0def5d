import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addMonths, parseCalendarDate, withinPeriod, type CalendarDate } from './dates.js';

describe('calendar dates', () => {
  it('accepts real days only', () => {
    expect(parseCalendarDate('2024-02-29').ok).toBe(true);
    expect(parseCalendarDate('2025-02-29').ok).toBe(false);
    expect(parseCalendarDate('2026-13-01').ok).toBe(false);
    expect(parseCalendarDate('2026-1-01').ok).toBe(false);
  });

  it('round-trips every day between 1900 and 2999 and orders them as strings', () => {
    const day = fc.date({ min: new Date('1900-01-01T00:00:00Z'), max: new Date('2999-12-31T00:00:00Z'), noInvalidDate: true });
    fc.assert(
      fc.property(day, day, (a, b) => {
        const [ta, tb] = [a.toISOString().slice(0, 10), b.toISOString().slice(0, 10)];
        expect(parseCalendarDate(ta)).toEqual({ ok: true, value: ta });
        expect(ta < tb).toBe(a.getTime() < b.getTime() && ta !== tb);
      }),
    );
  });

  it('treats an open period as open', () => {
    const d = (s: string): CalendarDate => s as CalendarDate;
    expect(withinPeriod(d('2030-01-01'), d('2026-01-01'), null)).toBe(true);
    expect(withinPeriod(d('2026-12-31'), d('2026-01-01'), d('2026-12-31'))).toBe(true);
    expect(withinPeriod(d('2027-01-01'), d('2026-01-01'), d('2026-12-31'))).toBe(false);
  });

  it('adds months on the same day of the month, or the last day of a shorter month', () => {
    const day = fc.date({ min: new Date('1950-01-01T00:00:00Z'), max: new Date('2900-12-31T00:00:00Z'), noInvalidDate: true });
    fc.assert(
      fc.property(day, fc.integer({ min: -600, max: 600 }), (date, months) => {
        const from = date.toISOString().slice(0, 10) as CalendarDate;
        const to = addMonths(from, months);
        expect(parseCalendarDate(to).ok).toBe(true);
        const target = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + months, 1));
        expect(to.slice(0, 7)).toBe(target.toISOString().slice(0, 7));
        const lastDay = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
        expect(Number(to.slice(8))).toBe(Math.min(date.getUTCDate(), lastDay));
        expect(months >= 0 ? to >= from : to < from).toBe(true);
      }),
    );
  });
});
