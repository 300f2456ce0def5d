import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Database } from '../../db/database.js';
import type { CalendarDate } from '../../domain/dates.js';
import { RempartError } from '../../domain/errors/codes.js';
import type { BankAccount, CreditTransfer, PaymentId } from '../../domain/payments/index.js';
import type { Iban } from '../../domain/identifiers/iban.js';
import type { Bic } from '../../domain/payments/bank-account.js';
import { cents } from '../../domain/money.js';
import { pain001 } from '../sepa/pain001.js';
import type { Pain001Version } from '../sepa/schema.js';

interface StoredTransfer {
  id: string;
  iban: string;
  bic: string;
  holder: string;
  amount_cents: string;
  remittance: string;
}

/**
 * The pain.001 of a stored run, from the stored transfers only (never from a new plan):
 * by IBAN in byte order as the plan made them, with the run's MsgId, its cut-off as
 * CreDtTm and its stored execution day. So the file of a day is the same bytes each time it is made, whichever process
 * makes it. Undefined for a run without transfers (there is nothing to send).
 */
export async function runFile(db: Database, runDate: CalendarDate, debtor: BankAccount, version?: Pain001Version): Promise<{ name: string; xml: string } | undefined> {
  const { run, transfers } = await db.transaction('platform', async (tx) => ({
    run: (await tx.query<{ message_id: string; version: Pain001Version; cut_off_at: Date; execution_date: string }>(
      "SELECT message_id, version, cut_off_at, to_char(execution_date, 'YYYY-MM-DD') AS execution_date FROM payment_run WHERE run_date = $1", [runDate])).rows[0],
    transfers: (await tx.query<StoredTransfer>('SELECT id, iban, bic, holder, amount_cents, remittance FROM payment WHERE run_date = $1 ORDER BY iban COLLATE "C"', [runDate])).rows,
  }));
  if (!run) throw new RempartError('PAYMENT_UNKNOWN', `aucun paiement le ${runDate}`);
  if (transfers.length === 0) return undefined;
  const chosen = version ?? run.version;
  const xml = pain001(transfers.map(creditTransferOf), debtor, { version: chosen, executionDate: run.execution_date as CalendarDate, messageId: run.message_id, createdAt: new Date(run.cut_off_at) });
  return { name: `${run.message_id}.${chosen}.xml`, xml };
}

/** Written beside, then renamed: a process killed while writing leaves the old file or none, never half of one. */
export function writeRunFile(dir: string, file: { name: string; xml: string }): string {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, file.name);
  const partial = `${path}.${process.pid}.part`;
  writeFileSync(partial, file.xml);
  renameSync(partial, path);
  return path;
}

function creditTransferOf(row: StoredTransfer): CreditTransfer {
  return {
    paymentId: row.id as PaymentId,
    account: { iban: row.iban as Iban, bic: row.bic as Bic, holder: row.holder },
    amountCents: cents(Number(row.amount_cents)),
    remittance: row.remittance,
  };
}
