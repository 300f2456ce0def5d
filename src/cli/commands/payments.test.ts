import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { today } from '../../clock.js';
import { addDays } from '../../domain/dates.js';
import { ErrorCodes } from '../../domain/errors/codes.js';
import { platformAccount } from '../../payments/sepa/test-support/platform.js';
import { homeEnv, rempart } from '../test-support/rempart.js';

const TODAY = today();

describe('rempart payments run --date, refused', () => {
  it('ends with a French message and exit code 2 for a malformed, impossible or future day, and leaves a fresh home empty', async () => {
    const home = mkdtempSync(join(tmpdir(), 'rempart-payments-cli-'));
    const out = join(home, 'virements');
    const env = { ...homeEnv(home), REMPART_DEBTOR_IBAN: platformAccount.iban, REMPART_DEBTOR_BIC: platformAccount.bic, REMPART_DEBTOR_NAME: platformAccount.holder };
    const frenchOrder = TODAY.split('-').reverse().join('/');
    const impossible = `${TODAY.slice(0, 4)}-02-30`;
    // Two days ahead: still to come for the command if midnight passes while it starts.
    const future = addDays(TODAY, 2);
    const runs = await Promise.all([frenchOrder, impossible, future].map((day) => rempart(env, ['payments', 'run', '--date', day, '--out', out])));
    expect(runs.map((run) => [run.code, run.out])).toEqual([[2, ''], [2, ''], [2, '']]);
    expect(runs[0]?.err).toBe(`rempart : ${ErrorCodes.DATE_INVALID.message} : --date : « ${frenchOrder} » n'est pas une date AAAA-MM-JJ existante.\n`);
    expect(runs[1]?.err).toContain(`« ${impossible} »`);
    expect(runs[2]?.err).toMatch(new RegExp(`^rempart : ${ErrorCodes.PAYMENT_RUN_FUTURE.message} : ${future} après [0-9-]{10}\n$`));
    // Refused before anything is opened: no store, no payments folder.
    expect(existsSync(out)).toBe(false);
    expect(readdirSync(home)).toEqual([]);
  }, 60_000);
});
