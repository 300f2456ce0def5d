import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { publicJwk } from './jwk.js';
import { TokenSigner } from './token-signer.js';

const ISSUER = 'https://rempart.test';
const scratch = (): string => mkdtempSync(join(tmpdir(), 'rempart-token-key-'));
const code = (expected: string): Error => expect.objectContaining({ code: expected }) as Error;

describe('the token-signing key', () => {
  it('is made once under the data home on the embedded store, private to its owner, then reused', async () => {
    const home = scratch();
    const first = await TokenSigner.fromEnv({}, home, ISSUER);
    const path = join(home, 'token-key.jwk');
    expect(statSync(path).mode & 0o777).toBe(0o600);
    const token = await first.sign('lgo', { site: 1 }, 'jkt', Math.floor(Date.now() / 1000));
    const again = await TokenSigner.fromEnv({}, home, ISSUER);
    await expect(again.verify(token, new Date())).resolves.toMatchObject({ sub: 'lgo', site: 1 });
    expect(readFileSync(path, 'utf8')).toContain('"d":');
  });

  it('with DATABASE_URL, comes from REMPART_TOKEN_KEY_FILE only, never from the development file', async () => {
    const home = scratch();
    await TokenSigner.fromEnv({}, home, ISSUER);
    const server = { DATABASE_URL: 'postgres://x@127.0.0.1/y' };
    await expect(TokenSigner.fromEnv(server, home, ISSUER)).rejects.toThrow(
      'Clé absente pour un serveur PostgreSQL (DATABASE_URL) : clé de signature des jetons : définissez REMPART_TOKEN_KEY_FILE ; « rempart keys init --out DOSSIER »',
    );
    const file = join(home, 'operator.jwk');
    writeFileSync(file, await TokenSigner.newKeyJwk(), { mode: 0o600 });
    await expect(TokenSigner.fromEnv({ ...server, REMPART_TOKEN_KEY_FILE: file }, home, ISSUER)).resolves.toBeInstanceOf(TokenSigner);
  });

  it('refuses a named file that is absent, unreadable as JSON, or holds no private key, with a stable code', async () => {
    const home = scratch();
    const fromFile = (path: string): Promise<TokenSigner> => TokenSigner.fromEnv({ REMPART_TOKEN_KEY_FILE: path }, home, ISSUER);
    await expect(fromFile(join(home, 'absent.jwk'))).rejects.toThrow(code('TOKEN_KEY_INVALID'));
    const junk = join(home, 'junk.jwk');
    writeFileSync(junk, 'not json');
    await expect(fromFile(junk)).rejects.toThrow(code('TOKEN_KEY_INVALID'));
    const publicOnly = join(home, 'public.jwk');
    writeFileSync(publicOnly, JSON.stringify(publicJwk(JSON.parse(await TokenSigner.newKeyJwk()) as Record<string, string>)));
    await expect(fromFile(publicOnly)).rejects.toThrow(/public\.jwk \(clé publique ou d’un autre type\)/);
  });
});
