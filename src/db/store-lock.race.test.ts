import { spawnSync } from 'node:child_process';
import type * as Fs from 'node:fs';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { lockStore } from './store-lock.js';

/**
 * The race a takeover must survive, made certain instead of left to chance: this process
 * read the lock while its holder was dead, and by the time it acts another process has
 * already taken it over. The first read of the lock is answered with the stale text.
 */
const stale = vi.hoisted(() => ({ path: '', text: undefined as string | undefined }));

vi.mock('node:fs', async (importOriginal) => {
  const fs = await importOriginal<typeof Fs>();
  const readFileSync = ((path: string, ...rest: unknown[]) => {
    if (path === stale.path && stale.text !== undefined) {
      const text = stale.text;
      stale.text = undefined;
      return text;
    }
    return (fs.readFileSync as (...args: unknown[]) => unknown)(path, ...rest);
  }) as typeof fs.readFileSync;
  return { ...fs, readFileSync, default: { ...fs, readFileSync } };
});

const lockText = (pid: number, nonce: string): string => `${JSON.stringify({ pid, command: 'rempart start', since: new Date().toISOString(), nonce })}\n`;

describe('a takeover that comes too late', () => {
  it('leaves the new holder’s lock alone and refuses', () => {
    const folder = join(mkdtempSync(join(tmpdir(), 'rempart-lock-')), 'pglite');
    const deadPid = Number(spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' }).stdout);
    const fresh = lockText(process.ppid, 'fresh');
    writeFileSync(`${folder}.lock`, fresh);
    stale.path = `${folder}.lock`;
    stale.text = lockText(deadPid, 'stale');

    expect(() => lockStore(folder)).toThrow(new RegExp(`ouvert par le processus ${process.ppid} \\(rempart start`));
    expect(readFileSync(`${folder}.lock`, 'utf8')).toBe(fresh);
  });
});
