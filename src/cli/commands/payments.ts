import type { Command } from 'commander';
import { parseCalendarDate, todayUtc } from '../../domain/dates.js';
import { RempartError } from '../../domain/errors/codes.js';
import { versionOf } from '../../payments/runs/config.js';
import { payDay, paymentsDir } from '../../payments/runs/pay-day.js';
import { refuseFutureRun } from '../../payments/runs/run.js';
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
      const parsed = parseCalendarDate(options.date ?? todayUtc(now));
      if (!parsed.ok) throw new RempartError('DATE_INVALID', `--date : ${parsed.error.reason}`);
      // Refused before the store is opened: a bad day leaves a fresh home as it was.
      refuseFutureRun(parsed.value, now);
      const version = versionOf(options.version);
      const report = await withStore((db) => payDay(db, parsed.value, now, { dir: options.out ?? paymentsDir(dataHome()), version, env: process.env }));
      process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    });
}
