import { spawn, type ChildProcessByStdio } from 'node:child_process';
import { createServer } from 'node:net';
import type { Readable } from 'node:stream';

export interface Run {
  code: number | null;
  out: string;
  err: string;
}

/** `rempart ARGS` in its own process, from the sources, as an operator runs it. */
export function rempart(env: NodeJS.ProcessEnv, args: readonly string[]): Promise<Run> {
  const child = spawnRempart(env, args);
  return new Promise((resolve) => child.process.on('close', (code) => resolve({ code, out: child.out(), err: child.err() })));
}

export interface RunningServer {
  pid: number;
  /** SIGINT, as Ctrl+C; resolves once the process has ended. */
  stop(): Promise<Run>;
  /** SIGKILL: the server dies without closing anything. */
  kill(): Promise<void>;
}

/** `rempart start ARGS` in its own process, once it says it is ready; rejects if it ends before. */
export function startServer(env: NodeJS.ProcessEnv, args: readonly string[]): Promise<RunningServer> {
  const child = spawnRempart(env, ['start', ...args]);
  const ended = new Promise<Run>((resolve) => child.process.on('close', (code) => resolve({ code, out: child.out(), err: child.err() })));
  const running: RunningServer = {
    pid: child.process.pid ?? 0,
    stop: () => (child.process.kill('SIGINT'), ended),
    kill: async () => void (child.process.kill('SIGKILL'), await ended),
  };
  return new Promise((resolve, reject) => {
    child.process.stdout.on('data', () => {
      if (child.out().includes('Rempart est prêt')) resolve(running);
    });
    void ended.then((run) => reject(new Error(`rempart start a fini (code ${run.code}) : ${run.err}`)));
  });
}

/** A TCP port free on the loopback right now. */
export function freePort(): Promise<number> {
  const server = createServer();
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

interface Spawned {
  process: ChildProcessByStdio<null, Readable, Readable>;
  out(): string;
  err(): string;
}

function spawnRempart(env: NodeJS.ProcessEnv, args: readonly string[]): Spawned {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/run.ts', ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
  return { process: child, out: () => out, err: () => err };
}

/** The environment of a fresh home, with no key, store or server inherited from the caller's. */
export function homeEnv(home: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, REMPART_HOME: home };
  for (const name of ['DATABASE_URL', 'DATABASE_APP_URL', 'DATABASE_SERVING_URL', 'REMPART_MASTER_KEY', 'REMPART_MASTER_KEY_FILE', 'REMPART_TOKEN_KEY_FILE', 'REMPART_AUDIT_KEY_FILE', 'REMPART_ACCESS_SEAL_KEY', 'REMPART_ACCESS_SEAL_KEY_FILE', 'REMPART_WITNESS_DIR', 'REDIS_URL']) {
    delete env[name];
  }
  return env;
}
