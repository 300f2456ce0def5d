import { DAY_MS, HOUR_MS, todayUtc } from '../domain/dates.js';
import { RempartError } from '../domain/errors/codes.js';
import type { RightsDeps } from '../rights/check-rights.js';
import { invoiceResponse } from './invoice-response.js';
import { adjudicateLot } from './lot.js';
import { claimLot, forgetAnswers, lotDone, lotStopped, renewLease, stillActs, type ClaimedLot } from './lot-queue.js';
import { readLot } from './lot-request.js';

export interface LotWorkerOptions {
  now: () => Date;
  /** How long a claim holds a lot: a lot of 100 invoices takes seconds, so a minute is ample before another instance takes it again. */
  leaseMs?: number;
  log: (error: unknown) => void;
}

export const LEASE_MS = 60_000;
/** Claims of one lot, the last one included: a lot that ends its worker every time (a crash it causes) is stopped, not taken for ever. */
export const MAX_ATTEMPTS = 3;
/** A decided lot's answer is kept this long for its software to follow it (migration 040); the returns keep every decision. */
export const ANSWER_DAYS = 30;
/** The answers past ANSWER_DAYS are looked for at most this often. */
const FORGET_EVERY_MS = HOUR_MS;

/**
 * Decides the lots kept for later (migration 037), in each instance: woken by a lot's
 * intake here, and every few seconds for those taken in by other instances or left by one
 * that died. A lot claimed but not finished (its instance killed mid-lot) is claimed again
 * once its lease has run out and decided from its first invoice again: each invoice's
 * decision is idempotent by (site, lot, invoice number), so those decided before the crash
 * come back as stored (`renvoi`), nothing is decided or consumed twice.
 */
export class LotWorker {
  private timer: NodeJS.Timeout | undefined;
  private busy: Promise<void> | undefined;
  private again = false;
  private closed = false;
  private forgottenAt = Number.NEGATIVE_INFINITY;

  constructor(private readonly deps: RightsDeps, private readonly options: LotWorkerOptions) {}

  /** Claims and decides one lot; false when none is waiting. */
  async pass(now = this.options.now()): Promise<boolean> {
    await this.forgetOld(now);
    const claimed = await claimLot(this.deps.db, this.deps.vault, now, this.options.leaseMs ?? LEASE_MS);
    if (!claimed) return false;
    if (claimed.attempt > MAX_ATTEMPTS) await lotStopped(this.deps.db, claimed, 'INVOICE_LOT_ABANDONED', now);
    else if (claimed.pending) await this.decide(claimed, claimed.pending, now);
    else this.options.log(new Error(`lot ${claimed.lot} (structure ${claimed.siteId}) scellé sous une autre clé maîtresse : laissé à une instance qui l'ouvre`));
    return true;
  }

  /** Polls every `everyMs` until closed. */
  start(everyMs: number): void {
    this.timer = setInterval(() => this.wake(), everyMs).unref();
  }

  /** Drains the waiting lots, once at a time in this instance: a wake while draining drains again after. */
  wake(): void {
    if (this.closed) return;
    if (this.busy) {
      this.again = true;
      return;
    }
    this.busy = this.drain().finally(() => {
      this.busy = undefined;
    });
  }

  /** Stops polling and waits for the lot in hand: what is left is taken by another instance, or by this one's next start. */
  async close(): Promise<void> {
    this.closed = true;
    clearInterval(this.timer);
    await this.busy;
  }

  private async drain(): Promise<void> {
    do {
      this.again = false;
      try {
        while (!this.closed && (await this.pass()));
      } catch (error) {
        // The lot in hand stays claimed: its lease runs out and it is taken again (MAX_ATTEMPTS).
        this.options.log(error);
      }
    } while (this.again && !this.closed);
  }

  /**
   * The lot as a synchronous one is decided, by its caller if still allowed to act; a refusal
   * that stops it (the shield's, say) stops it for good, with its code.
   */
  private async decide(claimed: ClaimedLot, { caller, body }: NonNullable<ClaimedLot['pending']>, now: Date): Promise<void> {
    // The claim is renewed while the lot is decided: a slow lot (a busy database) is not taken by another instance meanwhile.
    const leaseMs = this.options.leaseMs ?? LEASE_MS;
    const renewal = setInterval(() => void renewLease(this.deps.db, claimed, this.options.now(), leaseMs).catch(this.options.log), leaseMs / 3);
    try {
      if (!(await stillActs(this.deps.db, caller))) throw new RempartError('SHIELD_ACCOUNT_CLOSED');
      const outcome = await adjudicateLot(this.deps, caller, readLot(body, todayUtc(now)), now);
      await lotDone(this.deps.db, this.deps.vault, claimed, outcome.invoices.map(invoiceResponse), now);
    } catch (error) {
      if (!(error instanceof RempartError)) throw error;
      await lotStopped(this.deps.db, claimed, error.code, now);
    } finally {
      clearInterval(renewal);
    }
  }

  /** Decided lots' answers older than ANSWER_DAYS are dropped, once an hour at most. */
  private async forgetOld(now: Date): Promise<void> {
    if (now.getTime() - this.forgottenAt < FORGET_EVERY_MS) return;
    this.forgottenAt = now.getTime();
    await forgetAnswers(this.deps.db, new Date(now.getTime() - ANSWER_DAYS * DAY_MS));
  }
}
