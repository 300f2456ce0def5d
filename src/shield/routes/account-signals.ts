import type { FastifyInstance } from 'fastify';
import type { Database } from '../../db/database.js';
import { errorResponses, tags } from '../../http/api-docs.js';
import type { Shield } from '../engine.js';
import { accountByRpps } from '../console.js';
import { localTime } from '../local-time.js';
import { guardedSignals, shownSignals, type GuardedSignal } from '../rules.js';
import { rppsParams } from './account-params.js';

const count = { type: 'integer' } as const;
/** A threshold; null when the signal has none for this profile (off hours of a hospital). */
const threshold = { type: ['number', 'null'] } as const;
const perSignal = (value: object): object => ({ type: 'object', required: [...guardedSignals], properties: Object.fromEntries(guardedSignals.map((s) => [s, value])) });

const schema = {
  summary: 'Signaux d’un compte',
  description:
    'Ce que le bouclier mesure d’un compte à l’instant (patients distincts dans la minute, l’heure, les 24 heures ; échecs dans l’heure ; ' +
    'patients vérifiés sans calcul, hors heures ouvrées, organismes, réseaux et appareils distincts sur 24 heures), les seuils de confirmation d’identité qui s’y appliquent ' +
    'pour chaque profil d’exercice du compte, appris de ses quatre dernières semaines, et son niveau (normal, ralenti, confirmation demandée).',
  tags: [tags.security],
  params: rppsParams,
  response: {
    200: {
      description: 'Les signaux et les seuils',
      type: 'object',
      required: ['rpps', 'signaux', 'niveau', 'profils'],
      properties: {
        rpps: { type: 'string' },
        signaux: {
          type: 'object',
          required: [...guardedSignals, ...shownSignals],
          properties: Object.fromEntries([...guardedSignals, ...shownSignals].map((s) => [s, count])),
        },
        niveau: { type: 'string', enum: ['normal', 'slow', 'step_up'] },
        profils: {
          type: 'array',
          items: {
            type: 'object',
            required: ['profil', 'seuils', 'referentiel'],
            properties: {
              profil: { type: 'string', description: 'pharmacy, physician, hospital…' },
              seuils: perSignal(threshold),
              referentiel: {
                type: 'object',
                description: 'Ce qui est habituel pour ce compte (ou, faute d’historique, pour son profil)',
                required: ['joursActifs', 'journeeType', 'journeeHaute', 'echecsParJour', 'sansCalculParJour', 'horsHeuresParJour'],
                properties: {
                  joursActifs: count,
                  journeeType: { type: 'number' },
                  journeeHaute: { type: 'array', items: { type: 'number' }, description: 'Par jour de la semaine, dimanche d’abord' },
                  echecsParJour: { type: 'number' },
                  sansCalculParJour: { type: 'number' },
                  horsHeuresParJour: { type: 'number' },
                },
              },
            },
          },
        },
      },
    },
    ...errorResponses('ACCOUNT_UNKNOWN'),
  },
} as const;

export function accountSignalsRoute(app: FastifyInstance, options: { db: Database; now: () => Date }, shield: Shield): void {
  app.get<{ Params: { rpps: string } }>('/api/v1/security/accounts/:rpps/signals', { schema }, async (request) => {
    const nowMs = options.now().getTime();
    const time = localTime(nowMs);
    const account = await accountByRpps(options.db, request.params.rpps, time.day);
    const signals = await shield.currentSignals(account.id, nowMs);
    const state = await shield.stateOf(account.id);
    const profils = await Promise.all(
      account.profiles.map(async (profile) => {
        const { context: { baseline }, thresholds } = await shield.thresholdsOf(account.id, profile, nowMs);
        return {
          profil: profile,
          seuils: Object.fromEntries(guardedSignals.map((s: GuardedSignal) => [s, Number.isFinite(thresholds[s]) ? Math.round(thresholds[s] * 10) / 10 : null])),
          referentiel: {
            joursActifs: baseline.activeDays,
            journeeType: baseline.typicalDay,
            journeeHaute: baseline.highDay,
            echecsParJour: baseline.missesPerDay,
            sansCalculParJour: baseline.unfollowedPerDay,
            horsHeuresParJour: baseline.offHoursPerDay,
          },
        };
      }),
    );
    return { rpps: account.rpps, signaux: signals, niveau: state.level, profils };
  });
}
