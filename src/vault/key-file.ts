import { randomBytes } from 'node:crypto';
import { linkSync, mkdirSync, unlinkSync, writeFileSync } from 'node:fs';
import { dirname, isAbsolute, relative, resolve } from 'node:path';
import { RempartError } from '../domain/errors/codes.js';

/**
 * Writes a secret to `path`, readable by its owner only, unless a file is already there:
 * written aside then hard-linked into place, link failing if the name exists. Two processes
 * creating the same development key together agree on one, and none reads it half-written.
 * Returns false when the file already existed (left untouched).
 */
export function writeKeyFileOnce(path: string, content: string | Buffer): boolean {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const draft = `${path}.${randomBytes(6).toString('hex')}.tmp`;
  writeFileSync(draft, content, { mode: 0o600, flag: 'wx' });
  try {
    linkSync(draft, path);
    return true;
  } catch (error) {
    if (error instanceof Error && 'code' in error && error.code === 'EEXIST') return false;
    throw error;
  } finally {
    unlinkSync(draft);
  }
}

/**
 * A server's log keys must not travel with the data (issue 15, point 7): whoever copies or
 * owns the store — REMPART_HOME, where the embedded store and its development keys live,
 * or PostgreSQL's data folder (PGDATA) — must not find beside it the key that seals or
 * signs the log. Refused with DATABASE_URL only: the embedded default keeps its
 * development keys in REMPART_HOME, by design.
 */
export function refuseKeyBesideData(path: string, env: NodeJS.ProcessEnv, home: string, key: string): void {
  if (!env.DATABASE_URL) return;
  const file = resolve(path);
  for (const folder of [home, env.PGDATA]) {
    if (folder === undefined || folder === '') continue;
    const inside = relative(resolve(folder), file);
    if (!inside.startsWith('..') && !isAbsolute(inside)) {
      throw new RempartError('SERVER_KEY_BESIDE_DATA', `${key} : ${file} est dans ${resolve(folder)} ; rangez-la ailleurs (ou dans un KMS)`);
    }
  }
}
