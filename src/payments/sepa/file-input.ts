import { parseCalendarDate, type CalendarDate } from '../../domain/dates.js';
import { RempartError } from '../../domain/errors/codes.js';
import { HOLDER_MAX } from '../../domain/payments/bank-account.js';
import { parseBankAccount, toSepaLatin, type BankAccount, type CreditTransfer } from '../../domain/payments/index.js';

/** What the file writes of an account: its IBAN and BIC as parsed, its holder in SEPA characters. */
export interface FileParty {
  readonly iban: string;
  readonly bic: string;
  readonly name: string;
}

export interface FileTransfer extends FileParty {
  readonly paymentId: string;
  readonly amountCents: number;
  readonly remittance: string;
}

/** The largest amount of one SEPA credit transfer (EPC: 999,999,999.99 €). */
const MAX_TRANSFER_CENTS = 99_999_999_999;
/** sepa makes each InstrId from the MsgId, ".0." and the transfer's rank: 20 + 3 + 12 ≤ 35. */
const MESSAGE_ID = /^[A-Z0-9-]{1,20}$/;
const PAYMENT_ID = /^[A-Z0-9-]{1,35}$/;

/**
 * Everything that would make a wrong file, refused with its code before any XML is written:
 * no transfer, an amount that is not whole positive cents within SEPA's maximum, an id or a
 * remittance outside the SEPA character set, a payment id twice, an account whose IBAN,
 * BIC or holder does not parse (types can be cast; a file goes to a bank).
 */
export function checkFileInput(transfers: readonly CreditTransfer[], debtor: BankAccount, options: { messageId: string; executionDate: CalendarDate }): { debtor: FileParty; transfers: FileTransfer[] } {
  if (transfers.length === 0) throw new RempartError('SEPA_FILE_EMPTY');
  if (!MESSAGE_ID.test(options.messageId)) throw new RempartError('SEPA_FIELD_INVALID', `MsgId « ${options.messageId} »`);
  if (!parseCalendarDate(options.executionDate).ok) throw new RempartError('SEPA_FIELD_INVALID', `date d’exécution « ${options.executionDate} »`);
  const seen = new Set<string>();
  const checked = transfers.map((transfer) => {
    const { paymentId, amountCents } = transfer;
    if (!PAYMENT_ID.test(paymentId)) throw new RempartError('SEPA_FIELD_INVALID', `identifiant de paiement « ${paymentId} »`);
    if (seen.has(paymentId)) throw new RempartError('PAYMENT_DUPLICATE', paymentId);
    seen.add(paymentId);
    if (!Number.isSafeInteger(amountCents) || amountCents <= 0 || amountCents > MAX_TRANSFER_CENTS) throw new RempartError('PAYMENT_AMOUNT_INVALID', `${paymentId} : ${amountCents}`);
    const remittance = toSepaLatin(transfer.remittance);
    if (remittance === '' || remittance.length > 140) throw new RempartError('SEPA_FIELD_INVALID', `libellé de ${paymentId} : vide ou plus de 140 caractères`);
    return { ...partyOf(transfer.account, paymentId), paymentId, amountCents, remittance };
  });
  return { debtor: partyOf(debtor, 'compte débiteur'), transfers: checked };
}

function partyOf(account: BankAccount, whose: string): FileParty {
  const parsed = parseBankAccount(account);
  if (!parsed.ok) throw new RempartError(parsed.error.code, `${whose} : ${parsed.error.reason}`);
  // Spelt-out ligatures (œ → oe) may lengthen a holder already within SEPA's 70 characters: cut there, as banks do.
  const name = toSepaLatin(parsed.value.holder).slice(0, HOLDER_MAX).trim();
  if (name === '') throw new RempartError('BANK_HOLDER_INVALID', `${whose} : aucun caractère SEPA dans le nom du titulaire`);
  return { iban: parsed.value.iban, bic: parsed.value.bic, name };
}
