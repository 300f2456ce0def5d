import type { FastifyInstance } from 'fastify';
import { staffContextOf } from '../../http/plugins/access-policy.js';
import type { StaffRole } from '../people/accounts.js';
import type { Access } from '../access.js';
import { actorOf } from '../request-context.js';
import { createStaffMember, listStaff, staffRoles } from '../staff.js';

const createSchema = {
  body: {
    type: 'object',
    required: ['sujet', 'nom', 'role'],
    additionalProperties: false,
    properties: {
      sujet: { type: 'string', pattern: '^[A-Za-z0-9._:@-]{3,128}$' },
      nom: { type: 'string', minLength: 1, maxLength: 200 },
      role: { type: 'string', enum: staffRoles },
      organisme: { type: 'string', pattern: '^[0-9]{8,10}$' },
    },
  },
} as const;

/** The operator's administrators create the staff accounts (insurer agents, officers, admins). */
export function staffRoutes(app: FastifyInstance, access: Access): void {
  app.get('/api/v1/admin/staff', async () =>
    (await listStaff(access.db)).map((m) => ({ id: m.id, sujet: m.subject, nom: m.name, role: m.role, organisme: m.amcNumber, suspendu: m.suspended })),
  );

  app.post<{ Body: { sujet: string; nom: string; role: StaffRole; organisme?: string } }>('/api/v1/admin/staff', { schema: createSchema }, async (request, reply) => {
    const { sujet, nom, role, organisme } = request.body;
    const id = await createStaffMember(access.db, { subject: sujet, name: nom, role, amcNumber: organisme }, actorOf(staffContextOf(request)));
    return reply.code(201).send({ id, sujet, role });
  });
}
