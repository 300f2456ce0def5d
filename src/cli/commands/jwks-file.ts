import { readFileSync } from 'node:fs';
import type { JSONWebKeySet } from 'jose';
import { checkPublicJwks } from '../../access/clients.js';

/** A client's public keys from a JWKS file, checked as a client may register them (checkPublicJwks). */
export function readJwks(path: string): JSONWebKeySet {
  return checkPublicJwks(JSON.parse(readFileSync(path, 'utf8')));
}
