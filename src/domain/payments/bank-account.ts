import { composeIBAN, extractBIC, isValidBIC } from 'ibantools';
import type { IdentifierError, Result } from '../identifiers/result.js';
import { parseIban, type Iban } from '../identifiers/iban.js';
import { removeSpaces } from '../identifiers/normalise.js';

/** A BIC (ISO 9362), 8 or 11 characters, uppercase: the bank that holds an account. */
export type Bic = string & { readonly __brand: 'Bic' };

/** A site's bank account as a change proposes it: checked, normalised. */
export interface BankAccount {
  iban: Iban;
  bic: Bic;
  holder: string;
}

/** The SEPA credit transfer's creditor name is at most 70 characters (EPC rulebook). */
export const HOLDER_MAX = 70;

/**
 * Territories whose banks' BICs carry their own country code while their IBANs are the
 * parent country's: the French overseas departments and collectivities use FR IBANs, the
 * Crown dependencies GB ones. Any other pair of different countries is a mismatch.
 */
const BIC_COUNTRIES_OF_IBAN: Readonly<Record<string, readonly string[]>> = {
  FR: ['GF', 'GP', 'MQ', 'RE', 'YT', 'PM', 'BL', 'MF', 'NC', 'PF', 'WF'],
  GB: ['JE', 'GG', 'IM'],
};

type Refusal = Pick<IdentifierError, 'code' | 'reason'>;
const refused = (code: Refusal['code'], reason: string): { ok: false; error: Refusal } => ({ ok: false, error: { code, reason } });

/** A BIC as typed (spaces and case forgiven): its format and a country ISO knows. */
export function parseBic(input: string): Result<Bic, Refusal> {
  const bic = removeSpaces(input).toUpperCase();
  if (!isValidBIC(bic)) return refused('BIC_INVALID', 'Le BIC a 8 ou 11 caractères : 4 lettres de banque, le code du pays, 2 de lieu, 3 d’agence.');
  return { ok: true, value: bic as Bic };
}

/** Whether a BIC may serve an IBAN: the same country, or a territory that banks under its IBANs. */
export function bicServesIban(bic: Bic, iban: Iban): boolean {
  const bicCountry = extractBIC(bic).countryCode ?? '';
  const ibanCountry = iban.slice(0, 2);
  return bicCountry === ibanCountry || (BIC_COUNTRIES_OF_IBAN[ibanCountry] ?? []).includes(bicCountry);
}

/**
 * The holder as it will appear on transfers: white space collapsed, 1 to 70 characters,
 * no control characters (they would break a SEPA file or a page).
 */
export function parseHolder(input: string): Result<string, Refusal> {
  const holder = input.replace(/\s+/g, ' ').trim();
  // eslint-disable-next-line no-control-regex -- control characters are exactly what is refused
  if (holder.length === 0 || holder.length > HOLDER_MAX || /[\u0000-\u001f\u007f]/.test(holder)) {
    return refused('BANK_HOLDER_INVALID', `Le titulaire du compte a de 1 à ${HOLDER_MAX} caractères.`);
  }
  return { ok: true, value: holder };
}

/**
 * IBAN, BIC and holder of a proposed account, each checked, then the pair: a French IBAN
 * with a German BIC is a typing error or a diversion, never an account to pay. The BBAN's
 * bank code is not compared with the BIC: the BIC's four letters are the bank's own
 * abbreviation, not its national code, so no sound rule links them.
 */
export function parseBankAccount(input: { iban: string; bic: string; holder: string }): Result<BankAccount, Refusal> {
  const iban = parseIban(input.iban);
  if (!iban.ok) return refused(iban.error.code, iban.error.reason);
  const bic = parseBic(input.bic);
  if (!bic.ok) return bic;
  if (!bicServesIban(bic.value, iban.value)) return refused('BIC_COUNTRY_MISMATCH', 'Le pays du BIC n’est pas celui de l’IBAN.');
  const holder = parseHolder(input.holder);
  if (!holder.ok) return holder;
  return { ok: true, value: { iban: iban.value, bic: bic.value, holder: holder.value } };
}

/**
 * An IBAN as pages and the API show it: its last four characters only. Enough for the
 * holder to recognise their account; a stolen session harvests no account number.
 */
export function maskIban(iban: string): string {
  return `${'•'.repeat(Math.max(iban.length - 4, 0))}${iban.slice(-4)}`;
}

/**
 * A French IBAN from its RIB's bank code (5 digits), branch code (5) and account number (up
 * to 11 digits), with the RIB key (97 − (89 × bank + 15 × branch + 3 × account) mod 97) and the
 * IBAN key computed: what the synthetic data and the tests make accounts with.
 */
export function frenchIban(bank: number, branch: number, account: number): Iban {
  const ribKey = 97 - ((89 * bank + 15 * branch + 3 * (account % 97)) % 97);
  const bban = `${String(bank).padStart(5, '0')}${String(branch).padStart(5, '0')}${String(account).padStart(11, '0')}${String(ribKey).padStart(2, '0')}`;
  const parsed = parseIban(composeIBAN({ countryCode: 'FR', bban }) ?? '');
  if (!parsed.ok) throw new Error(`RIB ${bank} ${branch} ${account} : ${parsed.error.reason}`);
  return parsed.value;
}
