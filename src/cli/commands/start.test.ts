import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../db/open.js';
import { catalogueJson, writeFixture } from '../../registry/test-support/fixtures.js';
import { freePort, homeEnv, rempart, startServer, type RunningServer } from '../test-support/rempart.js';

async function insurersIn(folder: string): Promise<string[]> {
  const db = await openDatabase({ dataDir: folder });
  try {
    const rows = await db.transaction('platform', (tx) => tx.query<{ amc_number: string }>('SELECT amc_number FROM insurer ORDER BY amc_number'));
    return rows.rows.map((row) => row.amc_number);
  } finally {
    await db.close();
  }
}

/** The embedded store only: a PostgreSQL server is made for several connections. */
describe.skipIf(process.env.DATABASE_URL)('one writer for the embedded store, as a person meets it', () => {
  const servers: RunningServer[] = [];
  afterEach(async () => {
    for (const server of servers.splice(0)) await server.kill(); // those a failed assertion left running
  });

  it('refuses a load while the server runs, changes nothing; the next start takes the dead server’s lock over, on intact data', async () => {
    const home = mkdtempSync(join(tmpdir(), 'rempart-writer-'));
    const env = homeEnv(home);
    const before = writeFixture(home, 'catalogue-a.json', catalogueJson('912345678'));
    const during = writeFixture(home, 'catalogue-b.json', catalogueJson('812345678'));
    const port = ['--port', String(await freePort())];
    expect((await rempart(env, ['load', before])).code).toBe(0);

    const server = await startServer(env, port);
    servers.push(server);
    const refused = await rempart(env, ['load', during]);
    expect(refused.code).toBe(2);
    expect(refused.out).toBe('');
    expect(refused.err).toMatch(
      new RegExp(`^rempart : Stockage embarqué déjà ouvert par un autre processus : .*pglite est ouvert par le processus ${server.pid} \\(rempart start --port \\d+, depuis [-0-9]{10} [0-9:]{5} UTC\\) ; arrêtez-le .*\\(DATABASE_URL\\)\\n$`),
    );
    // Killed without closing anything (the harder stop), the server leaves its lock behind,
    // naming a process that no longer runs: the next start takes it over.
    await server.kill();
    expect(existsSync(join(home, 'pglite.lock'))).toBe(true);
    const again = await startServer(env, port);
    servers.push(again);
    expect((await again.stop()).code).toBe(0);
    expect(existsSync(join(home, 'pglite.lock'))).toBe(false);
    expect(await insurersIn(join(home, 'pglite'))).toEqual(['912345678']);
  }, 180_000);
});

describe('a server deployment without its keys', () => {
  it('stops before anything else, one line per missing key saying how to make it, exit code 2', async () => {
    const home = mkdtempSync(join(tmpdir(), 'rempart-keyless-'));
    // Nobody listens there: had the start gone as far as the database, it would say so instead.
    const env = { ...homeEnv(home), DATABASE_URL: 'postgres://rempart@127.0.0.1:1/rempart' };
    const run = await rempart(env, ['start', '--port', String(await freePort())]);
    expect(run.code).toBe(2);
    expect(run.out).toBe('');
    const lines = run.err.split('\n');
    expect(lines.pop()).toBe('');
    expect(lines).toHaveLength(4);
    for (const [i, variable] of ['REMPART_MASTER_KEY_FILE', 'REMPART_TOKEN_KEY_FILE', 'REMPART_AUDIT_KEY_FILE', 'REMPART_ACCESS_SEAL_KEY_FILE'].entries()) {
      expect(lines[i]).toMatch(new RegExp(`^rempart : Clé absente pour un serveur PostgreSQL \\(DATABASE_URL\\) : .* définissez ${variable}\\b.* « rempart keys init --out DOSSIER » crée les clés d’un déploiement$`));
    }
    expect(readdirSync(home)).toEqual([]);
  }, 60_000);
});
