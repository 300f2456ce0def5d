import type { Database } from '../../db/database.js';
import type { BankExceptionKind } from '../../domain/payments/index.js';

/** What the operator reads of each kind, in French. */
export const EXCEPTION_LABELS: Readonly<Record<BankExceptionKind, string>> = {
  ENTRY_NOT_BOOKED: 'Écriture non comptabilisée (en attente) : rien n’est encore acquis',
  ENTRY_NOT_DEBIT: 'Crédit sans motif de rejet : ce n’est ni le débit ni le retour d’un virement',
  PAYMENT_NOT_FOUND: 'Aucun virement de la plateforme ne porte cette référence (EndToEndId)',
  AMOUNT_MISMATCH: 'Montant différent de celui du virement',
  RETURN_REASON_INVALID: 'Retour sans motif ISO 20022 lisible',
  RETURN_OF_SETTLED: 'Retour d’un virement déjà débité : à traiter avec la banque',
  ALREADY_RETURNED: 'Virement déjà rejeté',
  RETURN_WITH_RECOVERIES: 'Virement rejeté qui déduisait des indus : ces indus sont à reprendre à la main',
};

/** One exception as the operator's route lists it. */
export interface ExceptionView {
  id: number;
  releve: string;
  importeLe: string;
  mouvement: string;
  motif: BankExceptionKind;
  libelle: string;
  reference: string | null;
  montant: number;
  comptabiliseLe: string | null;
  motifRetour: string | null;
}

interface ExceptionRow {
  id: string;
  message_id: string;
  imported_at: Date;
  entry: string;
  kind: BankExceptionKind;
  end_to_end_id: string | null;
  amount_cents: string;
  booked_on: string | null;
  reason: string | null;
}

/** The newest exceptions first, of one statement when named; amounts in cents. Nothing of a person: transfer references and amounts. */
export async function listExceptions(db: Database, options: { statement?: string; limit: number }): Promise<ExceptionView[]> {
  const found = await db.query<ExceptionRow>(
    `SELECT e.id, e.message_id, s.imported_at, e.entry, e.kind, e.end_to_end_id, e.amount_cents, to_char(e.booked_on, 'YYYY-MM-DD') AS booked_on, e.reason
       FROM bank_exception e JOIN bank_statement s USING (message_id)
      WHERE $1::text IS NULL OR e.message_id = $1
      ORDER BY e.id DESC LIMIT $2`,
    [options.statement ?? null, options.limit],
  );
  return found.rows.map((row) => ({
    id: Number(row.id), releve: row.message_id, importeLe: new Date(row.imported_at).toISOString(), mouvement: row.entry, motif: row.kind,
    libelle: EXCEPTION_LABELS[row.kind], reference: row.end_to_end_id, montant: Number(row.amount_cents), comptabiliseLe: row.booked_on, motifRetour: row.reason,
  }));
}
