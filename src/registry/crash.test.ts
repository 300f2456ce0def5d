import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createTestDatabase, withHomeStore, type TestDatabase } from '../db/test-support/test-database.js';
import { seededRng } from '../domain/random.js';
import { beneficiaryIdentity, LocalMasterKey, Vault } from '../vault/index.js';
import { catalogueJson, fullFile, people, scratchDir, writeFixture } from './test-support/fixtures.js';

const masterKey = randomBytes(32);
const work = scratchDir();
const files = {
  catalogue: writeFixture(work, 'catalogue.json', catalogueJson()),
  members: writeFixture(work, 'members.csv', fullFile(people(30_000, 31))),
};

/** One place the CLI keeps its state: a PGlite folder, or a database of its own on the server. */
interface Home {
  dir: string;
  server: TestDatabase | undefined;
}

async function newHome(name: string): Promise<Home> {
  const dir = join(work, name);
  mkdirSync(dir);
  return { dir, server: process.env.DATABASE_URL ? await createTestDatabase() : undefined };
}

/** Runs `rempart ARGS` as a separate process; `killAfterMs` sends it SIGKILL mid-flight. */
function rempart(home: Home, args: string[], killAfterMs?: number): Promise<{ code: number | null; ms: number }> {
  const env: NodeJS.ProcessEnv = { ...process.env, REMPART_HOME: home.dir, REMPART_MASTER_KEY: masterKey.toString('base64') };
  if (home.server?.url) env.DATABASE_URL = home.server.url;
  else delete env.DATABASE_URL;
  const started = Date.now();
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/run.ts', ...args], { env, stdio: 'ignore' });
  const timer = killAfterMs === undefined ? undefined : setTimeout(() => child.kill('SIGKILL'), killAfterMs);
  return new Promise((resolve) => {
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, ms: Date.now() - started });
    });
  });
}

/** The registry as a person would describe it: decrypted, independent of keys and row ids. */
async function logicalState(home: Home): Promise<{ beneficiaries: string[]; runs: number }> {
  const vault = new Vault(new LocalMasterKey(masterKey));
  return withHomeStore(home.dir, home.server, ({ db }) =>
    db.transaction({ insurerId: 1 }, async (tx) => {
      const keys = await vault.keysFor(tx, 1);
      const rows = await tx.query<{ identity: Buffer; blind_index: Buffer; member_number: string; rights: unknown; rank: number; removed_on: string | null }>(
        `SELECT b.identity, b.blind_index, c.member_number, b.rights, b.rank, b.removed_on
           FROM beneficiary b JOIN contract c ON c.insurer_id = b.insurer_id AND c.id = b.contract_id`,
      );
      const beneficiaries = rows.rows
        .map((row) => {
          const identity = keys.decrypt(Buffer.from(row.identity), beneficiaryIdentity(Buffer.from(row.blind_index))).toString();
          return JSON.stringify([identity, row.member_number, row.rights, row.rank, row.removed_on]);
        })
        .sort();
      const runs = await tx.query('SELECT 1 FROM load_run');
      return { beneficiaries, runs: runs.rowCount };
    }),
  );
}

describe('kill -9 during a load, then the same command again', () => {
  const homes: Home[] = [];
  afterAll(async () => {
    for (const home of homes) await home.server?.drop();
  });

  it('ends in exactly the state of one clean run, and each kill leaves all or nothing', async () => {
    const clean = await newHome('clean');
    const crashed = await newHome('crashed');
    homes.push(clean, crashed);
    for (const home of [clean, crashed]) expect((await rempart(home, ['load', files.catalogue])).code).toBe(0);
    const reference = await rempart(clean, ['load', files.members]);
    expect(reference.code).toBe(0);
    const expected = await logicalState(clean);
    expect(expected.beneficiaries).toHaveLength(30_000);

    // Start-up alone (process, migrations check, file hash, ledger) is what a second run of
    // the same file costs: the kills land from the end of start-up to the end of the load
    // (timings are noisy on a shared machine, hence the margins).
    const startup = await rempart(clean, ['load', files.members]);
    expect(startup.code).toBe(0);
    const rng = seededRng('kill-points');
    for (let attempt = 0; attempt < 4; attempt += 1) {
      const killAt = rng.int(Math.round(startup.ms * 0.8), Math.max(reference.ms, startup.ms) + 500);
      await rempart(crashed, ['load', files.members], killAt);
      const state = await logicalState(crashed);
      expect([0, 30_000]).toContain(state.beneficiaries.length);
    }
    expect((await rempart(crashed, ['load', files.members])).code).toBe(0);
    expect(await logicalState(crashed)).toEqual(expected);
  }, 300_000);
});
