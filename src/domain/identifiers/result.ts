import type { ErrorCode } from '../errors/codes.js';

/**
 * A value that can only be obtained through its parser: the brand stops a raw string
 * from reaching code that trusts it to be valid.
 */
export type Brand<T, B extends string> = T & { readonly __brand: B };

export type Result<T, E> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: E };

export type IdentifierKind = 'nir' | 'rpps' | 'siren' | 'siret' | 'finess' | 'amcNumber' | 'memberNumber' | 'iban';

export interface IdentifierError {
  readonly code: ErrorCode;
  readonly identifier: IdentifierKind;
  /** French, for the people who typed the value. May name a faulty part, never the whole value: it may be a NIR. */
  readonly reason: string;
}

export type Parsed<T> = Result<T, IdentifierError>;

export type Failure = { readonly ok: false; readonly error: IdentifierError };

export function success<T>(value: T): { readonly ok: true; readonly value: T } {
  return { ok: true, value };
}

export function failure(identifier: IdentifierKind, code: ErrorCode, reason: string): Failure {
  return { ok: false, error: { code, identifier, reason } };
}
