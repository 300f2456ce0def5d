import type { CalendarDate } from '../dates.js';
import type { Iban } from '../identifiers/iban.js';
import type { Brand } from '../identifiers/result.js';

/**
 * A transfer's payment id: "RP", the run day, "-", then 13 characters of a 64-bit
 * fingerprint of (run day, IBAN), e.g. RP20261207-4HX0M2Q7KD9SA. It is the transfer's
 * EndToEndId (≤ 35 characters, [A-Z0-9-] only: safe in every SEPA field) and the payment
 * reference of the remittance text and the invoices' returns. Computed, not drawn, so that a
 * run made again for the same day gives the same ids (and the bank sees the same file).
 */
export type PaymentId = Brand<string, 'PaymentId'>;

/** Crockford's base 32: no I, L, O or U, so a reference read out on the phone is not misheard. */
const BASE32 = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

export function paymentIdOf(runDate: CalendarDate, iban: Iban): PaymentId {
  return `RP${compact(runDate)}-${base32(fnv1a64(`${runDate}|${iban}`))}` as PaymentId;
}

/** The run day a payment id names (its characters 3 to 10), or undefined for a text that is no payment id. */
export function runDateOfPaymentId(id: string): CalendarDate | undefined {
  const match = /^RP([0-9]{4})([0-9]{2})([0-9]{2})-[0-9A-Z]{13}$/.exec(id);
  return match ? (`${match[1]}-${match[2]}-${match[3]}` as CalendarDate) : undefined;
}

/**
 * The remittance text (unstructured, ≤ 140 characters): "REMPART", the payment reference,
 * how many invoices the transfer pays ("12 FACT") and, when it nets recoveries, how many
 * ("2 INDU", the trade's word for an overpayment recovered). The payee's software finds the
 * invoices by the reference in the invoices' returns.
 */
export function remittanceOf(paymentId: PaymentId, invoiceCount: number, recoveryCount: number): string {
  const recoveries = recoveryCount > 0 ? ` ${recoveryCount} INDU` : '';
  return `REMPART ${paymentId} ${invoiceCount} FACT${recoveries}`;
}

/**
 * A file's MsgId: "RM", the run day, "-", its number in the day (001 unless a run is split).
 * Made again for the same day, the file keeps its MsgId, and a bank refuses a MsgId it
 * has already received: a second sending of the same run is stopped there too.
 */
export function messageIdOf(runDate: CalendarDate, fileNumber = 1): string {
  return `RM${compact(runDate)}-${String(fileNumber).padStart(3, '0')}`;
}

function compact(day: CalendarDate): string {
  return day.replaceAll('-', '');
}

/**
 * FNV-1a on 64 bits: the domain has no crypto, and a fingerprint needs no secrecy here. With
 * 20,000 accounts a day, two share one with odds of about 1 in 10^10 (the store's unique
 * constraint on payment ids would stop the run).
 */
function fnv1a64(text: string): bigint {
  let hash = 0xcbf29ce484222325n;
  for (const char of text) hash = BigInt.asUintN(64, (hash ^ BigInt(char.codePointAt(0) ?? 0)) * 0x100000001b3n);
  return hash;
}

function base32(value: bigint): string {
  let text = '';
  for (let i = 0; i < 13; i += 1) text = BASE32[Number((value >> BigInt(5 * i)) & 31n)] + text;
  return text;
}
