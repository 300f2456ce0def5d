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

/** A lot's answer, decided at once or read back from its status. */
interface LotAnswer {
  statut?: string;
  factures?: Decided[];
}

/** A lot's answer as the demo prints it: its lot status if any and its invoice's decision, else the call as it came back. */
function decisionLine(method: string, path: string, reply: { status: number; json: unknown }): string {
  const answer = reply.json as LotAnswer;
  const [decided] = answer.factures ?? [];
  if (reply.status !== 200 || !decided) return callLine(method, path, reply);
  return `${method} ${path} → 200 ${answer.statut === undefined ? '' : `${answer.statut}, `}${said(decided)}`;
}

/** The lot kept for later is followed until decided (a worker decides it within a second or so), ten seconds at most. */
const FOLLOW_TRIES = 50;
const FOLLOW_PAUSE_MS = 200;

/**
 * The counter's invoice for the care just calculated: sent in a lot of its own under the
 * engagement and decided at once, cancelled (a wrong quantity, say), sent again right (F2: a
 * cancelled invoice no longer holds its engagement, and is no near duplicate) in a lot
 * acknowledged first (`Prefer: respond-async`, 202) and followed until decided, then the
 * site's returns for the insurer read from just before the first lot: the decision, its
 * cancellation and the new decision, in the order written. F2 stays: the next payment run pays it.
 */
export async function invoiceAndCancel(software: DemoSoftware, engagement: string, amc: string, careDate: CalendarDate, line: object): Promise<string[]> {
  const since = new Date(Date.now() - 1000).toISOString();
  const lotOf = (numero: string): { lot: string; factures: object[] } => ({ lot: `DEMO-${engagement.slice(-8)}-${numero}`, factures: [{ numero, engagement, dateSoins: careDate, lignes: [line] }] });
  const sent = await software.call('POST', LOTS, lotOf('F1'));
  const first = decisionLine('POST', LOTS, sent);
  const [decided] = (sent.json as LotAnswer).factures ?? [];
  if (sent.status !== 200 || !decided?.numero) return [first];
  const cancel = `/api/v1/invoices/${decided.numero}/cancel`;
  const lines = [first, callLine('POST', cancel, await software.call('POST', cancel, { motif: 'Quantité erronée' })), ...(await sendLater(software, lotOf('F2')))];
  const returns = `/api/v1/invoices/returns?amc=${amc}&depuis=${encodeURIComponent(since)}`;
  const read = await software.call('GET', returns);
  const entries = (read.json as { retours?: (Decided & { type: string })[] }).retours ?? [];
  return [...lines, `GET ${returns} → ${read.status}, ${entries.length} retours`, ...entries.map((entry) => `  ${said(entry)}`)];
}

/** A lot acknowledged at once (the ARL), then its status read until the worker has decided it. */
async function sendLater(software: DemoSoftware, lot: { lot: string; factures: object[] }): Promise<string[]> {
  const sent = await software.call('POST', LOTS, lot, 'application/json', { prefer: 'respond-async' });
  const ack = sent.json as { statut?: string; nombreFactures?: number };
  if (sent.status !== 202) return [callLine('POST', LOTS, sent)];
  const status = `${LOTS}/${encodeURIComponent(lot.lot)}`;
  const lines = [`POST ${LOTS} (Prefer: respond-async) → 202 lot ${lot.lot} ${ack.statut ?? ''}, ${ack.nombreFactures ?? 0} facture(s)`];
  for (let tries = 0; tries < FOLLOW_TRIES; tries++) {
    const read = await software.call('GET', status);
    const kept = read.json as LotAnswer;
    if (read.status !== 200 || (kept.statut !== 'accepte' && kept.statut !== 'en_cours')) return [...lines, decisionLine('GET', status, read)];
    await new Promise((resolve) => setTimeout(resolve, FOLLOW_PAUSE_MS));
  }
  return [...lines, `GET ${status} → toujours en attente après ${(FOLLOW_TRIES * FOLLOW_PAUSE_MS) / 1000} s`];
}
