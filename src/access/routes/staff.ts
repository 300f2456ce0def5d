import type { FastifyInstance } from 'fastify';
import { errorResponses, tags } from '../../http/api-docs.js';
import { contextOf } from '../access-policy.js';
import type { StaffRole } from '../people/accounts.js';
import type { Database } from '../../db/database.js';
import { recordEnrolment } from '../enrolments.js';
import { actorOf } from '../request-context.js';
import { createStaffMember, listStaff, staffRoles } from '../staff.js';

const listSchema = {
  summary: 'Les comptes du personnel',
  description: 'Tous les comptes du personnel : agents d’organismes, responsables de la sécurité, administrateurs.',
  tags: [tags.staff],
  response: {
    200: {
      description: 'Les comptes, par ordre de création',
      type: 'array',
      items: {
        type: 'object',
        required: ['id', 'sujet', 'nom', 'role', 'organisme', 'suspendu'],
        properties: {
          id: { type: 'integer' },
          sujet: { type: 'string' },
          nom: { type: 'string' },
          role: { type: 'string', enum: staffRoles },
          organisme: { type: ['string', 'null'], description: 'Numéro AMC de l’organisme d’un agent ; null pour les autres rôles' },
          suspendu: { type: 'boolean' },
        },
      },
    },
  },
} as const;

const createSchema = {
  summary: 'Créer un compte du personnel',
  description:
    'Crée le compte d’un membre du personnel, qui se connectera par le fournisseur d’identité. ' +
    'Demande une preuve forte récente (clé d’accès ou Pro Santé Connect) donnée depuis cet appareil ou ce réseau.',
  tags: [tags.staff],
  body: {
    type: 'object',
    required: ['sujet', 'nom', 'role'],
    additionalProperties: false,
    properties: {
      sujet: { type: 'string', pattern: '^[A-Za-z0-9._:@-]{3,128}$', description: 'Identifiant (sub) de la personne chez le fournisseur d’identité' },
      nom: { type: 'string', minLength: 1, maxLength: 200 },
      role: { type: 'string', enum: staffRoles },
      organisme: { type: 'string', pattern: '^[0-9]{8,10}$', description: 'Numéro AMC de l’organisme : pour un agent seulement, et alors obligatoire' },
    },
  },
  response: {
    201: {
      description: 'Compte créé',
      type: 'object',
      required: ['id', 'sujet', 'role'],
      properties: { id: { type: 'integer' }, sujet: { type: 'string' }, role: { type: 'string', enum: staffRoles } },
    },
    ...errorResponses('STAFF_INVALID', 'STAFF_CONFLICT'),
  },
} as const;

/** The operator's administrators create the staff accounts (insurer agents, officers, admins). */
export function staffRoutes(app: FastifyInstance, options: { db: Database }): void {
  app.get('/api/v1/admin/staff', { schema: listSchema }, async () =>
    (await listStaff(options.db)).map((m) => ({ id: m.id, sujet: m.subject, nom: m.name, role: m.role, organisme: m.amcNumber, suspendu: m.suspended })),
  );

  app.post<{ Body: { sujet: string; nom: string; role: StaffRole; organisme?: string } }>('/api/v1/admin/staff', { schema: createSchema }, async (request, reply) => {
    const { sujet, nom, role, organisme } = request.body;
    const actor = actorOf(contextOf(request, 'staff'));
    const id = await createStaffMember(options.db, { subject: sujet, name: nom, role, amcNumber: organisme }, actor);
    await recordEnrolment(options.db, request, actor, `compte du personnel ${sujet} créé (${role})`);
    return reply.code(201).send({ id, sujet, role });
  });
}
