import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testVault } from '../access/test-support/access.js';
import { listeningPlatform } from '../access/test-support/platform.js';
import { createTestDatabase, type TestDatabase } from '../db/test-support/test-database.js';
import { seedDemo } from './demo.js';
import { runDemoJourney } from './demo-journey.js';
import { runOpticianJourney } from './demo-optician.js';

describe('the demo: seeded on first start, then its practice software at the counter over real HTTP', () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase();
  });
  afterAll(() => t.drop());

  it('checks a generated patient’s rights and gets the AMC part with its own DPoP-bound token, invoices and cancels it, then an optician’s quote is agreed, consulted and cancelled, in REST then in FHIR', async () => {
    const home = mkdtempSync(join(tmpdir(), 'rempart-demo-'));
    const vault = testVault();
    await seedDemo(t.db, vault, home);
    const { app, origin } = await listeningPlatform(t.db, '127.0.0.1', vault);
    try {
      const lines = await runDemoJourney(home, origin);
      expect(lines[0]).toContain('Jeton DPoP obtenu par lgo-demo');
      expect(lines[1]).toMatch(/^GET \/api\/v1\/session → 200 /);
      expect(lines[2]).toMatch(/^POST \/api\/v1\/rights\/check → 200 \{"couvert":true,"domaines":\[\{"domaine":"PHAR"/);
      // DOMAIN.md, example 3: 10 € at 65 %, the 1 € franchise stays with the patient.
      expect(lines[3]).toMatch(/^POST \/api\/v1\/coverage\/calculate → 200 .*"amc":350,"patient":100/);
      // Its invoice, paid as calculated, cancelled, sent again (paid, not held) in a lot acknowledged first
      // then decided by the platform's worker, and all three read back in the returns in the order written.
      expect(lines[4]).toMatch(/^POST \/api\/v1\/invoices\/lots → 200 facture F1 \(F[0-9]{8,10}-[A-Z2-7]{16}\) payee, 3,50 € payés$/);
      expect(lines[5]).toMatch(/^POST \/api\/v1\/invoices\/F[0-9A-Z-]+\/cancel → 200 /);
      expect(lines[6]).toMatch(/^POST \/api\/v1\/invoices\/lots \(Prefer: respond-async\) → 202 lot DEMO-[0-9A-Z]+-F2 accepte, 1 facture\(s\)$/);
      expect(lines[7]).toMatch(/^GET \/api\/v1\/invoices\/lots\/DEMO-[0-9A-Z]+-F2 → 200 traite, facture F2 \(F[0-9]{8,10}-[A-Z2-7]{16}\) payee, 3,50 € payés$/);
      expect(lines.slice(8, 12)).toEqual([
        expect.stringMatching(/^GET \/api\/v1\/invoices\/returns\?amc=[0-9]+&depuis=.* → 200, 3 retours$/),
        expect.stringMatching(/^ {2}decision : facture F1 \(F[0-9A-Z-]+\) payee, 3,50 € payés$/),
        expect.stringMatching(/^ {2}annulation : facture F1 \(F[0-9A-Z-]+\) annulee, 3,50 € payés — FAC_CANCELLED /),
        expect.stringMatching(/^ {2}decision : facture F2 \(F[0-9A-Z-]+\) payee, 3,50 € payés$/),
      ]);
      // The demo's insurer agent works for the insurer these invoices went to: its pages show them.
      const agent = await t.db.transaction('platform', (tx) =>
        tx.query<{ amc_number: string }>("SELECT i.amc_number FROM staff_member s JOIN insurer i ON i.id = s.insurer_id WHERE s.subject = 'demo-agent'"));
      expect(agent.rows[0]?.amc_number).toBe(/amc=([0-9]+)/.exec(lines[8] ?? '')?.[1]);
      expect(lines[12]).toMatch(/^POST \/fhir\/r4\/CoverageEligibilityRequest → 200 \{"resourceType":"CoverageEligibilityResponse".*"inforce":true/);
      const optician = await runOpticianJourney(home, origin);
      expect(optician[0]).toContain('jeton DPoP obtenu par lgo-demo-optique');
      expect(optician[1]).toMatch(/^POST \/api\/v1\/rights\/check → 200 \{"couvert":true,"domaines":\[\{"domaine":"OPTI"/);
      expect(optician[2]).toBe('POST /api/v1/prior-agreements → 201');
      expect(optician[3]).toMatch(/^Accord préalable (P[0-9]{8,10}-[A-Z2-7]{16}) : (accorde|partiel), .* valable jusqu’au \d{4}-\d{2}-\d{2}, tolérance de facturation 0,00 €\.$/);
      expect(optician.slice(4, 7).map((l) => l.trim().split(' ')[0])).toEqual(['MON', 'VER', 'VER']);
      expect(optician[7]).toMatch(/^GET \/api\/v1\/prior-agreements\/P[0-9A-Z-]+ → 200 statut (accorde|partiel)$/);
      expect(optician[8]).toMatch(/^POST \/api\/v1\/prior-agreements\/P[0-9A-Z-]+\/cancel → 200 \{"numero":"P[0-9A-Z-]+","statut":"annule"\}$/);
      expect(optician[9]).toMatch(/ → 200 statut annule$/);
      // The same quote in FHIR: a preauthorization Claim agreed, then cancelled by a Task.
      expect(optician[10]).toMatch(/^POST \/fhir\/r4\/Claim → 200 ClaimResponse complete, accord P[0-9]{8,10}-[A-Z2-7]{16} jusqu’au \d{4}-\d{2}-\d{2}$/);
      expect(optician[11]).toMatch(/^POST \/fhir\/r4\/Task \(annulation\) → 200 Task completed$/);
      // Called by another name than its own, the platform would refuse every assertion as forged: said plainly instead.
      await expect(runDemoJourney(home, origin.replace('127.0.0.1', 'localhost'))).rejects.toThrow(`se nomme ${origin} (REMPART_PUBLIC_URL) : appelez-la par ce nom, --url ${origin}`);
    } finally {
      await app.close();
    }
  }, 60_000);
});
