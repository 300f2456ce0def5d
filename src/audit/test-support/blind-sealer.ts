import { createSecretKey, randomBytes } from 'node:crypto';
import { AccessSealer } from '../access-seal.js';

/** The sequencer of whoever stole the signing key but not the seal key: every seal passes. */
export class BlindSealer extends AccessSealer {
  constructor() {
    super(createSecretKey(randomBytes(32)));
  }

  override check(): 'valid' {
    return 'valid';
  }
}
