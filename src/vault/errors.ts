/**
 * Why the vault refused. Callers branch on `code`; the message is French because it ends
 * up in front of operators. No message ever contains key material or plaintext.
 */
export type VaultErrorCode =
  | 'master-key-invalid'
  | 'master-key-mismatch'
  | 'sealed-format'
  | 'unknown-key-version'
  | 'authentication-failed';

export class VaultError extends Error {
  readonly code: VaultErrorCode;

  constructor(code: VaultErrorCode, message: string) {
    super(message);
    this.name = 'VaultError';
    this.code = code;
  }
}

/**
 * The vault's work, or undefined when the vault refused it (a value sealed under another
 * key, altered, or of an unknown format): for callers to whom a value that does not open is
 * an answer, not a failure. Any other error still rejects.
 */
export async function unlessRefused<T>(work: Promise<T>): Promise<T | undefined> {
  try {
    return await work;
  } catch (error) {
    if (error instanceof VaultError) return undefined;
    throw error;
  }
}
