import type { Database } from '../db/database.js';
import { DAY_MS } from '../domain/dates.js';
import type { AuditSigner } from './checkpoint-signer.js';
import { applyRetention, type RetentionReport } from './retention.js';
import { runSequencer, type SequencerOptions, type SequencerPass } from './sequencer.js';
import { LocalWitness } from './witness.js';

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
  /**
   * Whole months of records kept (src/audit/retention.ts): when set, retention runs after
   * the first pass, then once a day. A day with nothing to drop costs two small queries;
   * a month is dropped once, on the first run after it leaves the retention.
   */
  retentionMonths?: number;
  /** What a retention run did; by default, the months dropped or left, on stdout. */
  onRetention?: (report: RetentionReport) => void;
  /** A witness folder outside the data (src/audit/witness.ts localWitnessDir), given each new signed head. */
  witness?: string;
}

/** The background loop the server runs: one pass every few seconds, never two at once. */
export function startSequencer(db: Database, signer: AuditSigner, options: SequencerLoopOptions = {}): RunningSequencer {
  const { intervalMs = 5000, onPass, onError = reportToStderr, retentionMonths, onRetention = reportRetention, witness, ...passOptions } = options;
  const witnessed = witness === undefined ? undefined : new LocalWitness(witness);
  let stopped = false;
  let retainedAt = Number.NEGATIVE_INFINITY;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();
  const pass = async (): Promise<void> => {
    try {
      const done = await runSequencer(db, signer, passOptions);
      if (done.status === 'appended') await witnessed?.keep(db);
      onPass?.(done);
    } catch (error) {
      onError(error);
    }
    if (retentionMonths !== undefined && !stopped && Date.now() - retainedAt >= DAY_MS) {
      retainedAt = Date.now();
      try {
        onRetention(await applyRetention(db, signer, { months: retentionMonths }));
      } catch (error) {
        onError(error);
      }
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

function reportRetention(report: RetentionReport): void {
  for (const outcome of report.outcomes) {
    const what = outcome.status === 'skipped' ? `laissé (${outcome.detail})` : `purgé, ${outcome.records} accès`;
    process.stdout.write(`rempart : journal d'accès, conservation de ${report.months} mois : ${outcome.month} ${what}\n`);
  }
}

function reportToStderr(error: unknown): void {
  process.stderr.write(`rempart : séquenceur du journal d'accès : ${error instanceof Error ? error.message : String(error)}\n`);
}
