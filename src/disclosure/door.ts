import type { AccessResult } from '../audit/access-record.js';
import type { Database, Queryable, Scope, Tx } from '../db/database.js';
import { RempartError, type ErrorCode } from '../domain/errors/codes.js';

/** Why personal data is disclosed: the access log's purposes, a member's own history, an incident's member numbers. */
export type DisclosurePurpose = 'rights_check' | 'coverage' | 'engagement' | 'prior_agreement' | 'invoice' | 'transparency' | 'member_export';

/** What a refusal or an error is recorded as. */
export type FailureResult = Extract<AccessResult, 'not_found' | 'refused' | 'error'>;

/** Admitted: what the watcher is told once the disclosure is recorded and committed. */
export interface Admitted<S> {
  observe(seen: S, now: Date): Promise<void>;
  /** The disclosure failed after admission: whatever the admission counted as in flight is given back. */
  abandon(): Promise<void>;
}

/** Admitted by the policy alone, with no watcher to tell (member portals, security officers). */
export const unwatched: Admitted<unknown> = { observe: () => Promise.resolve(), abandon: () => Promise.resolve() };

/**
 * Whom the disclosure is for, and how they are watched and recorded: a professional or
 * their software (the shield, the access log: disclosure/professional.ts), a member portal
 * (the reads log: disclosure/portal.ts).
 */
export interface Audience<S> {
  /** Before any read: go on, or a refusal (the shield's pause is taken here). */
  admit(now: Date): Promise<Admitted<S>>;
  /** The refusal's record, in a transaction of its own in the insurer's scope (or the platform's). */
  recordFailure(tx: Tx, purpose: DisclosurePurpose, insurerId: number | null, result: FailureResult): Promise<void>;
}

export interface Disclosed<T, S> {
  answer: T;
  /** What the audience's watcher learns of it. */
  seen: S;
}

interface DisclosureOf<I extends number | null> {
  purpose: DisclosurePurpose;
  /** The insurer asked about (unknown, AMC_UNKNOWN…: a refusal recorded without insurer); null: the platform's scope (staff). */
  insurer(): Promise<I>;
}

/**
 * One disclosure, as the serving role, which reads the identity tables only through the
 * disclosure functions (migration 019): each appends the access record in the statement
 * that reads. Either `work`, in a transaction in the insurer's scope, or `statement`: one
 * statement on its own, a disclosure function that enters the insurer's scope itself
 * (one round trip instead of three); nothing after it may fail.
 */
export type Disclosure<T, S, I extends number | null = number> = DisclosureOf<I> &
  ({ work(tx: Tx, insurerId: I): Promise<Disclosed<T, S>> } | { statement(db: Queryable, insurerId: I): Promise<Disclosed<T, S>> });

/** Refusals that are misses: the thing asked for does not exist for this caller. */
const MISSES: ReadonlySet<ErrorCode> = new Set(['ENGAGEMENT_UNKNOWN', 'PRIOR_AGREEMENT_UNKNOWN', 'INVOICE_UNKNOWN', 'INVOICE_REPLACED_UNKNOWN', 'MEMBER_UNKNOWN', 'MEMBER_EXPORT_UNKNOWN', 'INCIDENT_SNAPSHOT_UNKNOWN']);

/**
 * The one door for every disclosure, in this order: the audience's admission, a
 * transaction in the insurer's scope, the work (its read and record in one statement), then
 * the observation. A refusal or an error at any step is recorded too (`refused`,
 * `not_found`, `error`), after the work's transaction rolled back: exactly one record per
 * call. `db` must be the serving role's (Database.serving()).
 */
export async function disclose<T, S, I extends number | null = number>(db: Database, audience: Audience<S>, disclosure: Disclosure<T, S, I>, now: Date): Promise<T> {
  let insurerId: I | null = null;
  let admitted: Admitted<S> | null = null;
  let disclosed: Disclosed<T, S>;
  try {
    insurerId = await disclosure.insurer();
    admitted = await audience.admit(now);
    const scope = insurerId;
    disclosed = 'statement' in disclosure ? await disclosure.statement(db, scope) : await db.transaction(scopeOf(scope), (tx) => disclosure.work(tx, scope));
  } catch (error) {
    await admitted?.abandon();
    const scope = insurerId;
    await db.transaction(scopeOf(scope), (tx) => audience.recordFailure(tx, disclosure.purpose, scope, failureResult(error)));
    throw error;
  }
  // Recorded and committed: what the watcher now learns cannot undo the record.
  await admitted.observe(disclosed.seen, now);
  return disclosed.answer;
}

function scopeOf(insurerId: number | null): Scope {
  return insurerId === null ? 'platform' : { insurerId };
}

function failureResult(error: unknown): FailureResult {
  if (!(error instanceof RempartError)) return 'error';
  return MISSES.has(error.code) ? 'not_found' : 'refused';
}
