import type { Database } from '../../db/database.js';
import type { Vault } from '../../vault/index.js';
import type { FileHeader } from './file-header.js';
import type { RemovalCounts, RunCounts, RunIdentity, RunPermissions } from './ledger.js';
import type { Progress } from './progress.js';
import type { RejectReport } from './reject-report.js';

/** Everything one file's loader works with, assembled by loadFile. */
export interface FileContext {
  db: Database;
  vault: Vault;
  path: string;
  run: Omit<RunIdentity, 'insurerId'>;
  report: RejectReport;
  /** Where a full file lists whom it removes; `written` once it holds a row. */
  removalReport: { path: string; written: boolean };
  progress: Progress;
  /** Largest share of an insurer's active beneficiaries (or of the directory's activities) a full file may remove (0.05 = 5 %). */
  maxRemovalShare: number;
  permissions: RunPermissions;
}

/** A line-oriented file, whose first line said what it is. */
export interface LoadContext extends FileContext {
  header: FileHeader;
}

/** `replay`: applied again or out of order, on the operator's explicit request. */
export type LoadOutcome =
  | ({ status: 'applied'; replay: boolean } & RunCounts & RemovalCounts)
  | { status: 'already_loaded'; loadedAt: Date; suspendedRemovals: number };

/** What reading a file's lines counted: the ledger's counts, and the rejected lines that name nobody. */
export type LineCounts = RunCounts & { unidentified: number };

/** Counts lines once each, however many faults a line has. */
export class LineTally {
  lines = 0;
  applied = 0;
  /** Rejected lines of which nothing identifying could be read. */
  unidentified = 0;
  private readonly rejectedLines = new Set<number>();
  private rejectedBefore = 0;

  reject(lines: Iterable<number>): void {
    for (const line of lines) this.rejectedLines.add(line);
  }

  /** Folds a batch's rejected lines into a count, so the set stays batch-sized. */
  closeBatch(): void {
    this.rejectedBefore += this.rejectedLines.size;
    this.rejectedLines.clear();
  }

  counts(): LineCounts {
    const rejected = this.rejectedBefore + this.rejectedLines.size;
    return { lines: this.lines, applied: this.applied, rejected, unchanged: this.lines - this.applied - rejected, unidentified: this.unidentified };
  }
}
