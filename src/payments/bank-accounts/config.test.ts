import { describe, expect, it } from 'vitest';
import { HOUR_MS } from '../../domain/dates.js';
import { changeDelayMs, DEFAULT_CHANGE_DELAY_HOURS } from './config.js';

describe('the delay before a confirmed bank account takes effect', () => {
  it('is three days unless set, and whole hours when set', () => {
    expect(changeDelayMs({})).toBe(DEFAULT_CHANGE_DELAY_HOURS * HOUR_MS);
    expect(changeDelayMs({ REMPART_BANK_CHANGE_DELAY_HOURS: '24' })).toBe(24 * HOUR_MS);
  });

  it('stops the start on a value that would make changes immediate or absurd', () => {
    for (const value of ['0', '-1', '1.5', 'abc', '721']) {
      expect(() => changeDelayMs({ REMPART_BANK_CHANGE_DELAY_HOURS: value })).toThrow(/REMPART_BANK_CHANGE_DELAY_HOURS/);
    }
  });
});
