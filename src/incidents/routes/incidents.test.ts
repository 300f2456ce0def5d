import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { professionalRef, sessionHeader } from '../../access/test-support/client.js';
import { seedStaff, type Staff } from '../../access/test-support/staff.js';
import { AuditSigner, leafHash, noteVerification, TrustedKeys, verifyAccessLog, verifyInclusion, type LogStatus } from '../../audit/index.js';
import { sequenceUntil } from '../../audit/test-support/log.js';
import { createTestDatabase, type TestDatabase } from '../../db/test-support/test-database.js';
import { HOUR_MS } from '../../domain/dates.js';
import { populatedPlatform, type CardHolder, type Practitioner } from '../../rights/test-support/population.js';
import type { Vault } from '../../vault/index.js';
import { MEMBER_FILE_NAME, writeMemberFiles } from '../member-files.js';
import type { InclusionFile } from '../inclusion-file.js';
import { INCLUSION_FILE_NAME, writeIncidentPackage } from '../notification.js';
import { rightsCover } from '../../synthetic/read-back.js';

const signer = AuditSigner.generate();
const TODAY = new Date().toISOString().slice(0, 10);

describe('an incident from the console: the exposed set, the 72-hour clock, member files on four eyes', () => {
  let t: TestDatabase;
  let app: FastifyInstance;
  let staff: Staff;
  let stolen: Practitioner;
  let patients: CardHolder[];
  let out: string;
  let vault: Vault;

  /** The insurer of the first patient read: it is in the exposed set. */
  const stolenAmc = (): string => patients[0]?.amc ?? '';
  const as = async (who: Staff['officer'], method: 'GET' | 'POST', url: string, payload?: object): Promise<LightMyRequestResponse> =>
    app.inject({ method, url, headers: await sessionHeader(t.db, who), ...(payload ? { payload } : {}) });

  beforeAll(async () => {
    t = await createTestDatabase();
    const platform = await populatedPlatform(t.db);
    app = platform.app;
    vault = platform.vault;
    staff = await seedStaff(t.db);
    stolen = platform.population.practitioners.find((p) => p.profession === '10') as Practitioner;
    patients = platform.population.holders.filter((h) => rightsCover(h.droits, 'MED')).slice(0, 3);
    // What the stolen account read: three patients' rights.
    const headers = await sessionHeader(t.db, await professionalRef(t.db, stolen.rpps));
    for (const h of patients) {
      const payload = { structure: stolen.structure, amc: h.amc, adherent: h.adherent, nir: h.nir, naissance: h.naissance, rang: h.rang, dateSoins: TODAY, domaine: 'MED' };
      expect((await app.inject({ method: 'POST', url: '/api/v1/rights/check', headers, payload })).statusCode).toBe(200);
    }
    await sequenceUntil(t.db, signer, patients.length);
    out = mkdtempSync(join(tmpdir(), 'rempart-incident-'));
  });
  afterAll(async () => {
    rmSync(out, { recursive: true, force: true });
    await app.close();
    await t.drop();
  });

  it('opens, freezes, counts down from detection, and gives member numbers only once two officers approved', async () => {
    const detection = new Date(Date.now() - 2 * HOUR_MS).toISOString();
    const opened = await as(staff.officer, 'POST', '/api/v1/incidents', { titre: 'Compte hameçonné', debut: `${TODAY}T00:00:00Z`, detection, rpps: [stolen.rpps] });
    expect(opened.statusCode).toBe(201);
    const incident = opened.json<{ incident: number }>().incident;

    const frozen = await as(staff.officer, 'POST', `/api/v1/incidents/${incident}/snapshots`);
    expect(frozen.statusCode).toBe(201);
    expect(frozen.json()).toMatchObject({ personnes: patients.length, acces: patients.length, tailleArbre: patients.length });
    const snapshot = frozen.json<{ instantane: number }>().instantane;

    const view = (await as(staff.officer, 'GET', `/api/v1/incidents/${incident}`)).json<{ minutesRestantes: number; echeanceDepassee: boolean; instantanes: { personnes: number }[] }>();
    expect(view.minutesRestantes).toBeGreaterThan(69 * 60);
    expect(view.minutesRestantes).toBeLessThanOrEqual(70 * 60);
    expect(view.echeanceDepassee).toBe(false);
    expect(view.instantanes.map((s) => s.personnes)).toEqual([patients.length]);
    const listed = (await as(staff.officer, 'GET', '/api/v1/incidents')).json<{ incident: number; personnes: number | null; minutesRestantes: number }[]>();
    expect(listed[0]).toMatchObject({ incident, personnes: patients.length, minutesRestantes: view.minutesRestantes });

    const requested = await as(staff.officer, 'POST', `/api/v1/incidents/snapshots/${snapshot}/member-exports`, { motif: 'Notification des adhérents' });
    expect(requested.json()).toMatchObject({ approbations: 1, approuvee: false });
    const exportId = requested.json<{ demande: number }>().demande;
    await expect(writeMemberFiles(t.db, vault, exportId, out, (c) => c.join())).rejects.toMatchObject({ code: 'MEMBER_EXPORT_NOT_APPROVED' });
    const twice = await as(staff.officer, 'POST', `/api/v1/incidents/member-exports/${exportId}/approvals`);
    expect([twice.statusCode, twice.json<{ code: string }>().code]).toEqual([409, 'MEMBER_EXPORT_SAME_OFFICER']);
    const document = (file: string): Promise<LightMyRequestResponse> => as(staff.officer, 'GET', `/api/v1/incidents/member-exports/${exportId}/documents/${stolenAmc()}/${file}`);
    expect((await document('notification-cnil-projet.pdf')).json<{ code: string }>().code).toBe('MEMBER_EXPORT_NOT_APPROVED');
    const second = await as(staff.secondOfficer, 'POST', `/api/v1/incidents/member-exports/${exportId}/approvals`);
    expect(second.json()).toMatchObject({ approbations: 2, approuvee: true });
    // Approved: each insurer's documents come to the console, no member in them; an insurer not exposed, or another file, is not found.
    const pdf = await document('notification-cnil-projet.pdf');
    expect([pdf.statusCode, pdf.headers['content-type'], pdf.headers['cache-control'], pdf.rawPayload.subarray(0, 5).toString()]).toEqual([200, 'application/pdf', 'no-store', '%PDF-']);
    const letter = (await document('lettre-aux-adherents-modele.md')).body;
    for (const h of patients) expect(letter).not.toContain(h.adherent);
    expect((await as(staff.officer, 'GET', `/api/v1/incidents/member-exports/${exportId}/documents/0000000000/notice-du-sous-traitant.md`)).statusCode).toBe(404);
    expect((await document('adherents-a-notifier.csv')).statusCode).toBe(400);
    expect((await as(staff.agent, 'GET', `/api/v1/incidents/member-exports/${exportId}/documents/${stolenAmc()}/notice-du-sous-traitant.md`)).statusCode).toBe(403);
    // The console's view: the scope by RPPS, what each insurer's people were exposed to, the request and its two approvers.
    type Full = { perimetre: { rpps: string[] }; instantanes: { organismes: { personnes: number; categories: { categorie: string; personnes: number }[] }[] }[]; demandes: { motif: string; approbations: unknown[]; approuvee: boolean }[] };
    const full = (await as(staff.officer, 'GET', `/api/v1/incidents/${incident}`)).json<Full>();
    expect(full.perimetre.rpps).toEqual([stolen.rpps]);
    const lines = full.instantanes[0]?.organismes ?? [];
    expect(lines.reduce((n, o) => n + o.personnes, 0)).toBe(patients.length);
    expect(lines.flatMap((o) => o.categories).every((c) => c.categorie === 'rights_check:MED')).toBe(true);
    expect(full.demandes).toMatchObject([{ motif: 'Notification des adhérents', approuvee: true }]);
    expect(full.demandes[0]?.approbations).toHaveLength(2);

    const { files } = await writeMemberFiles(t.db, vault, exportId, out, (c) => c.join());
    const csv = files.map((f) => readFileSync(f.path, 'utf8')).join('\n');
    expect(files.every((f) => f.path.endsWith(MEMBER_FILE_NAME))).toBe(true);
    for (const h of patients) expect(csv).toContain(`${h.adherent},${h.naissance},${String(h.rang).padStart(2, '0')},`);
    expect(files.reduce((n, f) => n + f.members, 0)).toBe(patients.length);

    const packages = await writeIncidentPackage(t.db, vault, exportId, out, {
      nature: 'Un compte de pharmacien a été utilisé par un tiers.',
      measures: ['Compte suspendu.'],
      operator: { name: 'Opérateur de test', contact: 'securite@operateur.example' },
      dpoContact: (insurer) => `dpo@${insurer.amcNumber}.example`,
      letters: true,
    });
    for (const p of packages) {
      const dir = join(out, p.amcNumber);
      const draft = readFileSync(join(dir, 'notification-cnil-projet.md'), 'utf8');
      expect(draft).toContain(`dpo@${p.amcNumber}.example`);
      expect(draft).toContain('Compte suspendu.');
      expect(readFileSync(join(dir, 'notification-cnil-projet.pdf')).subarray(0, 5).toString()).toBe('%PDF-');
      expect(readdirSync(join(dir, 'lettres'))).toHaveLength(p.members);
      // Every proof checks out against the snapshot's signed root, from the leaf bytes up.
      const proofs = JSON.parse(readFileSync(join(dir, INCLUSION_FILE_NAME), 'utf8')) as InclusionFile;
      expect(proofs.proofs).toHaveLength(p.members);
      for (const proof of proofs.proofs) {
        const leaf = leafHash(Buffer.from(proof.leaf, 'hex'));
        expect(leaf.toString('hex')).toBe(proof.leafHash);
        expect(verifyInclusion(proof.leafIndex, proofs.treeSize, leaf, proof.path.map((h) => Buffer.from(h, 'hex')), Buffer.from(proofs.rootHash, 'hex'))).toBe(true);
      }
    }
  });

  it('writes both approvals in the access log, the refused second one too, and the log still verifies', async () => {
    const logged = await t.db.transaction('platform', (tx) =>
      tx.query<{ staff_id: number; disclosed: string[]; result: string }>("SELECT staff_id::int AS staff_id, disclosed, result FROM access_record WHERE purpose = 'member_export' ORDER BY id"),
    );
    expect(logged.rows).toEqual([
      { staff_id: staff.officer.id, disclosed: ['member_number', 'rank'], result: 'approved' },
      { staff_id: staff.officer.id, disclosed: [], result: 'refused' },
      { staff_id: staff.secondOfficer.id, disclosed: ['member_number', 'rank'], result: 'approved' },
    ]);
    await sequenceUntil(t.db, signer, patients.length + 3);
    const report = await verifyAccessLog(t.db, new TrustedKeys([signer.publicKey]));
    expect(report).toMatchObject({ ok: true, leaves: patients.length + 3 });
    // The console shows the last verification noted, and the witnesses it read.
    const status = async (): Promise<LogStatus> => (await as(staff.officer, 'GET', '/api/v1/security/audit-log')).json<LogStatus>();
    expect((await status()).derniereVerification).toBeNull();
    await noteVerification(t.db, report, [{ dir: '/témoins/0000001', heads: 1, treeSize: patients.length }]);
    expect(await status()).toMatchObject({
      derniereVerification: { integre: true, feuilles: patients.length + 3, probleme: null, temoins: [{ temoin: '/témoins/0000001', tetes: 1, tailleArbre: patients.length }] },
      dernierPointDeControle: { tailleArbre: patients.length + 3 },
    });
    const failed = { ok: false as const, problem: { code: 'AUDIT_TAIL_TRUNCATED' as const, detail: 'queue coupée', leafIndex: undefined, recordId: undefined, treeSize: 2 }, leavesChecked: 2, checkpointsChecked: 1 };
    await noteVerification(t.db, failed, []);
    expect((await status()).derniereVerification).toMatchObject({ integre: false, feuilles: 2, probleme: { code: 'AUDIT_TAIL_TRUNCATED' }, temoins: [] });
  });

  it('is the security team’s alone', async () => {
    expect((await as(staff.agent, 'GET', '/api/v1/incidents/1')).statusCode).toBe(403);
    expect((await as(staff.agent, 'GET', '/api/v1/incidents')).statusCode).toBe(403);
    expect((await as(staff.agent, 'GET', '/api/v1/security/audit-log')).statusCode).toBe(403);
    expect((await as(staff.officer, 'GET', '/api/v1/incidents/999')).json<{ code: string }>().code).toBe('INCIDENT_UNKNOWN');
    expect((await as(staff.officer, 'POST', '/api/v1/incidents', { titre: 'x', debut: 'hier' })).statusCode).toBe(400);
  });
});
