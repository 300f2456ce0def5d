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
    .option('--rejects <chemin>', 'rapport de rejets (un seul fichier chargé) ; par défaut rapports/FICHIER.rejets.csv à côté du fichier')
    .option('--json', 'une ligne JSON par fichier (avec la mémoire maximale du processus), pour les scripts et les mesures')
    .option('--max-removal <pourcent>', 'part maximale des bénéficiaires actifs (ou des activités en cours) qu’un fichier complet peut radier', String(DEFAULT_MAX_REMOVAL_SHARE * 100))
    .option('--apply-removals', 'applique les radiations d’un fichier complet malgré des lignes rejetées sans identifiant lisible (sinon suspendues)')
    .option('--replay', 'rejoue un fichier déjà chargé, ou daté d’avant le dernier appliqué, pour revenir à un état antérieur (noté au registre des chargements)')
    .action(async (files: string[], options: LoadCommandOptions) => {
      const maxRemovalShare = Number(options.maxRemoval) / 100;
      if (!(maxRemovalShare >= 0 && maxRemovalShare <= 1)) throw new RempartError('FIELD_INVALID', '--max-removal : un pourcentage de 0 à 100');
      const permissions = { applyRemovals: options.applyRemovals ?? false, replay: options.replay ?? false };
      await withRuntime(async ({ db, vault }) => {
        for (const file of files) {
          const rejectsPath = files.length === 1 ? options.rejects : undefined;
          const summary = await loadFile(db, vault, file, { maxRemovalShare, ...permissions, ...(rejectsPath ? { rejectsPath } : {}) });
          const maxRssBytes = process.resourceUsage().maxRSS * 1024;
          process.stdout.write(`${options.json ? JSON.stringify({ ...summary, maxRssBytes }) : describeLoad(summary)}\n`);
          if (needsAction(summary)) process.exitCode = 1;
        }
      });
    });
}

interface LoadCommandOptions {
  rejects?: string;
  json?: boolean;
  maxRemoval: string;
  applyRemovals?: boolean;
  replay?: boolean;
}

/** A refused file, or removals left suspended: someone must look, so the command fails. */
export function needsAction(summary: LoadSummary): boolean {
  return summary.status === 'refused' || summary.suspendedRemovals > 0;
}

/** The summary a person reads at the end of a load, in French. */
export function describeLoad(summary: LoadSummary): string {
  const head = `${summary.file} (${summary.kind}) : `;
  const words = removalWords(summary.kind);
  switch (summary.status) {
    case 'refused': {
      const removals = summary.removalsPath ? ` ; ${words.planned} : ${summary.removalsPath}` : '';
      return `${head}REFUSÉ [${summary.code}] ${summary.message} — rien n'a été modifié.${summary.rejectsPath ? ` Rapport : ${summary.rejectsPath}${removals}` : ''}`;
    }
    case 'already_loaded': {
      const pending = summary.suspendedRemovals > 0 ? ` ${summary.suspendedRemovals} ${words.noun} y restent suspendues : relancez avec --apply-removals.` : '';
      return `${head}déjà chargé le ${summary.loadedAt.toISOString()} — rien n'a été modifié.${pending}`;
    }
    case 'applied': {
      const rate = summary.seconds > 0 ? Math.round(summary.lines / summary.seconds) : summary.lines;
      const replay = summary.replay ? ' Rejoué à la demande (--replay), noté au registre des chargements.' : '';
      const removals = summary.removalsPath ? ` ; ${summary.suspendedRemovals > 0 ? `${words.noun} suspendues` : words.noun} : ${summary.removalsPath}` : '';
      return (
        `${head}${summary.lines} lignes en ${summary.seconds.toFixed(1)} s (${rate} lignes/s) : ${summary.applied} appliquées, ` +
        `${summary.unchanged} inchangées, ${summary.rejected} rejetées${removedText(summary, words)}.${suspendedText(summary, words)}${replay}` +
        ` Rapport : ${summary.rejectsPath}${removals}`
      );
    }
  }
}

type AppliedSummary = Extract<LoadSummary, { status: 'applied' }>;

interface RemovalWords {
  /** Plural noun of the removals' report: « radiations », « fins d'activité ». */
  noun: string;
  planned: string;
  /** What a count of applied removals reads as. */
  done: string;
}

function removalWords(kind: string): RemovalWords {
  return kind === 'professionnels'
    ? { noun: "fins d'activité", planned: "fins d'activité prévues", done: 'activités terminées (absentes du fichier complet)' }
    : { noun: 'radiations', planned: 'radiations prévues', done: 'radiés (absents du fichier complet)' };
}

function removedText(summary: AppliedSummary, words: RemovalWords): string {
  return summary.removed > 0 ? `, ${summary.removed} ${words.done}` : '';
}

function suspendedText(summary: AppliedSummary, words: RemovalWords): string {
  if (summary.suspendedRemovals === 0) return '';
  return (
    ` ${words.noun.toUpperCase()} SUSPENDUES [REMOVALS_SUSPENDED] : ${summary.suspendedRemovals} ${words.noun} non appliquées, car ` +
    `${summary.unidentifiedLines} lignes rejetées ne laissent lire aucun identifiant et pourraient nommer ces personnes ; ` +
    'corrigez le fichier et rechargez-le, ou relancez avec --apply-removals.'
  );
}
