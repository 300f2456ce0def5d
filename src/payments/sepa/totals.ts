import { XmlDocument } from 'libxml2-wasm';
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
export function checkPain001Totals(xml: string, version: Pain001Version, transfers: readonly CreditTransfer[]): void {
  const expected = {
    count: String(transfers.length),
    sum: decimalOfCents(transfers.reduce((total, t) => total + t.amountCents, 0)),
    ids: transfers.map((t) => t.paymentId),
    amounts: transfers.map((t) => decimalOfCents(t.amountCents)),
    ibans: transfers.map((t) => t.account.iban),
  };
  const doc = XmlDocument.fromString(xml);
  try {
    const ns = { p: `urn:iso:std:iso:20022:tech:xsd:${version}` };
    const texts = (path: string): string[] => doc.find(path, ns).map((node) => node.content);
    const tx = '//p:PmtInf/p:CdtTrfTxInf';
    const found = {
      counts: texts('//p:GrpHdr/p:NbOfTxs | //p:PmtInf/p:NbOfTxs'),
      sums: texts('//p:GrpHdr/p:CtrlSum | //p:PmtInf/p:CtrlSum'),
      ids: texts(`${tx}/p:PmtId/p:EndToEndId`),
      amounts: texts(`${tx}/p:Amt/p:InstdAmt`),
      ibans: texts(`${tx}/p:CdtrAcct/p:Id/p:IBAN`),
    };
    mustEqual('NbOfTxs', found.counts, [expected.count, expected.count]);
    mustEqual('CtrlSum', found.sums, [expected.sum, expected.sum]);
    mustEqual('EndToEndId', found.ids, expected.ids);
    mustEqual('InstdAmt', found.amounts, expected.amounts);
    mustEqual('IBAN', found.ibans, expected.ibans);
  } finally {
    doc.dispose();
  }
}

function mustEqual(what: string, found: readonly string[], expected: readonly string[]): void {
  const at = found.length === expected.length ? found.findIndex((value, i) => value !== expected[i]) : Math.min(found.length, expected.length);
  if (at >= 0) throw new RempartError('SEPA_FILE_MISMATCH', `${what} n° ${at + 1} : ${found[at] ?? 'absent'} au lieu de ${expected[at] ?? 'rien'}`);
}
