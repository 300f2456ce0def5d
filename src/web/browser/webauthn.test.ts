import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { assertion, NO_WEBAUTHN, webAuthnMessage } from './webauthn.js';

/** The exceptions the WebAuthn specification lets navigator.credentials throw, and a word each French sentence must hold. */
const named: readonly [string, RegExp][] = [
  ['NotAllowedError', /annulée, délai dépassé/],
  ['InvalidStateError', /déjà une clé d’accès/],
  ['SecurityError', /adresse habituelle/],
  ['AbortError', /interrompue/],
  ['NotSupportedError', /autre appareil/],
  ['ConstraintError', /réglages/],
];

/** A browser with WebAuthn whose authenticator answers `get` with `outcome`. */
function browserWhoseGet(outcome: () => Promise<unknown>): void {
  vi.stubGlobal('PublicKeyCredential', class {});
  vi.stubGlobal('navigator', { credentials: { get: outcome } });
}

describe('WebAuthn failures, in French with what to do next', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  it.each(named)('says what to do after a %s', (name, sentence) => {
    expect(webAuthnMessage(new DOMException('The operation either timed out or was not allowed.', name))).toMatch(sentence);
  });

  it('gives each exception its own sentence, and any other failure a French one that never repeats the browser’s words', () => {
    expect(new Set(named.map(([name]) => webAuthnMessage(new DOMException('', name)))).size).toBe(named.length);
    fc.assert(fc.property(fc.string(), fc.string({ minLength: 8 }).filter((text) => text.trim().length >= 8), (name, text) => {
      const said = webAuthnMessage(Object.assign(new Error(text), { name }));
      expect(said).toMatch(/^[A-ZÀ-Ü].+ : .+\.$/);
      if (!named.some(([known]) => known === name)) expect(said).not.toContain(text);
    }));
    expect(webAuthnMessage('refusé')).toBe(webAuthnMessage(undefined));
  });

  it('turns the browser’s refusal into the sentence on the way out of a ceremony, and says so when there is no WebAuthn at all', async () => {
    browserWhoseGet(() => Promise.reject(new DOMException('The operation either timed out or was not allowed.', 'NotAllowedError')));
    await expect(assertion({ challenge: 'AAAA' })).rejects.toThrow(/^La clé d’accès n’a pas été utilisée : demande annulée/);
    browserWhoseGet(() => Promise.resolve(null));
    await expect(assertion({ challenge: 'AAAA' })).rejects.toThrow(/^La clé d’accès n’a pas pu être utilisée/);
    vi.unstubAllGlobals();
    vi.stubGlobal('PublicKeyCredential', undefined);
    await expect(assertion({ challenge: 'AAAA' })).rejects.toThrow(NO_WEBAUTHN);
  });
});
