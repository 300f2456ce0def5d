import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { initServerKeys } from './keys-init.js';
import { loadServerKeys } from './server-keys.js';

const ISSUER = 'http://localhost:8080';
const SERVER = 'postgres://rempart@127.0.0.1:5432/rempart';

/** The keys `rempart keys init` made, as the environment names them. */
async function deployment(): Promise<{ home: string; env: NodeJS.ProcessEnv }> {
  const home = mkdtempSync(join(tmpdir(), 'rempart-server-keys-'));
  // Beside the home, not in it: a server refuses the log's keys inside REMPART_HOME.
  const lines = await initServerKeys(join(mkdtempSync(join(tmpdir(), 'rempart-server-keys-out-')), 'keys'));
  const env = Object.fromEntries(lines.filter((line) => !line.startsWith('#')).map((line) => line.split('=', 2) as [string, string]));
  return { home, env: { ...env, DATABASE_URL: SERVER } };
}

/** What `rempart start` would print: one message per refused key, in order. */
async function refusals(env: NodeJS.ProcessEnv, home: string): Promise<string[]> {
  try {
    await loadServerKeys(env, home, ISSUER);
    return [];
  } catch (error) {
    return (error instanceof AggregateError ? (error.errors as Error[]) : [error as Error]).map((e) => e.message);
  }
}

describe('the keys a server deployment starts with', () => {
  it('all four, from keys init', async () => {
    const { home, env } = await deployment();
    const keys = await loadServerKeys(env, home, ISSUER);
    expect(keys.masterKey.id).toMatch(/^[0-9a-f]{16}$/);
    expect(keys.audit.keyId).toMatch(/^[0-9a-f]{32}$/);
  });

  it.each([
    ['REMPART_MASTER_KEY_FILE', 'clé maîtresse : définissez REMPART_MASTER_KEY_FILE (ou REMPART_MASTER_KEY)'],
    ['REMPART_TOKEN_KEY_FILE', 'clé de signature des jetons : définissez REMPART_TOKEN_KEY_FILE'],
    ['REMPART_AUDIT_KEY_FILE', 'clé de signature du journal d’accès : définissez REMPART_AUDIT_KEY_FILE'],
    ['REMPART_ACCESS_SEAL_KEY_FILE', 'clé de sceau du journal d’accès : définissez REMPART_ACCESS_SEAL_KEY_FILE'],
  ])('without %s: one line naming it and how to make it', async (variable, says) => {
    const { home, env } = await deployment();
    delete env[variable];
    expect(await refusals(env, home)).toEqual([`Clé absente pour un serveur PostgreSQL (DATABASE_URL) : ${says} ; « rempart keys init --out DOSSIER » crée les clés d’un déploiement`]);
  });

  it('every key missing at once: a line each, and no development key made or taken in the home', async () => {
    const home = mkdtempSync(join(tmpdir(), 'rempart-server-keys-'));
    await loadServerKeys({}, home, ISSUER); // the embedded store's development keys, in the same home
    const lines = await refusals({ DATABASE_URL: SERVER }, home);
    expect(lines).toHaveLength(4);
    expect(lines.map((line) => /définissez (\w+)/.exec(line)?.[1])).toEqual(['REMPART_MASTER_KEY_FILE', 'REMPART_TOKEN_KEY_FILE', 'REMPART_AUDIT_KEY_FILE', 'REMPART_ACCESS_SEAL_KEY_FILE']);
  });

  it.each([
    ['REMPART_AUDIT_KEY_FILE', 'audit-key.pem', 'clé de signature du journal d’accès'],
    ['REMPART_ACCESS_SEAL_KEY_FILE', 'access-seal.key', 'clé de sceau du journal d’accès'],
  ])('%s inside the data (REMPART_HOME or PGDATA): refused, the log key never sits beside the data', async (variable, file, key) => {
    const { home, env } = await deployment();
    await loadServerKeys({}, home, ISSUER); // the embedded store's development keys, in the home
    for (const data of [{ home, pgdata: undefined }, { home: mkdtempSync(join(tmpdir(), 'rempart-home-')), pgdata: home }]) {
      const lines = await refusals({ ...env, [variable]: join(home, file), PGDATA: data.pgdata }, data.home);
      expect(lines).toEqual([expect.stringMatching(new RegExp(`^Clé du journal d’accès rangée avec les données .* : ${key} \\(${variable}\\) : .*${file} est dans `))]);
    }
  });

  it('an audit key that is not one stops the start too', async () => {
    const { home, env } = await deployment();
    writeFileSync(env.REMPART_AUDIT_KEY_FILE ?? '', 'pas une clé');
    expect(await refusals(env, home)).toEqual([`Clé de signature du journal d’accès absente ou invalide : ${env.REMPART_AUDIT_KEY_FILE} : PKCS#8 PEM illisible`]);
  });
});
