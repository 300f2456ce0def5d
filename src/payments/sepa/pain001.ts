import { Document } from 'sepa';
import type { CalendarDate } from '../../domain/dates.js';
import { RempartError } from '../../domain/errors/codes.js';
import type { BankAccount, CreditTransfer } from '../../domain/payments/index.js';
import { eurosOfCents } from './amounts.js';
import { checkFileInput, type FileParty, type FileTransfer } from './file-input.js';
import { validateThen, type Pain001Version } from './schema.js';
import { checkPain001Totals } from './totals.js';

export interface Pain001Options {
  readonly version: Pain001Version;
  /** The day the bank is asked to pay (ReqdExctnDt). */
  readonly executionDate: CalendarDate;
  /** The file's MsgId (messageIdOf in src/domain/payments): [A-Z0-9-], at most 20 characters. */
  readonly messageId: string;
  /** CreDtTm, given so that a run made again writes the same file. */
  readonly createdAt: Date;
}

/**
 * A pain.001 credit-transfer initiation, written by `sepa`: one payment block from the
 * platform's account (debtor), batch booked (one debit on the platform's statement), one
 * CdtTrfTxInf per transfer in the given order. Returned only once it validates against the
 * version's official XSD and its counts, control sums and amounts equal the cents;
 * otherwise SEPA_FILE_INVALID or SEPA_FILE_MISMATCH, and no file.
 */
export function pain001(transfers: readonly CreditTransfer[], debtor: BankAccount, options: Pain001Options): string {
  const input = checkFileInput(transfers, debtor, options);
  const xml = write(input.transfers, input.debtor, options);
  const errors = validateThen(xml, options.version, (doc) => checkPain001Totals(doc, options.version, transfers));
  if (errors.length > 0) throw new RempartError('SEPA_FILE_INVALID', errors.slice(0, 3).map((e) => `ligne ${e.line} : ${e.message}`).join(' ; '));
  return xml;
}

function write(transfers: readonly FileTransfer[], debtor: FileParty, options: Pain001Options): string {
  const doc = new Document(options.version);
  doc.grpHdr.id = options.messageId;
  doc.grpHdr.created = options.createdAt;
  doc.grpHdr.initiatorName = debtor.name;
  const block = doc.createPaymentInfo();
  block.batchBooking = true;
  block.requestedExecutionDate = localDay(options.executionDate);
  block.debtorName = debtor.name;
  block.debtorIBAN = debtor.iban;
  block.debtorBIC = debtor.bic;
  // Added before its transfers: sepa prefixes each InstrId with the block's id, itself made from the MsgId here.
  doc.addPaymentInfo(block);
  for (const transfer of transfers) {
    const tx = block.createTransaction();
    tx.end2endId = transfer.paymentId;
    tx.amount = eurosOfCents(transfer.amountCents);
    tx.creditorName = transfer.name;
    tx.creditorIBAN = transfer.iban;
    tx.creditorBIC = transfer.bic;
    tx.remittanceInfo = transfer.remittance;
    block.addTransaction(tx);
  }
  return doc.toString();
}

/** sepa writes a Date's local calendar day: midnight local time of the day keeps it whatever TZ the process runs in. */
function localDay(day: CalendarDate): Date {
  const [year = 0, month = 1, date = 1] = day.split('-').map(Number);
  return new Date(year, month - 1, date);
}
