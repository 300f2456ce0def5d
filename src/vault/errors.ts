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
