import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../db/test-support/test-database.js';
import { SERVER_KEY_FILES } from '../keys-init.js';
import { freePort, homeEnv, rempart, startServer } from '../test-support/rempart.js';

/** The variables `keys init` printed, as an operator copies them into the service's environment. */
function variables(out: string): Record<string, string> {
  return Object.fromEntries(out.split('\n').filter((line) => /^[A-Z_]+=/.test(line)).map((line) => line.split('=', 2) as [string, string]));
}

describe('rempart keys init', () => {
  const home = mkdtempSync(join(tmpdir(), 'rempart-keys-init-'));
  // Beside the home, not in it: a server refuses the log's keys inside REMPART_HOME.
  const dir = join(mkdtempSync(join(tmpdir(), 'rempart-keys-')), 'clés');
  let printed: Record<string, string> = {};
  let server: TestDatabase | undefined;
  afterAll(async () => server?.drop());

  it('makes the four keys private to their owner, says what to set, and overwrites nothing', async () => {
    const made = await rempart(homeEnv(home), ['keys', 'init', '--out', dir]);
    expect(made.code).toBe(0);
    printed = variables(made.out);
    expect(printed).toEqual({
      REMPART_MASTER_KEY_FILE: join(dir, SERVER_KEY_FILES.master),
      REMPART_TOKEN_KEY_FILE: join(dir, SERVER_KEY_FILES.token),
      REMPART_AUDIT_KEY_FILE: join(dir, SERVER_KEY_FILES.audit),
      REMPART_ACCESS_SEAL_KEY_FILE: join(dir, SERVER_KEY_FILES.seal),
    });
    expect(made.out).toContain(`pour les auditeurs et les témoins : ${join(dir, SERVER_KEY_FILES.auditPublic)}`);
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    for (const file of Object.values(printed)) expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readFileSync(printed.REMPART_MASTER_KEY_FILE ?? '', 'utf8')).toMatch(/^[A-Za-z0-9+/]{43}=\n$/);
    expect(readFileSync(join(dir, SERVER_KEY_FILES.auditPublic), 'utf8')).toMatch(/^-----BEGIN PUBLIC KEY-----/);

    const before = Object.values(printed).map((file) => readFileSync(file, 'utf8'));
    const again = await rempart(homeEnv(home), ['keys', 'init', '--out', dir]);
    expect(again.code).toBe(2);
    expect(again.err).toMatch(/^rempart : Fichier de clé déjà présent : rien n’a été écrit : .*rempart-master\.key, .*rempart-token\.jwk, /);
    expect(Object.values(printed).map((file) => readFileSync(file, 'utf8'))).toEqual(before);
  }, 60_000);

  it.runIf(process.env.DATABASE_URL)('gives what the platform starts with on the PostgreSQL server', async () => {
    server = await createTestDatabase();
    const env = { ...homeEnv(home), ...printed, DATABASE_URL: server.url };
    const port = await freePort();
    const running = await startServer(env, ['--port', String(port)]);
    const answer = await fetch(`http://127.0.0.1:${port}/api/openapi.json`).catch((error: unknown) => error);
    const stopped = await running.stop();
    expect(answer).toMatchObject({ status: 200 });
    expect(stopped.code).toBe(0);
    expect(stopped.err).not.toMatch(/rempart :|Error/);
  }, 120_000);
});
