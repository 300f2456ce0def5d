import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { devPeople } from '../../access/people/dev-people.js';
import { TEST_ORIGIN, testAccess, testVault } from '../../access/test-support/access.js';
import type { Database } from '../../db/database.js';
import type { CalendarDate } from '../../domain/dates.js';
import { buildServer, type ServerOptions } from '../../app/server.js';
import { loadFile } from '../../registry/ingest/load-file.js';
import { generateDataset } from '../../synthetic/dataset.js';
import { readGeneratedRows } from '../../synthetic/read-back.js';
import type { Vault } from '../../vault/index.js';

/** A beneficiary as the insurer's file gave it: what a card and a Vitale card would show. */
export interface CardHolder {
  amc: string;
  adherent: string;
  nir: string;
  naissance: string;
  rang: number;
  droits: string;
}

/** A professional practising today, as the directory gave it. */
export interface Practitioner {
  rpps: string;
  profession: string;
  structure: string;
  role: string;
}

export interface Population {
  holders: CardHolder[];
  practitioners: Practitioner[];
}

type Row = Record<string, string>;

function readRows(path: string): Row[] {
  return readGeneratedRows(readFileSync(path, 'utf8'));
}

/**
 * A small synthetic population, generated and loaded through the real loader, with the
 * files read back so a test knows what the cards say. Extracted today unless a test
 * whose clock stands elsewhere gives its own day (`asOf`).
 */
export async function loadPopulation(db: Database, vault: Vault, seed = 'rights-tests', asOf?: CalendarDate): Promise<Population> {
  const dir = await mkdtemp(join(tmpdir(), 'rempart-population-'));
  try {
    const manifest = await generateDataset({ seed, insurers: 2, beneficiaries: 120, professionals: 80, format: 'csv', outDir: dir, ...(asOf ? { date: asOf } : {}) });
    const order = { catalogue: 0, professionnels: 1, beneficiaires: 2 } as const;
    for (const file of [...manifest.files].sort((a, b) => order[a.kind] - order[b.kind])) {
      const summary = await loadFile(db, vault, join(dir, file.path));
      if (summary.status === 'refused') throw new Error(`population de test refusée : ${summary.message}`);
    }
    const holders = manifest.files
      .filter((file) => file.kind === 'beneficiaires')
      .flatMap((file) =>
        readRows(join(dir, file.path)).map((row) => ({
          amc: file.organisme ?? '', adherent: row.adherent ?? '', nir: row.nir ?? '', naissance: row.date_naissance ?? '', rang: Number(row.rang), droits: row.droits ?? '',
        })),
      );
    const practitioners = readRows(join(dir, 'professionnels.csv'))
      .filter((row) => row.fin === '')
      .map((row) => ({ rpps: row.rpps ?? '', profession: row.profession ?? '', structure: row.finess || row.siret || '', role: row.role ?? '' }));
    return { holders, practitioners };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** The server's options a test may choose: its lot worker, and its vault (a test that rotates the master key holds the key). */
export type PlatformOptions = Partial<Pick<ServerOptions, 'lotWorker' | 'vault'>>;

/** The platform, with people's logins, over a freshly loaded population: what the disclosure tests start from. */
export async function populatedPlatform(db: Database, server: PlatformOptions = {}): Promise<{ app: FastifyInstance; population: Population; vault: Vault }> {
  const vault = server.vault ?? testVault();
  const population = await loadPopulation(db, vault);
  const app = await buildServer({ lotWorker: server.lotWorker, vault, services: await testAccess(db), people: await devPeople(db, TEST_ORIGIN) });
  return { app, population, vault };
}
