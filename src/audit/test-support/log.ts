import type { Database, Scope } from '../../db/database.js';
import { appendAccessRecord, type AccessRecordInput } from '../access-record.js';
import { AuditSigner } from '../checkpoint-signer.js';
import { runSequencer, type SequencerOptions, type SequencerPass } from '../sequencer.js';

export function accessRecord(overrides: Partial<AccessRecordInput> = {}): AccessRecordInput {
  return {
    insurerId: null,
    beneficiaryId: null,
    professionalId: 101,
    siteId: 7,
    clientId: 'logiciel-demo',
    sessionRef: null,
    ip: '192.0.2.10',
    device: null,
    purpose: 'rights_check',
    disclosed: [],
    result: 'not_found',
    ...overrides,
  };
}

/** `count` records in one transaction; their ids. */
export async function appendRecords(db: Database, count: number, scope: Scope = 'platform', overrides: Partial<AccessRecordInput> = {}): Promise<number[]> {
  return db.transaction(scope, async (tx) => {
    const ids: number[] = [];
    for (let i = 0; i < count; i++) {
      const insurerId = scope === 'platform' ? (overrides.insurerId ?? null) : scope.insurerId;
      const appended = await appendAccessRecord(tx, accessRecord({ beneficiaryId: 1000 + i, disclosed: ['DENT', 'OPTI'], result: 'covered', ...overrides, insurerId }));
      ids.push(appended.id);
    }
    return ids;
  });
}

/**
 * Sequencer passes until the tree holds `size` leaves. On a shared server, a transaction
 * open in any other database (another test file) holds xmin back for a moment: retry.
 */
export async function sequenceUntil(db: Database, signer: AuditSigner, size: number, options: SequencerOptions = {}, timeoutMs = 30_000): Promise<SequencerPass[]> {
  const passes: SequencerPass[] = [];
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const pass = await runSequencer(db, signer, { wait: true, ...options });
    if (pass.status === 'appended') passes.push(pass);
    if (pass.treeSize >= size) return passes;
    if (Date.now() > deadline) throw new Error(`arbre bloqué à ${pass.treeSize} feuilles sur ${size} (${pass.pending} en attente)`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/**
 * Every record of the database sequenced and signed, none quarantined, and some of them of
 * this purpose: the disclosure functions that write it seal it as the request's seal says.
 */
export async function expectAllSealed(db: Database, purpose: string): Promise<void> {
  const count = async (sql: string, params: unknown[] = []): Promise<number> => Number((await db.transaction('platform', (tx) => tx.query<{ n: string }>(sql, params))).rows[0]?.n);
  const records = await count('SELECT count(*) AS n FROM access_record');
  if ((await count('SELECT count(*) AS n FROM access_record WHERE purpose = $1', [purpose])) === 0) throw new Error(`aucune trace de motif ${purpose}`);
  await sequenceUntil(db, AuditSigner.generate(), records);
  const quarantined = await count('SELECT count(*) AS n FROM access_quarantine');
  if (quarantined !== 0) throw new Error(`${quarantined} trace(s) mise(s) de côté par le séquenceur`);
}
