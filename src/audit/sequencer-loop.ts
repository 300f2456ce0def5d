import type { Database } from '../db/database.js';
import type { AuditSigner } from './checkpoint-signer.js';
import { runSequencer, type SequencerOptions, type SequencerPass } from './sequencer.js';

export interface RunningSequencer {
  /** Stops the loop and waits for a pass under way to end. */
  stop(): Promise<void>;
}

export interface SequencerLoopOptions extends SequencerOptions {
  /** Pause between the end of one pass and the start of the next; 5 s by default. */
  intervalMs?: number;
  onPass?: (pass: SequencerPass) => void;
  /** A failed pass is reported here and retried next turn; by default on stderr. */
  onError?: (error: unknown) => void;
}

/** The background loop the server runs: one pass every few seconds, never two at once. */
export function startSequencer(db: Database, signer: AuditSigner, options: SequencerLoopOptions = {}): RunningSequencer {
  const { intervalMs = 5000, onPass, onError = reportToStderr, ...passOptions } = options;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();
  const pass = async (): Promise<void> => {
    try {
      const done = await runSequencer(db, signer, passOptions);
      onPass?.(done);
    } catch (error) {
      onError(error);
    }
    if (!stopped) schedule();
  };
  const tick = (): void => {
    running = pass();
  };
  const schedule = (): void => {
    timer = setTimeout(tick, intervalMs);
    timer.unref();
  };
  schedule();
  return {
    async stop(): Promise<void> {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}

function reportToStderr(error: unknown): void {
  process.stderr.write(`rempart : séquenceur du journal d'accès : ${error instanceof Error ? error.message : String(error)}\n`);
}
