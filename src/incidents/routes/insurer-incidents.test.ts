import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { professionalRef, sessionHeader } from '../../access/test-support/client.js';
import { seedStaff, type Staff } from '../../access/test-support/staff.js';
import type { AccountRef } from '../../access/people/accounts.js';
import { createStaffMember } from '../../access/staff.js';
import { AuditSigner, leafHash, verifyInclusion } from '../../audit/index.js';
import { sequenceUntil } from '../../audit/test-support/log.js';
import { createTestDatabase, type TestDatabase } from '../../db/test-support/test-database.js';
import { HOUR_MS } from '../../domain/dates.js';
import { populatedPlatform, type CardHolder } from '../../rights/test-support/population.js';
import { rightsCover } from '../../synthetic/read-back.js';
import type { InclusionFile } from '../inclusion-file.js';

const signer = AuditSigner.generate();

interface Detail {
  incident: number;
  minutesRestantes: number;
  instantanes: { instantane: number; personnes: number; acces: number; parCategorie: { categorie: string; libelle: string; personnes: number }[]; lignes: { vu: string[]; acces: number }[] }[];
}

describe('an insurer’s incidents: its own lines of the frozen snapshots, under its row-level scope', () => {
  let t: TestDatabase;
  let app: FastifyInstance;
  let staff: Staff;
  let agents: { first: AccountRef; second: AccountRef };
  let exposed: { first: CardHolder[]; second: CardHolder[] };
  let incident: number;

  const as = async (who: AccountRef, url: string): Promise<LightMyRequestResponse> => app.inject({ method: 'GET', url, headers: await sessionHeader(t.db, who) });
  const agentOf = async (amc: string, subject: string): Promise<AccountRef> => ({ kind: 'staff', id: await createStaffMember(t.db, { subject, name: subject, role: 'insurer_agent', amcNumber: amc }, 'tests') });

  beforeAll(async () => {
    t = await createTestDatabase();
    const platform = await populatedPlatform(t.db);
    app = platform.app;
    staff = await seedStaff(t.db);
    const stolen = platform.population.practitioners.find((p) => p.profession === '10');
    if (!stolen) throw new Error('pas de médecin dans la population');
    const holders = platform.population.holders.filter((h) => rightsCover(h.droits, 'MED'));
    const [amcA, amcB] = [...new Set(holders.map((h) => h.amc))];
    if (amcA === undefined || amcB === undefined) throw new Error('deux organismes attendus');
    exposed = { first: holders.filter((h) => h.amc === amcA).slice(0, 2), second: holders.filter((h) => h.amc === amcB).slice(0, 1) };
    agents = { first: await agentOf(amcA, 'agent-a'), second: await agentOf(amcB, 'agent-b') };
    // What the stolen account read: two members of the first insurer, one of the second.
    const today = new Date().toISOString().slice(0, 10);
    const headers = await sessionHeader(t.db, await professionalRef(t.db, stolen.rpps));
    for (const h of [...exposed.first, ...exposed.second]) {
      const payload = { structure: stolen.structure, amc: h.amc, adherent: h.adherent, nir: h.nir, naissance: h.naissance, rang: h.rang, dateSoins: today, domaine: 'MED' };
      expect((await app.inject({ method: 'POST', url: '/api/v1/rights/check', headers, payload })).statusCode).toBe(200);
    }
    await sequenceUntil(t.db, signer, 3);
    const officer = await sessionHeader(t.db, staff.officer);
    const detection = new Date(Date.now() - 2 * HOUR_MS).toISOString();
    const opened = await app.inject({ method: 'POST', url: '/api/v1/incidents', headers: officer, payload: { titre: 'Compte hameçonné', debut: `${today}T00:00:00Z`, detection, rpps: [stolen.rpps] } });
    incident = opened.json<{ incident: number }>().incident;
    expect((await app.inject({ method: 'POST', url: `/api/v1/incidents/${incident}/snapshots`, headers: officer })).statusCode).toBe(201);
  });
  afterAll(async () => {
    await app.close();
    await t.drop();
  });

  it('lists the incident to each insurer with the 72-hour clock and its own counts only', async () => {
    for (const [agent, mine] of [[agents.first, exposed.first], [agents.second, exposed.second]] as const) {
      const listed = await as(agent, '/api/v1/insurer/incidents');
      expect(listed.statusCode).toBe(200);
      const [only, ...more] = listed.json<{ incident: number; minutesRestantes: number; instantanes: { personnes: number; acces: number }[] }[]>();
      expect(more).toEqual([]);
      expect(only?.incident).toBe(incident);
      expect(only?.minutesRestantes).toBeGreaterThan(69 * 60);
      expect(only?.instantanes.map((s) => [s.personnes, s.acces])).toEqual([[mine.length, mine.length]]);
    }
    // An insurer with no member exposed sees no incident at all.
    expect((await as(staff.agent, '/api/v1/insurer/incidents')).json()).toEqual([]);
  });

  it('shows an insurer its own lines in words, never another insurer’s, and no member number', async () => {
    const detail = await as(agents.first, `/api/v1/insurer/incidents/${incident}`);
    expect(detail.statusCode).toBe(200);
    const [snapshot] = detail.json<Detail>().instantanes;
    expect(snapshot?.lignes).toHaveLength(exposed.first.length);
    expect(snapshot?.parCategorie).toEqual([{ categorie: 'rights_check:MED', libelle: expect.stringContaining('Identification des droits') as string, personnes: exposed.first.length }]);
    const body = detail.body;
    for (const h of [...exposed.first, ...exposed.second]) expect(body).not.toContain(h.adherent);
    const other = (await as(agents.second, `/api/v1/insurer/incidents/${incident}`)).json<Detail>();
    expect(other.instantanes[0]?.lignes).toHaveLength(exposed.second.length);
    // Unknown to an insurer it does not concern, exactly as an incident that does not exist.
    const stranger = await as(staff.agent, `/api/v1/insurer/incidents/${incident}`);
    expect([stranger.statusCode, stranger.json<{ code: string }>().code]).toEqual([404, 'INCIDENT_UNKNOWN']);
    expect((await as(agents.first, '/api/v1/insurer/incidents/987654')).json<{ code: string }>().code).toBe('INCIDENT_UNKNOWN');
  });

  it('gives each insurer the inclusion proofs of its own members, which check against the signed root', async () => {
    const detail = (await as(agents.second, `/api/v1/insurer/incidents/${incident}`)).json<Detail>();
    const snapshot = detail.instantanes[0]?.instantane;
    const download = await as(agents.second, `/api/v1/insurer/incidents/snapshots/${snapshot}/inclusion-proofs`);
    expect([download.statusCode, download.headers['content-disposition']]).toEqual([200, expect.stringContaining('attachment')]);
    const file = download.json<InclusionFile>();
    expect([file.exposed, file.proofs.length]).toEqual([exposed.second.length, exposed.second.length]);
    for (const proof of file.proofs) {
      const leaf = leafHash(Buffer.from(proof.leaf, 'hex'));
      expect(verifyInclusion(proof.leafIndex, file.treeSize, leaf, proof.path.map((h) => Buffer.from(h, 'hex')), Buffer.from(file.rootHash, 'hex'))).toBe(true);
    }
    const stranger = await as(staff.agent, `/api/v1/insurer/incidents/snapshots/${snapshot}/inclusion-proofs`);
    expect([stranger.statusCode, stranger.json<{ code: string }>().code]).toEqual([404, 'INCIDENT_SNAPSHOT_UNKNOWN']);
  });

  it('refuses every other role, the security officer included: its console has its own API', async () => {
    for (const url of ['/api/v1/insurer/incidents', `/api/v1/insurer/incidents/${incident}`, '/api/v1/insurer/incidents/snapshots/1/inclusion-proofs']) {
      for (const who of [staff.officer, staff.admin]) expect((await as(who, url)).statusCode).toBe(403);
      expect((await app.inject({ method: 'GET', url })).statusCode).toBe(401);
    }
  });
});
