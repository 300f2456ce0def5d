import { XmlDocument, type XmlElement } from 'libxml2-wasm';
import type { Database } from '../../db/database.js';
import type { CalendarDate } from '../../domain/dates.js';
import { RempartError } from '../../domain/errors/codes.js';
import type { BankAccount } from '../../domain/payments/index.js';
import { decimalOfCents } from '../sepa/amounts.js';
import { validateDoc, type CamtVersion } from '../sepa/schema.js';
import { camtNamespace } from './camt.js';

export interface SampleOptions {
  /** The platform's account the transfers were paid from (the run file's debtor). */
  debtor: BankAccount;
  /** The day the synthetic bank books every entry. */
  bookedOn: CalendarDate;
  /** How many transfers come back instead of being debited: the first ones by IBAN. */
  returns: number;
  /** Their ISO 20022 return reason. */
  reason: string;
  createdAt: Date;
}

/** One booked entry of a bank file the platform writes (the demo's sample, the tests, the bench). */
export interface WrittenEntry {
  readonly endToEndId: string;
  readonly amountCents: number;
  readonly direction: 'DBIT' | 'CRDT';
  readonly bookedOn: CalendarDate;
  /** A returned transfer's ISO 20022 reason. */
  readonly reason?: string;
}

export interface WrittenFile {
  readonly messageId: string;
  /** The notification's or statement's id. */
  readonly reportId: string;
  readonly createdAt: Date;
  /** The platform's account the entries are on. */
  readonly iban: string;
  readonly entries: readonly WrittenEntry[];
}

/**
 * A synthetic bank's camt.054 for a stored run (issue 18, "Done when"), so that the demo and
 * the tests go through pay → reconcile → a returned transfer re-opens its invoices: each
 * transfer of the run booked as a debit on the day, except the first `returns` (by IBAN, as
 * the run's file lists them), which come back as credits with their return reason. Its
 * message id names the run, the day and the number returned: the same sample imported
 * twice is refused as the same statement.
 */
export async function camtSample(db: Database, runDate: CalendarDate, options: SampleOptions): Promise<{ name: string; xml: string }> {
  if (!/^[A-Z0-9]{4}$/.test(options.reason)) throw new RempartError('FIELD_INVALID', `motif de rejet « ${options.reason} » : un code ISO 20022 de quatre caractères (AC04…)`);
  const transfers = await db.transaction('platform', async (tx) => {
    const run = await tx.query('SELECT 1 FROM payment_run WHERE run_date = $1', [runDate]);
    if (run.rows.length === 0) throw new RempartError('PAYMENT_UNKNOWN', `aucun paiement le ${runDate}`);
    return (await tx.query<{ id: string; amount_cents: string }>('SELECT id, amount_cents FROM payment WHERE run_date = $1 ORDER BY iban COLLATE "C"', [runDate])).rows;
  });
  const id = `${runDate.replaceAll('-', '')}-${options.bookedOn.replaceAll('-', '')}-${options.returns}`;
  const entries = transfers.map((transfer, n): WrittenEntry => {
    const returned = n < options.returns;
    return {
      endToEndId: transfer.id, amountCents: Number(transfer.amount_cents), direction: returned ? 'CRDT' : 'DBIT', bookedOn: options.bookedOn,
      ...(returned ? { reason: options.reason } : {}),
    };
  });
  const xml = bankFileXml('camt.054.001.08', { messageId: `RC${id}`, reportId: `RN${id}`, createdAt: options.createdAt, iban: options.debtor.iban, entries });
  return { name: `RC${id}.camt.054.001.08.xml`, xml };
}

/**
 * A camt.054 or camt.053 with the given booked entries, built with libxml2's tree (no text
 * pasted into XML) and checked against the official schema. The tree is built without a
 * namespace and the message's is declared on the written root: libxml2 would otherwise put
 * the currency attribute in it too, which the schema refuses. A statement (camt.053) also
 * states its closing balance, which the schema requires: here the entries' net, as if the
 * day had opened at zero.
 */
export function bankFileXml(version: CamtVersion, file: WrittenFile): string {
  const built = XmlDocument.create();
  let xml: string;
  try {
    const message = built.createRoot('Document').addElement(version === 'camt.054.001.08' ? 'BkToCstmrDbtCdtNtfctn' : 'BkToCstmrStmt');
    const header = message.addElement('GrpHdr');
    add(header, 'MsgId', file.messageId);
    add(header, 'CreDtTm', file.createdAt.toISOString());
    const report = message.addElement(version === 'camt.054.001.08' ? 'Ntfctn' : 'Stmt');
    add(report, 'Id', file.reportId);
    add(report.addElement('Acct').addElement('Id'), 'IBAN', file.iban);
    if (version === 'camt.053.001.08') addBalance(report, file);
    for (const entry of file.entries) addEntry(report, entry);
    xml = built.toString({ format: true }).replace('<Document>', `<Document xmlns="${camtNamespace(version)}">`);
  } finally {
    built.dispose();
  }
  const written = XmlDocument.fromString(xml);
  try {
    const errors = validateDoc(written, version);
    if (errors.length > 0) throw new Error(`${version} écrit non conforme : ${errors.map((e) => e.message).join(' ; ')}`);
    return xml;
  } finally {
    written.dispose();
  }
}

function addBalance(report: XmlElement, file: WrittenFile): void {
  const net = file.entries.reduce((total, e) => total + (e.direction === 'CRDT' ? e.amountCents : -e.amountCents), 0);
  const balance = report.addElement('Bal');
  add(balance.addElement('Tp').addElement('CdOrPrtry'), 'Cd', 'CLBD');
  add(balance, 'Amt', decimalOfCents(Math.abs(net))).setAttr('Ccy', 'EUR');
  add(balance, 'CdtDbtInd', net < 0 ? 'DBIT' : 'CRDT');
  add(balance.addElement('Dt'), 'Dt', file.entries[0]?.bookedOn ?? file.createdAt.toISOString().slice(0, 10));
}

/** One booked entry: a transfer debited, or, with a reason, a transfer returned. */
function addEntry(parent: XmlElement, entry: WrittenEntry): void {
  const node = parent.addElement('Ntry');
  add(node, 'NtryRef', entry.endToEndId);
  add(node, 'Amt', decimalOfCents(entry.amountCents)).setAttr('Ccy', 'EUR');
  add(node, 'CdtDbtInd', entry.direction);
  add(node.addElement('Sts'), 'Cd', 'BOOK');
  add(node.addElement('BookgDt'), 'Dt', entry.bookedOn);
  // Payments, issued credit transfer: a SEPA credit transfer, or its return.
  const family = node.addElement('BkTxCd').addElement('Domn');
  add(family, 'Cd', 'PMNT');
  const sub = family.addElement('Fmly');
  add(sub, 'Cd', 'ICDT');
  add(sub, 'SubFmlyCd', entry.reason === undefined ? 'ESCT' : 'RRTN');
  const tx = node.addElement('NtryDtls').addElement('TxDtls');
  add(tx.addElement('Refs'), 'EndToEndId', entry.endToEndId);
  if (entry.reason !== undefined) add(tx.addElement('RtrInf').addElement('Rsn'), 'Cd', entry.reason);
}

function add(parent: XmlElement, name: string, text: string): XmlElement {
  const node = parent.addElement(name);
  node.addText(text);
  return node;
}
