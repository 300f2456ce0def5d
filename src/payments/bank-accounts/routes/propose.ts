import type { FastifyInstance } from 'fastify';
import { contextOf } from '../../../access/access-policy.js';
import { errorResponses, tags } from '../../../http/api-docs.js';
import { proposeChange, type ChangeOptions } from '../changes.js';
import { structureBody } from './schemas.js';

const schema = {
  summary: 'Proposer un nouveau compte bancaire',
  description:
    'Propose le compte où la structure sera payée. Il prend effet quand un autre administrateur de la structure, ou l’opérateur, l’a confirmé, ' +
    'et après un délai compté depuis cette confirmation (sans délai pour un premier compte). Chaque administrateur en est averti sur sa page /moi ' +
    'et peut l’annuler d’ici là. Proposé depuis un appareil ou un réseau que vous n’aviez pas utilisé, seul l’opérateur le confirme. ' +
    'Demande une preuve forte récente (clé d’accès ou Pro Santé Connect) donnée depuis cet appareil ou ce réseau.',
  tags: [tags.site],
  body: {
    ...structureBody,
    required: ['structure', 'iban', 'bic', 'titulaire'],
    properties: {
      ...structureBody.properties,
      iban: { type: 'string', maxLength: 64 },
      bic: { type: 'string', maxLength: 32 },
      titulaire: { type: 'string', maxLength: 200, description: 'Nom du titulaire du compte, 70 caractères au plus' },
    },
  },
  response: {
    201: {
      description: 'Changement proposé, en attente de confirmation',
      type: 'object',
      required: ['version', 'confirmationParOperateur'],
      properties: { version: { type: 'integer' }, confirmationParOperateur: { type: 'boolean' } },
    },
    ...errorResponses(
      'SITE_UNKNOWN', 'IDENTIFIER_EMPTY', 'IDENTIFIER_LENGTH', 'IDENTIFIER_CHARACTERS', 'IDENTIFIER_KEY', 'IBAN_COUNTRY',
      'BIC_INVALID', 'BIC_COUNTRY_MISMATCH', 'BANK_HOLDER_INVALID', 'BANK_CHANGE_PENDING',
    ),
  },
} as const;

interface Body {
  structure: string;
  iban: string;
  bic: string;
  titulaire: string;
}

export function bankAccountProposeRoute(app: FastifyInstance, options: ChangeOptions): void {
  app.post<{ Body: Body }>('/api/v1/site/bank-account', { schema }, async (request, reply) => {
    const context = contextOf(request, 'professional');
    const who = { ...context.professional, sessionRef: context.session.ref };
    const made = await proposeChange(options, request, who, { structure: request.body.structure, adminSites: context.adminSites }, request.body);
    return reply.code(201).send({ version: made.version, confirmationParOperateur: made.operatorOnly });
  });
}
