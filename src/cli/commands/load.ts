import type { Command } from 'commander';
import { RempartError } from '../../domain/errors/codes.js';
import { DEFAULT_MAX_REMOVAL_SHARE, loadFile, type LoadSummary } from '../../registry/ingest/load-file.js';
import { withRuntime } from '../runtime.js';

/** `rempart load FICHIER…`: catalogues, beneficiaries and directory files (docs/formats.md). */
export function registerLoad(program: Command): void {
  program
    .command('load')
    .description('charge des fichiers d’échange (catalogue, bénéficiaires, annuaire), chacun en entier ou pas du tout')
    .argument('<fichiers...>', 'fichiers à charger, dans l’ordre donné')
    .option('--rejects <chemin>', 'rapport de rejets (un seul fichier chargé) ; par défaut FICHIER.rejets.csv')
    .option('--json', 'une ligne JSON par fichier (avec la mémoire maximale du processus), pour les scripts et les mesures')
    .option('--max-removal <pourcent>', 'part maximale des bénéficiaires actifs qu’un fichier complet peut radier', String(DEFAULT_MAX_REMOVAL_SHARE * 100))
    .action(async (files: string[], options: { rejects?: string; json?: boolean; maxRemoval: string }) => {
      const maxRemovalShare = Number(options.maxRemoval) / 100;
      if (!(maxRemovalShare >= 0 && maxRemovalShare <= 1)) throw new RempartError('FIELD_INVALID', '--max-removal : un pourcentage de 0 à 100');
      await withRuntime(async ({ db, vault }) => {
        for (const file of files) {
          const rejectsPath = files.length === 1 ? options.rejects : undefined;
          const summary = await loadFile(db, vault, file, { maxRemovalShare, ...(rejectsPath ? { rejectsPath } : {}) });
          const maxRssBytes = process.resourceUsage().maxRSS * 1024;
          process.stdout.write(`${options.json ? JSON.stringify({ ...summary, maxRssBytes }) : describeLoad(summary)}\n`);
          if (summary.status === 'refused') process.exitCode = 1;
        }
      });
    });
}

/** The summary a person reads at the end of a load, in French. */
export function describeLoad(summary: LoadSummary): string {
  const head = `${summary.file} (${summary.kind}) : `;
  switch (summary.status) {
    case 'refused':
      return `${head}REFUSÉ [${summary.code}] ${summary.message} — rien n'a été modifié.${summary.rejectsPath ? ` Rapport : ${summary.rejectsPath}` : ''}`;
    case 'already_loaded':
      return `${head}déjà chargé le ${summary.loadedAt.toISOString()} — rien n'a été modifié.`;
    case 'applied': {
      const rate = summary.seconds > 0 ? Math.round(summary.lines / summary.seconds) : summary.lines;
      const removed = summary.removed > 0 ? `, ${summary.removed} radiés (absents du fichier complet)` : '';
      return (
        `${head}${summary.lines} lignes en ${summary.seconds.toFixed(1)} s (${rate} lignes/s) : ${summary.applied} appliquées, ` +
        `${summary.unchanged} inchangées, ${summary.rejected} rejetées${removed}. Rapport : ${summary.rejectsPath}`
      );
    }
  }
}
