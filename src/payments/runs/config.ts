import { RempartError } from '../../domain/errors/codes.js';
import { parseBankAccount, type BankAccount } from '../../domain/payments/index.js';
import { PAIN001_VERSIONS, type Pain001Version } from '../sepa/schema.js';

/**
 * The platform's own account, which every transfer of a run is paid from (the file's
 * debtor): REMPART_DEBTOR_IBAN, REMPART_DEBTOR_BIC, REMPART_DEBTOR_NAME. Read when a file
 * is written, not at start: a deployment that makes no file needs none. Checked like a
 * site's account (a file goes to a bank).
 */
export function debtorFromEnv(env: NodeJS.ProcessEnv): BankAccount {
  const { REMPART_DEBTOR_IBAN: iban, REMPART_DEBTOR_BIC: bic, REMPART_DEBTOR_NAME: holder } = env;
  if (!iban || !bic || !holder) throw new RempartError('PAYMENT_DEBTOR_MISSING');
  const parsed = parseBankAccount({ iban, bic, holder });
  if (!parsed.ok) throw new RempartError(parsed.error.code, `compte débiteur : ${parsed.error.reason}`);
  return parsed.value;
}

/** The minute of the UTC day the server runs the day's payments, from REMPART_PAYMENT_RUN_AT (HH:MM); none when unset. */
export function runAtFromEnv(env: NodeJS.ProcessEnv): number | undefined {
  const raw = env.REMPART_PAYMENT_RUN_AT;
  if (raw === undefined || raw === '') return undefined;
  const match = /^([01][0-9]|2[0-3]):([0-5][0-9])$/.exec(raw);
  if (!match) throw new RempartError('PAYMENT_RUN_AT_INVALID', `« ${raw} »`);
  return Number(match[1]) * 60 + Number(match[2]);
}

/** "09" or "03" as the command takes it, or the full name. */
export function versionOf(text: string | undefined): Pain001Version | undefined {
  if (text === undefined) return undefined;
  const found = PAIN001_VERSIONS.find((v) => v === text || v.endsWith(`.${text}`));
  if (!found) throw new RempartError('SEPA_FIELD_INVALID', `version « ${text} » : 09 ou 03`);
  return found;
}
