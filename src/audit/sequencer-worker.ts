import { parentPort, Worker, workerData } from 'node:worker_threads';
import { openDatabase, type DatabaseConfig } from '../db/open.js';
import { accessSealKeyFromEnv } from '../vault/access-seal-key.js';
import { AccessSealer } from './access-seal.js';
import { AuditSigner } from './checkpoint-signer.js';
import { startSequencer, type RunningSequencer } from './sequencer-loop.js';

export interface SequencerThreadOptions {
  /** The server's database (its URL), opened again by the thread with two connections. */
  database: DatabaseConfig;
  /** The signing and seal keys, as `AuditSigner.fromEnv` and `accessSealKeyFromEnv` find them. */
  home: string;
  /** A witness folder given each new signed head (REMPART_WITNESS_DIR), if any. */
  witness?: string;
  intervalMs: number;
  batchSize: number;
  /** Whole months of access records kept (retention run once a day); none when undefined. */
  retentionMonths?: number;
}

/**
 * The sequencer on its own thread, with its own connections: hashing a few thousand
 * leaves then never holds up the requests on the server's event loop. For a PostgreSQL
 * server only (an embedded PGlite cannot be opened twice).
 */
export function startSequencerThread(
  options: SequencerThreadOptions,
  env: NodeJS.ProcessEnv = process.env,
  onDeath: (reason: string) => void = (reason) => process.stderr.write(`séquenceur du journal d'accès arrêté : ${reason}\n`),
): RunningSequencer {
  const worker = new Worker(threadModule(), { workerData: options, env });
  let stopping = false;
  let failure: string | undefined;
  // 'error' comes before 'exit': a thread ended without being asked to is a death, whatever its code.
  worker.on('error', (error) => (failure = error.message));
  const exited = new Promise<void>((resolve) =>
    worker.once('exit', (code) => {
      if (!stopping) onDeath(failure ?? `fin inattendue du fil (code ${code})`);
      resolve();
    }),
  );
  return {
    stop: async (): Promise<void> => {
      stopping = true;
      worker.postMessage('stop');
      await exited;
    },
  };
}

/**
 * This module, compiled: a thread cannot load TypeScript, so when running from the sources
 * (the tests) it loads the build `npm install` made (dist/, the same code).
 */
function threadModule(): URL {
  const own = import.meta.url;
  return new URL(own.endsWith('.ts') ? own.replace('/src/audit/', '/dist/audit/').replace(/\.ts$/, '.js') : own);
}

async function runInThread(options: SequencerThreadOptions): Promise<void> {
  const signer = AuditSigner.fromEnv(process.env, options.home);
  const sealer = new AccessSealer(accessSealKeyFromEnv(process.env, options.home));
  const db = await openDatabase({ ...options.database, maxConnections: 2 });
  const sequencer = startSequencer(db, signer, {
    intervalMs: options.intervalMs,
    batchSize: options.batchSize,
    retentionMonths: options.retentionMonths,
    witness: options.witness,
    sealer,
  });
  parentPort?.once('message', () => {
    void sequencer.stop().then(() => db.close()).then(() => process.exit(0));
  });
}

// Loaded as the worker's own module: run the loop with the options it was given.
if (parentPort) await runInThread(workerData as SequencerThreadOptions);
