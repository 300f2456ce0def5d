import { join } from 'node:path';
import { createDemoClient } from '../access/demo-client.js';
import type { Database } from '../db/database.js';
import { loadFile } from '../registry/ingest/load-file.js';
import { generateDataset, type ManifestFile } from '../synthetic/dataset.js';
import type { Vault } from '../vault/index.js';
import { describeLoad } from './commands/load.js';

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
  await createDemoClient(db, home);
  process.stdout.write('Logiciel de démonstration enregistré : `npx rempart demo-client` une fois la plateforme démarrée.\n');
}
