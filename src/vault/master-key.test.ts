import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { VaultError } from './errors.js';
import { LocalMasterKey, masterKeyFromEnv, readMasterKeyFile } from './master-key.js';

const aad = Buffer.from('data_key 1 encryption 1');

describe('LocalMasterKey', () => {
  it('wraps and unwraps a data key, as iv | tag | ciphertext', async () => {
    const master = new LocalMasterKey(randomBytes(32));
    const dataKey = randomBytes(32);
    const wrapped = await master.wrap(dataKey, aad);
    expect(wrapped).toHaveLength(12 + 16 + 32);
    expect(wrapped.includes(dataKey)).toBe(false);
    expect(await master.unwrap(wrapped, aad)).toEqual(dataKey);
  });

  it('refuses another AAD, another master key, or any altered byte', async () => {
    const master = new LocalMasterKey(randomBytes(32));
    const wrapped = await master.wrap(randomBytes(32), aad);
    await expect(master.unwrap(wrapped, Buffer.from('data_key 2 encryption 1'))).rejects.toMatchObject({ code: 'authentication-failed' });
    await expect(new LocalMasterKey(randomBytes(32)).unwrap(wrapped, aad)).rejects.toBeInstanceOf(VaultError);
    for (let i = 0; i < wrapped.length; i += 1) {
      const altered = Buffer.from(wrapped);
      altered[i] = (altered[i] ?? 0) ^ 0x01;
      await expect(master.unwrap(altered, aad)).rejects.toBeInstanceOf(VaultError);
    }
    await expect(master.unwrap(wrapped.subarray(0, 20), aad)).rejects.toBeInstanceOf(VaultError);
  });

  it('is named by 16 hex digits of its hash, the same for the same key', () => {
    const raw = randomBytes(32);
    const id = new LocalMasterKey(raw).id;
    expect(id).toMatch(/^[0-9a-f]{16}$/);
    expect(new LocalMasterKey(raw).id).toBe(id);
    expect(new LocalMasterKey(randomBytes(32)).id).not.toBe(id);
  });

  it('refuses a key that is not 32 bytes', () => {
    expect(() => new LocalMasterKey(randomBytes(16))).toThrow(/16 octets au lieu de 32/);
  });
});

describe('masterKeyFromEnv', () => {
  let dir: string;
  afterEach(() => rmSync(dir, { recursive: true, force: true }));
  const tempDir = (): string => (dir = mkdtempSync(join(tmpdir(), 'rempart-vault-')));

  it('prefers REMPART_MASTER_KEY, then REMPART_MASTER_KEY_FILE', () => {
    const home = tempDir();
    const inline = randomBytes(32);
    const file = join(home, 'other.key');
    const fromFile = randomBytes(32);
    writeFileSync(file, `${fromFile.toString('base64')}\n`);
    const env = { REMPART_MASTER_KEY: inline.toString('base64'), REMPART_MASTER_KEY_FILE: file };
    expect(masterKeyFromEnv(env, home).id).toBe(new LocalMasterKey(Buffer.from(inline)).id);
    expect(masterKeyFromEnv({ REMPART_MASTER_KEY_FILE: file }, home).id).toBe(new LocalMasterKey(fromFile).id);
  });

  it('reads the same text from the variable and from a file, white space around ignored', () => {
    const home = tempDir();
    const text = ` ${randomBytes(32).toString('base64')}\r\n`;
    const file = join(home, 'master.key.b64');
    writeFileSync(file, text);
    expect(masterKeyFromEnv({ REMPART_MASTER_KEY_FILE: file }, home).id).toBe(masterKeyFromEnv({ REMPART_MASTER_KEY: text }, home).id);
  });

  it('creates <dataDir>/master.key once, in base64, readable by its owner only, and reuses it', () => {
    const home = join(tempDir(), 'nested');
    const first = masterKeyFromEnv({}, home);
    const path = join(home, 'master.key');
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(readFileSync(path, 'utf8')).toMatch(/^[A-Za-z0-9+/]{43}=\n$/);
    expect(masterKeyFromEnv({}, home).id).toBe(first.id);
  });

  it('rewrites the raw development key of older versions in base64, the same key', () => {
    const home = tempDir();
    const raw = randomBytes(32);
    const path = join(home, 'master.key');
    writeFileSync(path, raw, { mode: 0o600 });
    expect(masterKeyFromEnv({}, home).id).toBe(new LocalMasterKey(Buffer.from(raw)).id);
    expect(readFileSync(path, 'utf8')).toBe(`${raw.toString('base64')}\n`);
    expect(statSync(path).mode & 0o777).toBe(0o600);
  });

  it('refuses a named raw key file, saying how to convert it', () => {
    const home = tempDir();
    const path = join(home, 'old.key');
    writeFileSync(path, randomBytes(32));
    expect(() => masterKeyFromEnv({ REMPART_MASTER_KEY_FILE: path }, home)).toThrow(`en 32 octets bruts (anciennes versions) : convertissez-le, « base64 -w0 ${path} > ${path}.b64 »`);
  });

  it('never makes up a key for a shared PostgreSQL server, nor takes the development one', () => {
    const home = tempDir();
    const server = { DATABASE_URL: 'postgres://x@127.0.0.1/y' };
    expect(() => masterKeyFromEnv(server, home)).toThrow(/^Clé absente pour un serveur PostgreSQL \(DATABASE_URL\) : clé maîtresse : définissez REMPART_MASTER_KEY_FILE/);
    expect(existsSync(join(home, 'master.key'))).toBe(false);
    masterKeyFromEnv({}, home);
    expect(() => masterKeyFromEnv(server, home)).toThrow(expect.objectContaining({ code: 'SERVER_KEY_MISSING' }) as Error);
  });

  it('explains in French what is wrong, without echoing the key', () => {
    const home = tempDir();
    const bad = 'c2hvcnQ=';
    expect(() => masterKeyFromEnv({ REMPART_MASTER_KEY: bad }, home)).toThrow(/REMPART_MASTER_KEY invalide : attendu 32 octets/);
    expect(() => masterKeyFromEnv({ REMPART_MASTER_KEY: `${randomBytes(32).toString('base64')}!` }, home)).toThrow(VaultError);
    const short = join(home, 'short.key');
    writeFileSync(short, randomBytes(31).toString('base64'));
    expect(() => readMasterKeyFile(short)).toThrow(`Fichier de clé maîtresse ${short} invalide : attendu 32 octets encodés en base64 (44 caractères)`);
    expect(() => readMasterKeyFile(join(home, 'absent.key'))).toThrow(/illisible.*ENOENT/);
  });
});
