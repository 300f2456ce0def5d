import { createHash, randomBytes } from 'node:crypto';
import { linkSync, mkdirSync, readFileSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { basename, dirname } from 'node:path';
import { RempartError } from '../domain/errors/codes.js';

/**
 * One writer for an embedded store (README, "One writer for the embedded store"). PGlite
 * has no shared memory between processes: a second process opening the same folder writes
 * pages the first never sees, and the folder ends corrupted. So each process that opens
 * the folder first holds `<folder>.lock`, which names it; a second one is refused.
 *
 * The lock file is written aside then hard-linked into place: link, like O_EXCL, fails if
 * the name exists, and the file appears whole, so a reader never sees it half-written.
 * A lock whose holder no longer runs is taken over under a claim named after that very
 * lock's content, itself held by this same protocol: two processes cannot both claim one
 * stale lock, and the winner replaces it only if it is still the one it judged stale.
 */
export interface StoreLock {
  release(): void;
}

interface Holder {
  pid: number;
  /** Linux: boot id and start time of the process, so that a reused PID is not the holder. */
  start?: string;
  command: string;
  since: string;
  nonce: string;
}

const ATTEMPTS = 40;
/** Claims of claims: deeper only if takers keep dying in the microseconds they need. */
const MAX_DEPTH = 3;

/** Holds `<folder>.lock` for this process, or refuses with who holds it and what to do. */
export function lockStore(folder: string): StoreLock {
  const path = `${folder}.lock`;
  mkdirSync(dirname(path), { recursive: true });
  const mine = `${JSON.stringify(describeSelf())}\n`;
  const outcome = acquire(path, mine, 0);
  if (outcome !== true) throw storeLocked(folder, outcome);
  const release = (): void => {
    held.delete(release);
    if (readText(path) === mine) unlinkQuietly(path);
    if (held.size === 0) watchSignals(false);
  };
  held.add(release);
  watchSignals(true);
  return { release };
}

/** `true` once held; otherwise what the holder still running wrote (undefined: unreadable). */
function acquire(path: string, mine: string, depth: number): true | Holder | undefined {
  for (let attempt = 0; attempt < ATTEMPTS; attempt += 1) {
    if (createWhole(path, mine)) return true;
    const text = readText(path);
    if (text === undefined) continue; // released in between
    const holder = parseHolder(text);
    if (holder === undefined || runs(holder)) return holder;
    if (depth < MAX_DEPTH && takeOver(path, text, mine, depth)) return true;
    pause(5 + attempt * 5);
  }
  throw new RempartError('STORE_LOCKED', `${path} : plusieurs processus se le disputent, réessayez`);
}

function takeOver(path: string, stale: string, mine: string, depth: number): boolean {
  const claim = `${path}.reprise-${createHash('sha256').update(stale).digest('hex').slice(0, 16)}`;
  // Another process, alive, is taking this lock over: look again once it is done.
  if (acquire(claim, mine, depth + 1) !== true) return false;
  try {
    if (readText(path) !== stale) return false;
    const draft = writeDraft(path, mine);
    renameSync(draft, path);
    return true;
  } finally {
    unlinkQuietly(claim);
  }
}

function createWhole(path: string, text: string): boolean {
  const draft = writeDraft(path, text);
  try {
    linkSync(draft, path);
    return true;
  } catch (error) {
    if (codeOf(error) === 'EEXIST') return false;
    throw error;
  } finally {
    unlinkQuietly(draft);
  }
}

function writeDraft(path: string, text: string): string {
  const draft = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  writeFileSync(draft, text, { mode: 0o600, flag: 'wx' });
  return draft;
}

/** Whether the process that wrote this lock still runs (this one included: one opening per process). */
function runs(holder: Holder): boolean {
  try {
    process.kill(holder.pid, 0);
  } catch (error) {
    // EPERM: it runs, as another user.
    if (codeOf(error) === 'ESRCH') return false;
  }
  if (holder.start === undefined) return true;
  const now = startOf(holder.pid);
  return now === undefined || now === holder.start;
}

function describeSelf(): Holder {
  const script = basename(process.argv[1] ?? 'node');
  const name = /^(rempart(\.js)?|run\.[jt]s)$/.test(script) ? 'rempart' : script;
  const command = [name, ...process.argv.slice(2)].join(' ');
  return {
    pid: process.pid,
    start: startOf(process.pid),
    command: command.length > 120 ? `${command.slice(0, 117)}...` : command,
    since: new Date().toISOString(),
    nonce: randomBytes(8).toString('hex'),
  };
}

let bootId: string | undefined | null = null;

/** Linux only (elsewhere undefined): field 22 of /proc/PID/stat, clock ticks since boot. */
function startOf(pid: number): string | undefined {
  if (bootId === null) bootId = readText('/proc/sys/kernel/random/boot_id')?.trim();
  const stat = readText(`/proc/${pid}/stat`);
  if (bootId === undefined || stat === undefined) return undefined;
  const ticks = stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  return ticks === undefined ? undefined : `${bootId}/${ticks}`;
}

function parseHolder(text: string): Holder | undefined {
  try {
    const holder = JSON.parse(text) as Partial<Holder>;
    return Number.isSafeInteger(holder.pid) && typeof holder.command === 'string' ? (holder as Holder) : undefined;
  } catch {
    return undefined;
  }
}

function storeLocked(folder: string, holder: Holder | undefined): RempartError {
  const advice = 'arrêtez-le (Ctrl+C dans son terminal) puis relancez, ou travaillez sur un serveur PostgreSQL (DATABASE_URL)';
  if (holder === undefined) {
    return new RempartError('STORE_LOCKED', `${folder}.lock est illisible ; si aucune commande rempart ne tourne sur ${folder}, supprimez ce fichier`);
  }
  const since = `${holder.since.slice(0, 16).replace('T', ' ')} UTC`;
  return new RempartError('STORE_LOCKED', `${folder} est ouvert par le processus ${holder.pid} (${holder.command}, depuis ${since}) ; ${advice}`);
}

function readText(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    if (codeOf(error) === 'ENOENT') return undefined;
    throw error;
  }
}

function unlinkQuietly(path: string): void {
  try {
    unlinkSync(path);
  } catch (error) {
    if (codeOf(error) !== 'ENOENT') throw error;
  }
}

function pause(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

function codeOf(error: unknown): string | undefined {
  return error instanceof Error && 'code' in error ? String(error.code) : undefined;
}

/** Releases of the locks this process holds, run at exit and on a fatal signal. */
const held = new Set<() => void>();
const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

function releaseAll(): void {
  for (const release of [...held]) release();
}

/**
 * A signal nobody else handles kills the process without its 'exit' event: release, then
 * let the signal do what it would have. When someone else listens (`rempart start`), that
 * one shuts down in order and closes the store, which releases the lock.
 */
function onSignal(signal: NodeJS.Signals): void {
  if (process.listenerCount(signal) > 1) return;
  releaseAll();
  process.kill(process.pid, signal);
}

function watchSignals(on: boolean): void {
  if (on === process.listeners('exit').includes(releaseAll)) return;
  if (on) {
    process.on('exit', releaseAll);
    for (const signal of SIGNALS) process.on(signal, onSignal);
  } else {
    process.off('exit', releaseAll);
    for (const signal of SIGNALS) process.off(signal, onSignal);
  }
}
