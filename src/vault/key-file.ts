import { randomBytes } from 'node:crypto';
import { linkSync, mkdirSync, unlinkSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

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
