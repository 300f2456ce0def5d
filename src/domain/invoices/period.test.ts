import { describe, expect, it } from 'vitest';
import { today } from '../../clock.js';
import { addDays } from '../dates.js';
import { RempartError } from '../errors/codes.js';
import { MAX_PERIOD_DAYS, periodDays, readPeriod } from './period.js';

const TODAY = today();

function codeOf(read: () => unknown): string | undefined {
  try {
    read();
    return undefined;
  } catch (error) {
    return error instanceof RempartError ? error.code : 'not a RempartError';
  }
}

describe('the period of an insurer’s invoice read', () => {
  it('is today alone by default, and one given end stands for both', () => {
    expect(readPeriod(undefined, undefined, TODAY)).toEqual({ from: TODAY, to: TODAY });
    const day = addDays(TODAY, -3);
    expect(readPeriod(day, undefined, TODAY)).toEqual({ from: day, to: day });
    expect(readPeriod(undefined, day, TODAY)).toEqual({ from: day, to: day });
  });

  it(`accepts up to ${MAX_PERIOD_DAYS} days, both ends counted, and no more`, () => {
    const from = addDays(TODAY, -(MAX_PERIOD_DAYS - 1));
    expect(periodDays(readPeriod(from, TODAY, TODAY))).toBe(MAX_PERIOD_DAYS);
    expect(codeOf(() => readPeriod(addDays(from, -1), TODAY, TODAY))).toBe('PERIOD_TOO_LONG');
  });

  it('refuses an end before the start, and days that do not exist, with stable codes', () => {
    expect(codeOf(() => readPeriod(TODAY, addDays(TODAY, -1), TODAY))).toBe('PERIOD_INVALID');
    expect(codeOf(() => readPeriod(`${TODAY.slice(0, 4)}-02-30`, undefined, TODAY))).toBe('DATE_INVALID');
    expect(codeOf(() => readPeriod(undefined, 'hier', TODAY))).toBe('DATE_INVALID');
  });
});
