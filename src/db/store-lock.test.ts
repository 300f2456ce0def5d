import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { lockStore } from './store-lock.js';

/** A contender in its own process (test-support/lock-contender.ts): what it printed and how it ended. */
function contender(folder: string, goAt: number, holdMs: number, end: 'release' | 'exit' | 'signal'): Promise<{ out: string; signal: NodeJS.Signals | null }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/db/test-support/lock-contender.ts', folder, String(goAt), String(holdMs), end], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  return new Promise((resolve) => child.on('close', (_code, signal) => resolve({ out: out.trim(), signal })));
}

/** The PID of a process that has ended: what a lock left by a killed command names. */
function deadPid(): number {
  return Number(spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' }).stdout);
}

function staleLock(folder: string, pid: number, start?: string): void {
  writeFileSync(`${folder}.lock`, `${JSON.stringify({ pid, start, command: 'rempart load f.csv', since: new Date().toISOString(), nonce: 'old' })}\n`);
}

const store = (): string => join(mkdtempSync(join(tmpdir(), 'rempart-lock-')), 'pglite');
const holderOf = (folder: string): { pid: number; command: string } => JSON.parse(readFileSync(`${folder}.lock`, 'utf8')) as { pid: number; command: string };

describe('one process at a time on an embedded store', () => {
  it('refuses a second process at once, naming the holder and what to do', async () => {
    const folder = store();
    const lock = lockStore(folder);
    try {
      const second = await contender(folder, 0, 0, 'release');
      expect(second.out).toMatch(new RegExp(`^refused Stockage embarqué déjà ouvert par un autre processus : ${folder} est ouvert par le processus ${process.pid} \\(`));
      expect(second.out).toContain('arrêtez-le');
      expect(second.out).toContain('DATABASE_URL');
      expect(second.out.split('\n')).toHaveLength(1);
    } finally {
      lock.release();
    }
    expect(existsSync(`${folder}.lock`)).toBe(false);
  }, 30_000);

  it('refuses a second opening in the same process too', () => {
    const folder = store();
    const lock = lockStore(folder);
    expect(() => lockStore(folder)).toThrow(expect.objectContaining({ code: 'STORE_LOCKED' }) as Error);
    lock.release();
    lockStore(folder).release();
  });

  it('takes over a lock left by a process that no longer runs', () => {
    const folder = store();
    staleLock(folder, deadPid());
    const lock = lockStore(folder);
    expect(holderOf(folder).pid).toBe(process.pid);
    lock.release();
    expect(readdirSync(join(folder, '..'))).toEqual([]);
  });

  it.runIf(existsSync('/proc/self/stat'))('takes over a lock whose PID now belongs to another process', () => {
    const folder = store();
    staleLock(folder, process.ppid, 'another-boot/42');
    const lock = lockStore(folder);
    expect(holderOf(folder).pid).toBe(process.pid);
    lock.release();
  });

  it('of processes racing for one stale lock, exactly one holds it', async () => {
    const folder = store();
    staleLock(folder, deadPid());
    const goAt = Date.now() + 4000;
    const results = await Promise.all(Array.from({ length: 5 }, () => contender(folder, goAt, 1500, 'release')));
    expect(results.filter((r) => r.out === 'held')).toHaveLength(1);
    expect(results.filter((r) => r.out.startsWith('refused '))).toHaveLength(4);
    expect(readdirSync(join(folder, '..'))).toEqual([]);
  }, 60_000);

  it('is released when the process exits or is stopped by a signal', async () => {
    const folder = store();
    expect((await contender(folder, 0, 0, 'exit')).out).toBe('held');
    expect(existsSync(`${folder}.lock`)).toBe(false);
    const stopped = await contender(folder, 0, 0, 'signal');
    expect(stopped).toEqual({ out: 'held', signal: 'SIGTERM' });
    expect(existsSync(`${folder}.lock`)).toBe(false);
  }, 30_000);

  it('refuses an unreadable lock rather than guess, and says which file to remove', () => {
    const folder = store();
    writeFileSync(`${folder}.lock`, 'garbage');
    expect(() => lockStore(folder)).toThrow(/pglite\.lock est illisible ; si aucune commande rempart ne tourne .* supprimez ce fichier/);
  });
});
