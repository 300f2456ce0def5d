import { join } from 'node:path';
import { createDemoClient } from '../access/demo-client.js';
import { createStaffMember } from '../access/staff.js';
import type { Database } from '../db/database.js';
import { plantHoneytokens } from '../registry/honeytokens/plant.js';
import { loadFile } from '../registry/ingest/load-file.js';
import { generateDataset, type ManifestFile } from '../synthetic/dataset.js';
import type { Vault } from '../vault/index.js';
import { describeLoad } from './commands/load.js';
import { seedDemoAccounts } from './demo-payments.js';

const DEMO_HONEYTOKENS = 5;
const loadOrder: Record<ManifestFile['kind'], number> = { catalogue: 0, professionnels: 1, beneficiaires: 2 };

/**
 * First start of the demo: a small synthetic population, generated and then loaded through
 * the same loader as insurers' real files. Later starts find the data and do nothing.
 */
export async function seedDemo(db: Database, vault: Vault, home: string): Promise<void> {
  const existing = await db.transaction('platform', (tx) => tx.query('SELECT 1 FROM insurer LIMIT 1'));
  if (existing.rowCount > 0) return;
  const outDir = join(home, 'demo');
  process.stdout.write(`Premier démarrage : génération de données synthétiques de démonstration dans ${outDir}\n`);
  const manifest = await generateDataset({ seed: 'demo', insurers: 3, beneficiaries: 3000, professionals: 600, format: 'csv', outDir });
  const files = [...manifest.files].sort((a, b) => loadOrder[a.kind] - loadOrder[b.kind]);
  for (const file of files) {
    const summary = await loadFile(db, vault, join(outDir, file.path));
    process.stdout.write(`${describeLoad(summary)}\n`);
    if (summary.status === 'refused') throw new Error(`Données de démonstration refusées : ${summary.message}`);
  }
  // Five honeytoken beneficiaries per insurer, known to the platform only (src/registry/honeytokens).
  for (const file of files.filter((f) => f.kind === 'beneficiaires')) {
    await plantHoneytokens(db, vault, { amcNumber: file.organisme ?? '', count: DEMO_HONEYTOKENS, now: new Date() });
  }
  const operator = await seedDemoStaff(db);
  if (operator !== undefined) process.stdout.write(`Comptes bancaires de démonstration : ${await seedDemoAccounts(db, operator, new Date())} structures\n`);
  await createDemoClient(db, home);
  process.stdout.write('Logiciel de démonstration enregistré : `npx rempart demo-client` une fois la plateforme démarrée.\n');
}

/**
 * Staff accounts for the demo, to present on the simulated card page by their identifier;
 * the operator's administrator's id. The agent works for the insurer whose AMC number comes
 * first, as its file comes first where demo-client finds its patients (src/cli/demo-patient.ts):
 * the agent then sees the invoices demo-client sends.
 */
async function seedDemoStaff(db: Database): Promise<number | undefined> {
  const insurer = await db.transaction('platform', (tx) => tx.query<{ amc_number: string; name: string }>('SELECT amc_number, name FROM insurer ORDER BY amc_number LIMIT 1'));
  const first = insurer.rows[0];
  if (!first) return undefined;
  const staff = [
    { subject: 'demo-agent', name: `Agent de ${first.name}`, role: 'insurer_agent', amcNumber: first.amc_number },
    { subject: 'demo-rssi-1', name: 'Responsable sécurité 1', role: 'security_officer' },
    { subject: 'demo-rssi-2', name: 'Responsable sécurité 2', role: 'security_officer' },
    { subject: 'demo-admin', name: 'Administrateur de la plateforme', role: 'operator_admin' },
  ] as const;
  const ids: number[] = [];
  for (const member of staff) ids.push(await createStaffMember(db, member, 'démonstration'));
  process.stdout.write(`Comptes du personnel de démonstration : ${staff.map((m) => m.subject).join(', ')}\n`);
  return ids.at(-1);
}
