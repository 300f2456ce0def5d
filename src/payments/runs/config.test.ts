import { describe, expect, it } from 'vitest';
import { today } from '../../clock.js';
import { addDays, DAY_MS } from '../../domain/dates.js';
import { platformAccount } from '../sepa/test-support/platform.js';
import { debtorFromEnv, runAtFromEnv, versionOf } from './config.js';
import { nextRunAt } from './schedule.js';

describe('the payment run’s configuration', () => {
  it('reads the daily minute as HH:MM in UTC, none when unset, and refuses anything else', () => {
    expect(runAtFromEnv({})).toBeUndefined();
    expect(runAtFromEnv({ REMPART_PAYMENT_RUN_AT: '' })).toBeUndefined();
    expect(runAtFromEnv({ REMPART_PAYMENT_RUN_AT: '18:05' })).toBe(18 * 60 + 5);
    for (const bad of ['18h05', '24:00', '7:30', '18:60', ' 18:05']) {
      expect(() => runAtFromEnv({ REMPART_PAYMENT_RUN_AT: bad }), bad).toThrow(expect.objectContaining({ code: 'PAYMENT_RUN_AT_INVALID' }));
    }
  });

  it('runs next at today’s minute when it is still to come, else tomorrow’s', () => {
    const midnight = Date.parse(today());
    expect(nextRunAt(new Date(midnight + 60_000), 18 * 60).getTime()).toBe(midnight + 18 * 3_600_000);
    expect(nextRunAt(new Date(midnight + 18 * 3_600_000), 18 * 60).getTime()).toBe(Date.parse(addDays(today(), 1)) + 18 * 3_600_000);
    expect(nextRunAt(new Date(midnight + DAY_MS - 1), 0).getTime()).toBe(Date.parse(addDays(today(), 1)));
  });

  it('takes the debtor’s account only whole and valid, and the file’s version as 09 or 03', () => {
    const env = { REMPART_DEBTOR_IBAN: platformAccount.iban, REMPART_DEBTOR_BIC: platformAccount.bic, REMPART_DEBTOR_NAME: platformAccount.holder };
    expect(debtorFromEnv(env)).toEqual(platformAccount);
    expect(() => debtorFromEnv({ ...env, REMPART_DEBTOR_NAME: '' })).toThrow(expect.objectContaining({ code: 'PAYMENT_DEBTOR_MISSING' }));
    expect(() => debtorFromEnv({ ...env, REMPART_DEBTOR_BIC: 'DEUTDEFF' })).toThrow(expect.objectContaining({ code: 'BIC_COUNTRY_MISMATCH' }));
    expect([versionOf('09'), versionOf('03'), versionOf(undefined)]).toEqual(['pain.001.001.09', 'pain.001.001.03', undefined]);
    expect(() => versionOf('08')).toThrow(expect.objectContaining({ code: 'SEPA_FIELD_INVALID' }));
  });
});
