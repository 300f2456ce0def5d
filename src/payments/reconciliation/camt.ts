import { XmlDocument, XmlLibError, XmlXPath, type XmlNode } from 'libxml2-wasm';
import type { CalendarDate } from '../../domain/dates.js';
import { RempartError } from '../../domain/errors/codes.js';
import { cents, type Cents } from '../../domain/money.js';
import type { BankEntry } from '../../domain/payments/index.js';
import { CAMT_VERSIONS, schemaErrorsOf, validateDoc, type CamtVersion } from '../sepa/schema.js';

/** A bank file as the reconciliation reads it: its keys, and each transaction of its entries in order. */
export interface BankFile {
  readonly version: CamtVersion;
  readonly messageId: string;
  readonly createdAt: Date;
  /** The ids of the notifications (camt.054) or statements (camt.053) it carries, each once. */
  readonly reports: readonly string[];
  readonly entries: readonly BankEntry[];
}

export function camtNamespace(version: CamtVersion): string {
  return `urn:iso:std:iso:20022:tech:xsd:${version}`;
}

/** Where each version keeps its message and its reports. */
const LAYOUT: Record<CamtVersion, { message: string; report: string }> = {
  'camt.054.001.08': { message: 'BkToCstmrDbtCdtNtfctn', report: 'Ntfctn' },
  'camt.053.001.08': { message: 'BkToCstmrStmt', report: 'Stmt' },
};

/**
 * Reads a bank's camt.054 or camt.053 (version .001.08): parsed by libxml2 (no network; a
 * file declaring a DTD refused), told apart by its namespace, validated against the
 * official ISO 20022 schema, then read. Anything else is refused whole with a stable code
 * (CAMT_XML_INVALID, CAMT_FOREIGN, CAMT_SCHEMA_INVALID, CAMT_AMOUNT_INVALID) before
 * anything is stored.
 */
export function parseCamt(xml: string | Uint8Array): BankFile {
  let doc: XmlDocument | undefined;
  try {
    doc = parseXml(xml);
    // A bank file never declares a DTD: one that does is refused before anything is read (no entity, internal or external).
    if (doc.dtd !== null) throw new RempartError('CAMT_XML_INVALID', 'déclaration DOCTYPE');
    const namespace = doc.root.namespaceUri;
    const version = CAMT_VERSIONS.find((v) => camtNamespace(v) === namespace);
    if (doc.root.name !== 'Document' || version === undefined) throw new RempartError('CAMT_FOREIGN', `${doc.root.name} ${namespace || 'sans espace de noms'}`);
    const errors = validateDoc(doc, version);
    if (errors.length > 0) throw new RempartError('CAMT_SCHEMA_INVALID', errors.slice(0, 3).map((e) => `ligne ${e.line} : ${e.message}`).join(' ; '));
    return readFile(doc, version);
  } finally {
    doc?.dispose();
  }
}

/** A file's bytes are read in the encoding it declares; a string is UTF-8 already. */
function parseXml(xml: string | Uint8Array): XmlDocument {
  try {
    return typeof xml === 'string' ? XmlDocument.fromString(xml) : XmlDocument.fromBuffer(xml);
  } catch (error) {
    if (!(error instanceof XmlLibError)) throw error;
    throw new RempartError('CAMT_XML_INVALID', schemaErrorsOf(error).slice(0, 1).map((e) => `ligne ${e.line} : ${e.message}`).join(''));
  }
}

/** Each XPath compiled once for the file (a day's camt.054 asks the same ten of 20,000 entries), freed after. */
function readFile(doc: XmlDocument, version: CamtVersion): BankFile {
  const ns = { c: camtNamespace(version) };
  const compiled = new Map<string, XmlXPath>();
  const xpath = (path: string): XmlXPath => {
    const known = compiled.get(path) ?? XmlXPath.compile(path, ns);
    compiled.set(path, known);
    return known;
  };
  try {
    return readWith(doc, version, { text: (node, path) => node.get(xpath(path))?.content, all: (node, path) => node.find(xpath(path)) });
  } finally {
    for (const expression of compiled.values()) expression.dispose();
  }
}

function readWith(doc: XmlDocument, version: CamtVersion, read: Reader): BankFile {
  const text = read.text;
  const { message, report } = LAYOUT[version];
  const root = `c:${message}`;
  const reports = read.all(doc.root, `${root}/c:${report}`);
  const entries: BankEntry[] = [];
  for (const node of reports) {
    for (const entry of read.all(node, 'c:Ntry')) entries.push(...transactionsOf(entry, entries.length + 1, read));
  }
  return {
    version,
    messageId: text(doc.root, `${root}/c:GrpHdr/c:MsgId`) ?? '',
    createdAt: instantOf(text(doc.root, `${root}/c:GrpHdr/c:CreDtTm`) ?? ''),
    reports: [...new Set(reports.map((node) => text(node, 'c:Id') ?? ''))],
    entries,
  };
}

/** XPath in the file's namespace (prefix c). */
interface Reader {
  text: (node: XmlNode, path: string) => string | undefined;
  all: (node: XmlNode, path: string) => XmlNode[];
}

/**
 * An entry's transactions (one per TxDtls; the entry itself when it details none): each
 * with its own amount and direction when it states them, the entry's otherwise. The
 * booking day is the bank's own (its date, or the day of its date-time as written).
 */
function transactionsOf(entry: XmlNode, position: number, read: Reader): BankEntry[] {
  const text = read.text;
  const ref = text(entry, 'c:NtryRef') ?? text(entry, 'c:AcctSvcrRef') ?? `n° ${position}`;
  const booked = text(entry, 'c:Sts/c:Cd') === 'BOOK';
  const day = text(entry, 'c:BookgDt/c:Dt') ?? text(entry, 'c:BookgDt/c:DtTm')?.slice(0, 10);
  const common = {
    amountCents: amountOf(entry, read),
    direction: directionOf(text(entry, 'c:CdtDbtInd')),
    bookedOn: booked && day !== undefined ? (day as CalendarDate) : undefined,
  };
  const details = read.all(entry, 'c:NtryDtls/c:TxDtls');
  if (details.length === 0) return [{ ...common, entry: ref, endToEndId: undefined, returnReason: undefined }];
  return details.map((tx, i) => {
    const returned = read.all(tx, 'c:RtrInf').length > 0;
    return {
      ...common,
      entry: details.length === 1 ? ref : `${ref}/${i + 1}`,
      endToEndId: text(tx, 'c:Refs/c:EndToEndId'),
      ...(text(tx, 'c:Amt') === undefined ? {} : { amountCents: amountOf(tx, read) }),
      ...(text(tx, 'c:CdtDbtInd') === undefined ? {} : { direction: directionOf(text(tx, 'c:CdtDbtInd')) }),
      returnReason: returned ? (text(tx, 'c:RtrInf/c:Rsn/c:Cd') ?? text(tx, 'c:RtrInf/c:Rsn/c:Prtry') ?? '') : undefined,
    };
  });
}

/** The node's Amt in cents: euros only, whole cents only (the schema allows five decimals). */
function amountOf(node: XmlNode, read: Reader): Cents {
  const amount = read.text(node, 'c:Amt') ?? '';
  const currency = read.text(node, 'c:Amt/@Ccy');
  const match = /^(\d{1,13})(?:\.(\d{1,2})0*)?$/.exec(amount.trim());
  if (currency !== 'EUR' || !match) throw new RempartError('CAMT_AMOUNT_INVALID', `${amount} ${currency ?? ''}`.trim());
  return cents(Number(match[1]) * 100 + Number((match[2] ?? '').padEnd(2, '0')));
}

function directionOf(code: string | undefined): BankEntry['direction'] {
  return code === 'DBIT' ? 'DBIT' : 'CRDT';
}

/** An ISO date-time: without an offset, read as UTC (the platform's time). */
function instantOf(value: string): Date {
  const zoned = /(Z|[+-]\d{2}:\d{2})$/.test(value) ? value : `${value}Z`;
  return new Date(zoned);
}
