import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { today } from '../../clock.js';
import { parseCalendarDate, todayUtc, type CalendarDate } from '../../domain/dates.js';
import { RempartError } from '../../domain/errors/codes.js';
import { importStatement, type ImportReport } from '../../payments/reconciliation/import.js';
import { camtSample } from '../../payments/reconciliation/sample.js';
import { debtorFromEnv, versionOf } from '../../payments/runs/config.js';
import { payDay, paymentsDir } from '../../payments/runs/pay-day.js';
import { writeRunFile } from '../../payments/runs/file.js';
import { refuseFutureRun } from '../../payments/runs/run.js';
import { paymentCommandEnv } from '../demo-payments.js';
import { dataHome, withStore } from '../runtime.js';

interface RunOptions {
  date?: string;
  out?: string;
  version?: string;
}

/** `rempart payments`: the day's payment run, as the server's schedule makes it (REMPART_PAYMENT_RUN_AT). */
export function registerPayments(program: Command): void {
  const payments = program.command('payments').description('les virements aux professionnels');
  payments
    .command('run')
    .description('paie les factures acceptées décidées jusqu’au jour donné : un virement par compte, enregistré, puis le fichier pain.001 ; relancé pour un jour déjà payé, refait le même fichier sans rien écrire')
    .option('--date <AAAA-MM-JJ>', 'le jour payé (UTC), pas à venir ; par défaut aujourd’hui')
    .option('--out <dossier>', 'où écrire le fichier ; par défaut le dossier payments du répertoire de données')
    .option('--version <09|03>', 'pain.001.001.09 (par défaut) ou .03 si la banque le demande')
    .action(async (options: RunOptions) => {
      const now = new Date();
      const day = dayOption('--date', options.date ?? todayUtc(now));
      // Refused before the store is opened: a bad day leaves a fresh home as it was.
      refuseFutureRun(day, now);
      const version = versionOf(options.version);
      const report = await withStore((db) => payDay(db, day, now, { dir: options.out ?? paymentsDir(dataHome()), version, env: paymentCommandEnv(dataHome(), process.env) }));
      process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    });
  payments
    .command('reconcile')
    .description('importe un relevé de la banque (camt.054 ou camt.053, version .001.08) : virements débités ou rejetés, factures des rejets à payer de nouveau, exceptions pour l’opérateur ; un relevé déjà importé est refusé')
    .argument('<fichier>', 'le fichier camt de la banque')
    .action(async (path: string) => {
      const bytes = readBankFile(path);
      const report = await withStore((db) => importStatement(db, bytes, new Date()));
      process.stdout.write(`${summaryOf(report)}\n`);
    });
  payments
    .command('camt-sample')
    .description('écrit le camt.054 qu’une banque fictive enverrait pour le paiement d’un jour : chaque virement débité, les premiers rejetés si demandé (démonstration et essais)')
    .requiredOption('--date <AAAA-MM-JJ>', 'le jour du paiement (son virement)')
    .option('--booked <AAAA-MM-JJ>', 'le jour où la banque passe les écritures ; par défaut aujourd’hui')
    .option('--return <n>', 'combien de virements reviennent rejetés', '0')
    .option('--reason <code>', 'leur motif ISO 20022 (AC04 compte clos, AC01 IBAN erroné, MD07 titulaire décédé…)', 'AC04')
    .option('--out <dossier>', 'où écrire le fichier ; par défaut le dossier payments du répertoire de données')
    .action(async (options: SampleCommand) => {
      const runDate = dayOption('--date', options.date);
      const bookedOn = dayOption('--booked', options.booked ?? today());
      const returns = Number(options.return);
      if (!Number.isSafeInteger(returns) || returns < 0) throw new RempartError('FIELD_INVALID', `--return : « ${options.return} » n’est pas un nombre de virements`);
      const debtor = debtorFromEnv(paymentCommandEnv(dataHome(), process.env));
      const file = await withStore((db) => camtSample(db, runDate, { debtor, bookedOn, returns, reason: options.reason, createdAt: new Date() }));
      process.stdout.write(`${writeRunFile(options.out ?? paymentsDir(dataHome()), file)}\n`);
    });
}

interface SampleCommand {
  date: string;
  booked?: string;
  return: string;
  reason: string;
  out?: string;
}

function dayOption(name: string, text: string): CalendarDate {
  const parsed = parseCalendarDate(text);
  if (!parsed.ok) throw new RempartError('DATE_INVALID', `${name} : ${parsed.error.reason}`);
  return parsed.value;
}

function readBankFile(path: string): Buffer {
  try {
    return readFileSync(path);
  } catch {
    throw new RempartError('FILE_UNREADABLE', path);
  }
}

/** What the operator reads after an import, in a few French lines. */
export function summaryOf(report: ImportReport): string {
  return [
    `Relevé ${report.fichier} (${report.version}) : ${report.mouvements} mouvement(s)`,
    `  rapprochés : ${report.rapproches} (débités : ${report.regles}, rejetés : ${report.rejetes}, déjà connus : ${report.dejaConnus})`,
    `  factures de nouveau à payer : ${report.facturesRouvertes}`,
    `  exceptions à examiner : ${report.exceptions}${report.exceptions > 0 ? ' (GET /api/v1/payments/exceptions)' : ''}`,
  ].join('\n');
}
