import type { FastifyInstance } from 'fastify';
import type { Database } from '../../db/database.js';
import { tags } from '../../http/api-docs.js';
import { contextOf } from '../../access/access-policy.js';

interface LoadRow {
  id: number;
  file_name: string;
  file_kind: string;
  mode: string;
  lines: number;
  applied: number;
  unchanged: number;
  rejected: number;
  removed: number;
  removals_suspended: number;
  file_date: string | null;
  replay: boolean;
  finished_at: Date;
}

interface RejectRow { load_run_id: number; line: number; field: string; code: string; message: string }

/** Reject lines shown per load: enough to see what to fix; the CSV report beside the file holds them all. */
const REJECTS_SHOWN = 100;

const count = (description: string): { type: 'integer'; description: string } => ({ type: 'integer', description });

const schema = {
  summary: 'Les fichiers chargés pour mon organisme',
  description: 'Les 200 derniers chargements de fichiers (bénéficiaires, catalogue) de l’organisme de l’agent connecté, leur bilan ligne à ligne et les premières lignes de leur rapport de rejets.',
  tags: [tags.insurer],
  response: {
    200: {
      description: 'Les chargements, du plus récent au plus ancien',
      type: 'array',
      items: {
        type: 'object',
        required: ['id', 'fichier', 'type', 'mode', 'lignes', 'appliquees', 'inchangees', 'rejetees', 'radiations', 'radiations_suspendues', 'date_fichier', 'rejoue', 'fin', 'rejets'],
        properties: {
          id: { type: 'integer' },
          fichier: { type: 'string', description: 'Nom du fichier' },
          type: { type: 'string', description: 'Type de fichier' },
          mode: { type: 'string', description: '`complet` ou `delta`' },
          lignes: count('Lignes lues'),
          appliquees: count('Lignes appliquées'),
          inchangees: count('Lignes sans changement'),
          rejetees: count('Lignes rejetées'),
          radiations: count('Bénéficiaires radiés par ce fichier complet (absents du fichier)'),
          radiations_suspendues: count('Radiations laissées en attente : des lignes rejetées ne laissaient lire aucun identifiant'),
          date_fichier: { type: ['string', 'null'], format: 'date', description: 'Date de la ligne d’identification du fichier (aucune pour un catalogue)' },
          rejoue: { type: 'boolean', description: 'Rejoué à la demande de l’opérateur (fichier déjà chargé, ou antérieur au dernier appliqué)' },
          fin: { type: 'string', format: 'date-time' },
          rejets: {
            type: 'array',
            description: `Les ${REJECTS_SHOWN} premières lignes du rapport de rejets (le rapport CSV écrit avec le chargement les donne toutes) : jamais la valeur rejetée`,
            items: {
              type: 'object',
              required: ['ligne', 'champ', 'code', 'message'],
              properties: {
                ligne: { type: 'integer', description: 'Numéro de ligne dans le fichier (0 : le fichier entier)' },
                champ: { type: 'string' },
                code: { type: 'string', description: 'Code d’erreur stable' },
                message: { type: 'string' },
              },
            },
          },
        },
      },
    },
  },
} as const;

/**
 * An insurer agent's view of the files loaded for their insurer. The insurer comes from
 * the agent's account, never from the request, and row-level security confines the
 * transaction to it.
 */
export function insurerLoadsRoute(app: FastifyInstance, db: Database): void {
  app.get('/api/v1/insurer/loads', { schema }, async (request) => {
    const { insurerId } = contextOf(request, 'staff').staff;
    if (insurerId === null) return [];
    const { loads, rejects } = await db.transaction({ insurerId }, async (tx) => {
      const found = await tx.query<LoadRow>(
        `SELECT id, file_name, file_kind, mode, lines, applied, unchanged, rejected, removed, removals_suspended, file_date, replay, finished_at
           FROM load_run ORDER BY id DESC LIMIT 200`,
      );
      const lines = await tx.query<RejectRow>(
        'SELECT load_run_id, line, field, code, message FROM load_reject WHERE load_run_id = ANY($1::bigint[]) AND ordinal <= $2 ORDER BY load_run_id, ordinal',
        [found.rows.map((row) => row.id), REJECTS_SHOWN],
      );
      return { loads: found.rows, rejects: lines.rows };
    });
    return loads.map((row) => ({
      id: Number(row.id), fichier: row.file_name, type: row.file_kind, mode: row.mode, lignes: row.lines,
      appliquees: row.applied, inchangees: row.unchanged, rejetees: row.rejected, radiations: row.removed,
      radiations_suspendues: row.removals_suspended, date_fichier: row.file_date, rejoue: row.replay, fin: new Date(row.finished_at).toISOString(),
      rejets: rejects.filter((reject) => Number(reject.load_run_id) === Number(row.id)).map((reject) => ({ ligne: reject.line, champ: reject.field, code: reject.code, message: reject.message })),
    }));
  });
}
