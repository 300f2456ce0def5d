import type { FastifyInstance } from 'fastify';
import type { Database } from '../../db/database.js';
import { actorOf } from '../../access/request-context.js';
import { errorResponses, tags } from '../../http/api-docs.js';
import { contextOf } from '../../access/access-policy.js';
import { openIncident, openIncidentFromAlert, scopeFromDirectory } from '../incidents.js';

const list = (description: string, pattern?: string): object => ({ type: 'array', maxItems: 1000, items: { type: 'string', minLength: 1, maxLength: 64, ...(pattern ? { pattern } : {}) }, description });

const schema = {
  summary: 'Ouvrir un incident',
  description:
    'Sur une alerte du bouclier (ses comptes, depuis 30 jours avant elle), ou à la main : comptes (RPPS), sites (FINESS ou SIRET), ' +
    'logiciels, réseaux (CIDR), appareils, et une période. La détection fait partir l’horloge de 72 heures.',
  tags: [tags.security],
  body: {
    type: 'object',
    additionalProperties: false,
    oneOf: [{ required: ['alerte'] }, { required: ['titre', 'debut'] }],
    properties: {
      alerte: { type: 'integer', minimum: 1, maximum: Number.MAX_SAFE_INTEGER },
      titre: { type: 'string', minLength: 1, maxLength: 200 },
      debut: { type: 'string', format: 'date-time' },
      fin: { type: 'string', format: 'date-time', description: 'Par défaut maintenant' },
      detection: { type: 'string', format: 'date-time', description: 'Par défaut maintenant' },
      rpps: list('Comptes de professionnels', '^[0-9]{11}$'),
      sites: list('Sites, FINESS ou SIRET', '^[0-9A-Z]{9}$|^[0-9]{14}$'),
      logiciels: list('Logiciels (identifiant client)'),
      reseaux: list('Réseaux, ex. 203.0.113.0/24'),
      appareils: list('Appareils (empreinte de clé DPoP)'),
    },
  },
  response: {
    201: { description: 'L’incident ouvert', type: 'object', required: ['incident'], properties: { incident: { type: 'integer' } } },
    ...errorResponses('INCIDENT_SCOPE_INVALID'),
  },
} as const;

interface Body {
  alerte?: number;
  titre?: string;
  debut?: string;
  fin?: string;
  detection?: string;
  rpps?: string[];
  sites?: string[];
  logiciels?: string[];
  reseaux?: string[];
  appareils?: string[];
}

export function openIncidentRoute(app: FastifyInstance, options: { db: Database; now: () => Date }): void {
  app.post<{ Body: Body }>('/api/v1/incidents', { schema }, async (request, reply) => {
    const body = request.body;
    const now = options.now();
    const by = actorOf(contextOf(request, 'staff'));
    const to = body.fin ? new Date(body.fin) : now;
    const id =
      body.alerte !== undefined
        ? await openIncidentFromAlert(options.db, body.alerte, by, to)
        : await openIncident(options.db, {
            title: body.titre ?? 'Incident',
            detectedAt: body.detection ? new Date(body.detection) : now,
            openedBy: by,
            alertId: null,
            scope: await scopeFromDirectory(options.db, {
              from: new Date(body.debut ?? now),
              to,
              rpps: body.rpps ?? [],
              sites: body.sites ?? [],
              clients: body.logiciels ?? [],
              networks: body.reseaux ?? [],
              devices: body.appareils ?? [],
            }),
          });
    return reply.code(201).send({ incident: id });
  });
}
