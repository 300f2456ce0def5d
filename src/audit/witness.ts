import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Database } from '../db/database.js';
import { RempartError } from '../domain/errors/codes.js';
import type { TrustedKeys } from './checkpoint-signer.js';
import { signedBody, signedHeads, type SignedHead } from './proofs.js';
import type { TreeHead } from './verify.js';

/**
 * Witnesses keep the signed heads outside the database: a folder each (one per insurer,
 * say, or a notary's), one file per head, `<tree size>.json`. Whoever later rewrites the
 * log — even re-signing it with a stolen key — cannot make it contain the roots the
 * witnesses already hold, and `rempart audit verify --witness` recomputes each of them.
 */

/** Writes to each witness's folder the heads it does not hold yet; how many each received. */
export async function exportToWitnesses(db: Database, dir: string, witnesses: readonly string[]): Promise<{ witness: string; written: number; treeSize: number }[]> {
  const heads = await signedHeads(db);
  return witnesses.map((witness) => {
    if (!/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/.test(witness)) throw new RangeError(`nom de témoin invalide : ${witness}`);
    const folder = join(dir, witness);
    mkdirSync(folder, { recursive: true });
    const held = new Set(headFiles(folder).map((file) => file.name));
    const fresh = heads.filter((head) => !held.has(`${head.treeSize}.json`));
    for (const head of fresh) writeHead(folder, head);
    return { witness, written: fresh.length, treeSize: heads.at(-1)?.treeSize ?? 0 };
  });
}

/**
 * The witness the platform keeps itself, outside its data (issue 15, point 7):
 * `REMPART_WITNESS_DIR`, else on the embedded store `<home>/witness`, beside the store's
 * own folder (`<home>/pglite`) and not in it, so that whoever replaces or rewrites the
 * store, even re-signing it with the key kept in `<home>`, leaves the heads already
 * witnessed behind. A server has none unless told (its data is not on this host); the
 * insurers' witnesses (`rempart audit witness`) are the stronger ones either way.
 */
export function localWitnessDir(env: NodeJS.ProcessEnv, home: string): string | undefined {
  if (env.REMPART_WITNESS_DIR) return env.REMPART_WITNESS_DIR;
  return env.DATABASE_URL ? undefined : join(home, 'witness');
}

/** Keeps a witness folder up to date after each pass: the heads signed since the largest it holds. */
export class LocalWitness {
  private held: number | undefined;

  constructor(private readonly folder: string) {}

  async keep(db: Database): Promise<number> {
    if (this.held === undefined) {
      mkdirSync(this.folder, { recursive: true, mode: 0o700 });
      this.held = Math.max(0, ...headFiles(this.folder).map((file) => Number(file.name.replace(/\.json$/, ''))));
    }
    const fresh = await signedHeads(db, this.held);
    for (const head of fresh) writeHead(this.folder, head);
    this.held = fresh.at(-1)?.treeSize ?? this.held;
    return fresh.length;
  }
}

/** One head, `<tree size>.json`, never overwritten: a witness only ever adds. */
function writeHead(folder: string, head: SignedHead): void {
  writeFileSync(join(folder, `${head.treeSize}.json`), `${JSON.stringify(head, null, 2)}\n`, { flag: 'wx' });
}

/** Every head the folders hold (searched recursively), each checked against the trusted keys. */
export function readWitnessHeads(dirs: readonly string[], keys: TrustedKeys): TreeHead[] {
  return dirs.flatMap((dir) => headFiles(dir)).map((file) => {
    const head = parseHead(file.path);
    const body = signedBody(head);
    const check = keys.check(body, Buffer.from(head.signature, 'base64'));
    if (check !== 'valid') throw new RempartError('AUDIT_WITNESS_INVALID', `${file.path} : signature ${check}`);
    return { treeSize: head.treeSize, rootHash: body.rootHash };
  });
}

function headFiles(dir: string): { name: string; path: string }[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && /^\d{1,15}\.json$/.test(entry.name))
    .map((entry) => ({ name: entry.name, path: join(entry.parentPath, entry.name) }));
}

function parseHead(path: string): SignedHead {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    throw new RempartError('AUDIT_WITNESS_INVALID', `${path} : JSON illisible`);
  }
  const head = parsed as Partial<SignedHead> | null;
  const valid =
    typeof head === 'object' && head !== null &&
    Number.isSafeInteger(head.treeSize) && (head.treeSize ?? 0) > 0 &&
    /^[0-9a-f]{64}$/.test(head.rootHash ?? '') &&
    /^\d{1,20}$/.test(head.createdAtMicros ?? '') &&
    /^[0-9a-f]{32}$/.test(head.keyId ?? '') &&
    /^[A-Za-z0-9+/]{86}==$/.test(head.signature ?? '');
  if (!valid) throw new RempartError('AUDIT_WITNESS_INVALID', `${path} : tête d’arbre attendue (treeSize, rootHash, createdAtMicros, keyId, signature)`);
  return head as SignedHead;
}
