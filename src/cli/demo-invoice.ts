import type { DemoSoftware } from '../access/demo-client.js';
import type { CalendarDate } from '../domain/dates.js';
import { cents, formatEuros } from '../domain/money.js';
import { callLine } from './demo-patient.js';

const LOTS = '/api/v1/invoices/lots';

/** What the demo prints of an invoice's decision and of a return. */
interface Decided {
  numero: string | null;
  numeroFacture: string;
  statut: string;
  paye: number;
  motif?: string;
  libelle?: string;
}

const euros = (amount: number): string => formatEuros(cents(amount));
const said = (entry: Decided & { type?: string }): string =>
  `${entry.type === undefined ? '' : `${entry.type} : `}facture ${entry.numeroFacture} (${entry.numero ?? 'non enregistrée'}) ${entry.statut}, ${euros(entry.paye)} payés${entry.motif ? ` — ${entry.motif} ${entry.libelle ?? ''}` : ''}`;

/**
 * The counter's invoice for the care just calculated: sent in a lot of its own under the
 * engagement, cancelled (a wrong quantity, say), then the site's returns for the insurer
 * read from just before the lot: the decision and its cancellation, in the order written.
 */
export async function invoiceAndCancel(software: DemoSoftware, engagement: string, amc: string, careDate: CalendarDate, line: object): Promise<string[]> {
  const since = new Date(Date.now() - 1000).toISOString();
  const lot = { lot: `DEMO-${engagement.slice(-8)}`, factures: [{ numero: 'F1', engagement, dateSoins: careDate, lignes: [line] }] };
  const sent = await software.call('POST', LOTS, lot);
  const [decided] = (sent.json as { factures?: Decided[] }).factures ?? [];
  if (sent.status !== 200 || !decided?.numero) return [callLine('POST', LOTS, sent)];
  const cancel = `/api/v1/invoices/${decided.numero}/cancel`;
  const lines = [`POST ${LOTS} → ${sent.status} ${said(decided)}`, callLine('POST', cancel, await software.call('POST', cancel, { motif: 'Quantité erronée' }))];
  const returns = `/api/v1/invoices/returns?amc=${amc}&depuis=${encodeURIComponent(since)}`;
  const read = await software.call('GET', returns);
  const entries = (read.json as { retours?: (Decided & { type: string })[] }).retours ?? [];
  return [...lines, `GET ${returns} → ${read.status}, ${entries.length} retours`, ...entries.map((entry) => `  ${said(entry)}`)];
}
