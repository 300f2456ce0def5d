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
 * engagement, cancelled (a wrong quantity, say), sent again right (F2: a cancelled invoice
 * no longer holds its engagement, and is no near duplicate), then the site's returns for the
 * insurer read from just before the first lot: the decision, its cancellation and the new
 * decision, in the order written. F2 stays: the next payment run pays it.
 */
export async function invoiceAndCancel(software: DemoSoftware, engagement: string, amc: string, careDate: CalendarDate, line: object): Promise<string[]> {
  const since = new Date(Date.now() - 1000).toISOString();
  const send = async (numero: string): Promise<{ line: string; decided: Decided | undefined }> => {
    const lot = { lot: `DEMO-${engagement.slice(-8)}-${numero}`, factures: [{ numero, engagement, dateSoins: careDate, lignes: [line] }] };
    const sent = await software.call('POST', LOTS, lot);
    const [decided] = (sent.json as { factures?: Decided[] }).factures ?? [];
    return { line: sent.status === 200 && decided ? `POST ${LOTS} → ${sent.status} ${said(decided)}` : callLine('POST', LOTS, sent), decided };
  };
  const first = await send('F1');
  if (!first.decided?.numero) return [first.line];
  const cancel = `/api/v1/invoices/${first.decided.numero}/cancel`;
  const lines = [first.line, callLine('POST', cancel, await software.call('POST', cancel, { motif: 'Quantité erronée' })), (await send('F2')).line];
  const returns = `/api/v1/invoices/returns?amc=${amc}&depuis=${encodeURIComponent(since)}`;
  const read = await software.call('GET', returns);
  const entries = (read.json as { retours?: (Decided & { type: string })[] }).retours ?? [];
  return [...lines, `GET ${returns} → ${read.status}, ${entries.length} retours`, ...entries.map((entry) => `  ${said(entry)}`)];
}
