import type { XmlDocument } from 'libxml2-wasm';
import { RempartError } from '../../domain/errors/codes.js';
import type { CreditTransfer } from '../../domain/payments/index.js';
import { decimalOfCents } from './amounts.js';
import type { Pain001Version } from './schema.js';

/**
 * Reads back what `sepa` wrote and compares it with the cents: the number of transfers and
 * the control sums of the group header and of each payment block, and each transfer's
 * EndToEndId, amount and IBAN, in order. Any difference means the library computed
 * something the platform did not decide: nothing is released.
 */
export function checkPain001Totals(doc: XmlDocument, version: Pain001Version, transfers: readonly CreditTransfer[]): void {
  const expected = {
    count: String(transfers.length),
    sum: decimalOfCents(transfers.reduce((total, t) => total + t.amountCents, 0)),
    ids: transfers.map((t) => t.paymentId),
    amounts: transfers.map((t) => decimalOfCents(t.amountCents)),
    ibans: transfers.map((t) => t.account.iban),
  };
  const ns = { p: `urn:iso:std:iso:20022:tech:xsd:${version}` };
  const texts = (path: string): string[] => doc.find(path, ns).map((node) => node.content);
  const tx = '//p:PmtInf/p:CdtTrfTxInf';
  mustEqual('NbOfTxs', texts('//p:GrpHdr/p:NbOfTxs | //p:PmtInf/p:NbOfTxs'), [expected.count, expected.count]);
  mustEqual('CtrlSum', texts('//p:GrpHdr/p:CtrlSum | //p:PmtInf/p:CtrlSum'), [expected.sum, expected.sum]);
  mustEqual('EndToEndId', texts(`${tx}/p:PmtId/p:EndToEndId`), expected.ids);
  mustEqual('InstdAmt', texts(`${tx}/p:Amt/p:InstdAmt`), expected.amounts);
  mustEqual('IBAN', texts(`${tx}/p:CdtrAcct/p:Id/p:IBAN`), expected.ibans);
}

function mustEqual(what: string, found: readonly string[], expected: readonly string[]): void {
  const at = found.length === expected.length ? found.findIndex((value, i) => value !== expected[i]) : Math.min(found.length, expected.length);
  if (at >= 0) throw new RempartError('SEPA_FILE_MISMATCH', `${what} n° ${at + 1} : ${found[at] ?? 'absent'} au lieu de ${expected[at] ?? 'rien'}`);
}
