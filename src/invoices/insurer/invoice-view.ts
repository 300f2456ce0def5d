import type { FastifyRequest } from 'fastify';
import { contextOf } from '../../access/access-policy.js';
import { todayUtc } from '../../domain/dates.js';
import { RempartError } from '../../domain/errors/codes.js';
import { readPeriod, type DecisionPeriod } from '../../domain/invoices/period.js';
import { invoiceReasons, reasonCategories, type ReasonCategory, type ReasonCode } from '../../domain/invoices/reasons.js';
import { statuses } from '../invoice-response.js';
import type { Database } from '../../db/database.js';
import type { InsurerInvoice, InsurerInvoicesDeps } from './insurer-invoices.js';

/**
 * The insurer's invoice reads in the API's words, shared by the list and its CSV export.
 * No column names the beneficiary: reviewing claims for payment needs the care, the
 * professional and the decision, not who was cared for.
 */

/** The agent's insurer, from the staff account: never from the request. */
export function agentInsurer(request: FastifyRequest): number {
  const { insurerId } = contextOf(request, 'staff').staff;
  if (insurerId === null) throw new RempartError('AUTH_FORBIDDEN');
  return insurerId;
}

export const PRIVACY_NOTE = 'Aucune donnée ne nomme le bénéficiaire (ni NIR, ni nom, ni identifiant) : payer et examiner les factures n’en a pas besoin.';

/** A read of the agent's insurer over the period its query names (today when it names none). */
export function readForAgent<T>(request: FastifyRequest<{ Querystring: PeriodQuery }>, deps: InsurerInvoicesDeps, read: (db: Database, insurerId: number, period: DecisionPeriod) => Promise<T>): Promise<T> {
  return read(deps.db, agentInsurer(request), queryPeriod(request.query, deps.now()));
}

export interface PeriodQuery {
  du?: string;
  au?: string;
}

/** The period a route's query names (today when it names none). */
export function queryPeriod(query: PeriodQuery, now: Date): DecisionPeriod {
  return readPeriod(query.du, query.au, todayUtc(now));
}

/** The period's query fields, shared by the four routes. */
export const periodQuery = {
  du: { type: 'string', description: 'Premier jour de décision (AAAA-MM-JJ, UTC) ; par défaut `au`, ou aujourd’hui' },
  au: { type: 'string', description: 'Dernier jour de décision, inclus ; par défaut `du`, ou aujourd’hui. 366 jours au plus' },
} as const;

export const statusSchema = { type: 'string', enum: Object.values(statuses), description: 'payee, payee_partiellement, rejetee, ou en_attente (doublon possible à examiner : GET /api/v1/insurer/invoices/held)' } as const;
export const reasonCode = { type: 'string', enum: Object.keys(invoiceReasons), description: 'Code stable du motif (docs/invoice-reasons.md)' } as const;

export const invoiceLineSchema = {
  type: 'object',
  required: ['numero', 'finess', 'siret', 'rpps', 'dateSoins', 'domaines', 'statut', 'motif', 'libelle', 'demande', 'paye', 'decideeLe'],
  properties: {
    numero: { type: 'string', description: 'Numéro de la décision sur la plateforme' },
    finess: { type: ['string', 'null'], description: 'FINESS de la structure qui a facturé' },
    siret: { type: ['string', 'null'], description: 'SIRET de la structure, quand elle n’a pas de FINESS' },
    rpps: { type: 'string', description: 'RPPS du professionnel' },
    dateSoins: { type: 'string', format: 'date' },
    domaines: { type: 'array', items: { type: 'string' }, description: 'Domaines de soins facturés' },
    statut: statusSchema,
    motif: { anyOf: [reasonCode, { type: 'null' }], description: 'Motif du rejet, ou de la première réduction' },
    libelle: { type: ['string', 'null'], description: 'Libellé du motif' },
    demande: { type: 'integer', description: 'Part complémentaire demandée, en centimes' },
    paye: { type: 'integer', description: 'Part complémentaire payée, en centimes' },
    decideeLe: { type: 'string', format: 'date-time' },
  },
} as const;

export interface InvoiceLine {
  numero: string;
  finess: string | null;
  siret: string | null;
  rpps: string;
  dateSoins: string;
  domaines: string[];
  statut: string;
  motif: string | null;
  libelle: string | null;
  demande: number;
  paye: number;
  decideeLe: string;
}

export function invoiceLine(row: Omit<InsurerInvoice, 'decided_micros'>): InvoiceLine {
  return {
    numero: row.number, finess: row.finess, siret: row.siret, rpps: row.rpps, dateSoins: row.care_date, domaines: row.care_domains,
    statut: statuses[row.status], motif: row.reason, libelle: row.reason === null ? null : reasonOf(row.reason).label,
    demande: row.claimed_cents, paye: row.paid_cents, decideeLe: row.decided_at.toISOString(),
  };
}

/** A stored reason, from the catalogue that decided it (a code never leaves it once published). */
export function reasonOf(code: string): { label: string; category: ReasonCategory; categoryLabel: string } {
  const reason = invoiceReasons[code as ReasonCode];
  return { label: reason.label, category: reason.category, categoryLabel: reasonCategories[reason.category] };
}

/** The export's French headers, in the list's order. */
const csvHeaders: Readonly<Record<keyof InvoiceLine, string>> = {
  numero: 'Numéro de facture',
  finess: 'FINESS',
  siret: 'SIRET',
  rpps: 'RPPS',
  dateSoins: 'Date des soins',
  domaines: 'Domaines de soins',
  statut: 'Statut',
  motif: 'Motif',
  libelle: 'Libellé du motif',
  demande: 'Demandé (centimes)',
  paye: 'Payé (centimes)',
  decideeLe: 'Décidée le (UTC)',
};

export const csvColumns = Object.entries(csvHeaders).map(([key, header]) => ({ key, header }));
