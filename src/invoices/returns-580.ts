import { stringify } from 'csv-stringify/sync';

/** A line of a return as the JSON feed gives it (returns-response.ts). */
interface ReturnLine {
  acte: string;
  domaine: string;
  statut: string;
  demande: number;
  paye: number;
  motif?: string;
  libelle?: string;
}

/** A return as the JSON feed gives it: the 580 file says the same, in blocks. */
export interface Return580Entry {
  type: string;
  le: string;
  numeroFacture: string;
  numero?: string;
  lot: string;
  statut: string;
  engagement?: string;
  accordPrealable?: string;
  dateSoins: string;
  motif?: string;
  libelle?: string;
  demande: number;
  paye: number;
  lignes: ReturnLine[];
  paiement: { reference: string; date: string } | null;
}

export interface Return580Page {
  organisme: string;
  retours: Return580Entry[];
  curseur: string;
}

/** Who the file is for and when it was made: its header. */
export interface Return580Header {
  site: string;
  at: Date;
  from: string | null;
}

export const RETURN_580_VERSION = 'rempart-580/1';

/**
 * A page of the returns feed as a file modelled on the NOEMIE 580 return's structure
 * (docs/returns-580.md): a header (000), one block per payment (100: the transfer that pays
 * the invoices under it, or none yet), one record per return (200) followed by its lines
 * (300), and the totals (999) with the cursor to resume from. A near duplicate held for
 * review (mise_en_attente) pays nothing; its decision comes as a return of its own. The same content as the JSON
 * feed, for software that reconciles files rather than calls; `;`-separated, one record a line.
 */
export function returns580(page: Return580Page, header: Return580Header): string {
  const records: (string | number)[][] = [['000', RETURN_580_VERSION, page.organisme, header.site, header.at.toISOString(), header.from ?? '']];
  for (const [payment, entries] of byPayment(page.retours)) {
    records.push(['100', payment?.reference ?? '', payment?.date ?? '', entries.length, sum(entries, (e) => (e.type === 'decision' ? e.paye : 0))]);
    for (const entry of entries) records.push(invoiceRecord(entry), ...entry.lignes.map((line, i) => lineRecord(line, i + 1)));
  }
  const lines = page.retours.reduce((n, entry) => n + entry.lignes.length, 0);
  records.push(['999', page.retours.length, lines, sum(page.retours, (e) => e.demande), sum(page.retours, netPaid), page.curseur]);
  return stringify(records, { delimiter: ';', record_delimiter: '\r\n' });
}

/** What a return adds to the total paid: a decision its payment, a cancellation less what it takes back, a hold for review nothing. */
function netPaid(entry: Return580Entry): number {
  if (entry.type === 'decision') return entry.paye;
  return entry.type === 'annulation' ? -entry.paye : 0;
}

/** Returns grouped by the payment that settles them, in the feed's order of first appearance; those not paid yet together. */
function byPayment(entries: readonly Return580Entry[]): Map<Return580Entry['paiement'], Return580Entry[]> {
  const groups = new Map<string, { payment: Return580Entry['paiement']; entries: Return580Entry[] }>();
  for (const entry of entries) {
    const key = entry.paiement?.reference ?? '';
    const group = groups.get(key) ?? { payment: entry.paiement, entries: [] };
    group.entries.push(entry);
    groups.set(key, group);
  }
  return new Map([...groups.values()].map((g) => [g.payment, g.entries]));
}

function invoiceRecord(e: Return580Entry): (string | number)[] {
  return ['200', e.type, e.le, e.numeroFacture, e.numero ?? '', e.lot, e.engagement ?? '', e.accordPrealable ?? '', e.dateSoins, e.statut, e.motif ?? '', e.libelle ?? '', e.demande, e.paye];
}

function lineRecord(line: ReturnLine, index: number): (string | number)[] {
  return ['300', index, line.acte, line.domaine, line.statut, line.demande, line.paye, line.motif ?? '', line.libelle ?? ''];
}

function sum(entries: readonly Return580Entry[], amount: (entry: Return580Entry) => number): number {
  return entries.reduce((total, entry) => total + amount(entry), 0);
}
