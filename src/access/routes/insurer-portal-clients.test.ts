import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../db/test-support/test-database.js';
import { generateAmcNumber } from '../../domain/identifiers/generate.js';
import { seededRng } from '../../domain/random.js';
import type { AccountRef } from '../people/accounts.js';
import { registerPortalClient } from '../portal-clients.js';
import { createStaffMember } from '../staff.js';
import { keyPair, sessionHeader } from '../test-support/client.js';
import { listeningPlatform } from '../test-support/platform.js';
import { seedStaff, type Staff } from '../test-support/staff.js';

describe('an insurer agent reads its own member portals, and nobody else’s', () => {
  let t: TestDatabase;
  let app: FastifyInstance;
  let staff: Staff;
  let otherAgent: AccountRef;
  const list = async (who: AccountRef): Promise<{ statusCode: number; json: () => unknown }> =>
    app.inject({ method: 'GET', url: '/api/v1/insurer/portal-clients', headers: await sessionHeader(t.db, who) });

  beforeAll(async () => {
    t = await createTestDatabase();
    staff = await seedStaff(t.db);
    const otherAmc = generateAmcNumber(seededRng('portal-clients-other'));
    await t.db.transaction('platform', (tx) => tx.query("INSERT INTO insurer (amc_number, name, kind) VALUES ($1, 'Autre mutuelle', 'mutuelle')", [otherAmc]));
    otherAgent = { kind: 'staff', id: await createStaffMember(t.db, { subject: 'agent-autre', name: 'agent-autre', role: 'insurer_agent', amcNumber: otherAmc }, 'tests') };
    const key = await keyPair();
    await registerPortalClient(t.db, { clientId: 'portail-adherents', amcNumber: staff.amcNumber, name: 'Espace adhérents', jwks: { keys: [{ ...key.jwk, kid: 'cle-2026' }] } });
    ({ app } = await listeningPlatform(t.db));
  });
  afterAll(async () => {
    await app.close();
    await t.drop();
  });

  it('lists the portal with its status and key ids to its insurer’s agent only', async () => {
    const own = await list(staff.agent);
    expect(own.statusCode).toBe(200);
    expect(own.json()).toEqual([{ client: 'portail-adherents', nom: 'Espace adhérents', statut: 'active', cles: ['cle-2026'], enregistreLe: expect.any(String) as string }]);
    expect((await list(otherAgent)).json()).toEqual([]);
    for (const who of [staff.officer, staff.admin]) expect((await list(who)).statusCode).toBe(403);
  });
});
