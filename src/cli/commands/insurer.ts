import { createWriteStream } from 'node:fs';
import type { Command } from 'commander';
import { today } from '../../clock.js';
import { readPeriod } from '../../domain/invoices/period.js';
import { exportInsurerInvoices } from '../../invoices/insurer/export-csv.js';
import { withStore } from '../runtime.js';

interface ExportOptions {
  amc: string;
  du?: string;
  au?: string;
  out?: string;
}

/** `rempart insurer`: what an insurer's agents read on the API, for the operator's batch runs. */
export function registerInsurer(program: Command): void {
  const insurer = program.command('insurer').description('les factures d’un organisme complémentaire');
  insurer
    .command('invoices-export')
    .description('exporte en CSV les factures décidées pour un organisme sur une période (mêmes colonnes que GET /api/v1/insurer/invoices/export.csv, sans le bénéficiaire)')
    .requiredOption('--amc <numéro>', 'numéro AMC de l’organisme')
    .option('--du <AAAA-MM-JJ>', 'premier jour de décision (UTC) ; par défaut --au, ou aujourd’hui')
    .option('--au <AAAA-MM-JJ>', 'dernier jour de décision, inclus ; 366 jours au plus')
    .option('--out <fichier>', 'fichier à écrire ; par défaut la sortie standard')
    .action(async (options: ExportOptions) => {
      const period = readPeriod(options.du, options.au, today());
      await withStore((db) => exportInsurerInvoices(db, options.amc, period, options.out ? createWriteStream(options.out) : process.stdout));
    });
}
