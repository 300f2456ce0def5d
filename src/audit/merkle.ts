import { createHash, hash as oneShot } from 'node:crypto';

/**
 * The Merkle tree of RFC 6962 §2.1 / RFC 9162 §2.1 over SHA-256: leaf hash
 * SHA-256(0x00 || leaf), interior node SHA-256(0x01 || left || right), a tree of n leaves
 * split at the largest power of two smaller than n. Any Certificate Transparency tool can
 * recompute our roots and check our proofs.
 *
 * Written here rather than taken from npm: the packages found (@transmute/rfc9162, 0.0.x,
 * last published 2024, no consistency-proof verification against the RFC 9162 algorithm;
 * @sigstore/verify, inclusion verification only; merkletreejs, not RFC 6962 hashing) do
 * not cover tree building, the incremental frontier, and both proofs with verification.
 * The code is small, follows the RFC's own pseudo-code, and is pinned by the reference
 * vectors of certificate-transparency / transparency-dev in merkle.test.ts.
 *
 * Sizes and indexes are plain numbers (exact below 2^53); no bitwise operator is used on
 * them, since JavaScript's work on 32 bits.
 */
export const HASH_BYTES = 32;

/** MTH({}) = SHA-256 of the empty string. */
export const EMPTY_ROOT: Buffer = createHash('sha256').digest();

/*
 * Both hashes prefix their input into a scratch buffer and hash it in one call
 * (crypto.hash): the audit verifier computes two per leaf, and a Hash object each costs
 * about 60 % more, mostly in allocation. Nothing awaits between filling a scratch buffer
 * and hashing it, so sharing them is safe.
 */
let leafInput = Buffer.alloc(1024);
const nodeInput = Buffer.alloc(1 + 2 * HASH_BYTES);
nodeInput[0] = 0x01;

export function leafHash(leaf: Uint8Array): Buffer {
  if (leaf.length + 1 > leafInput.length) leafInput = Buffer.alloc(2 * (leaf.length + 1));
  leafInput[0] = 0x00;
  leafInput.set(leaf, 1);
  return oneShot('sha256', leafInput.subarray(0, leaf.length + 1), 'buffer');
}

export function nodeHash(left: Uint8Array, right: Uint8Array): Buffer {
  // A proof being checked may hold an element of any length: it must then just not match.
  if (left.length !== HASH_BYTES || right.length !== HASH_BYTES) return oneShot('sha256', Buffer.concat([nodeInput.subarray(0, 1), left, right]), 'buffer');
  nodeInput.set(left, 1);
  nodeInput.set(right, 1 + HASH_BYTES);
  return oneShot('sha256', nodeInput, 'buffer');
}

/** The largest power of two strictly smaller than n (n ≥ 2). */
export function split(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

const isOdd = (n: number): boolean => n % 2 === 1;
const half = (n: number): number => Math.floor(n / 2);

/** MTH(D[lo:hi]) from leaf hashes. */
function subtreeRoot(leaves: readonly Uint8Array[], lo: number, hi: number): Buffer {
  const n = hi - lo;
  if (n === 0) return EMPTY_ROOT;
  if (n === 1) return Buffer.from(leafAt(leaves, lo));
  const k = split(n);
  return nodeHash(subtreeRoot(leaves, lo, lo + k), subtreeRoot(leaves, lo + k, hi));
}

function leafAt(leaves: readonly Uint8Array[], index: number): Uint8Array {
  const leaf = leaves[index];
  if (leaf === undefined) throw new RangeError(`pas de feuille ${index}`);
  return leaf;
}

/** The root of a whole tree, given its leaf hashes (batch, recursive). */
export function rootOf(leafHashes: readonly Uint8Array[]): Buffer {
  return subtreeRoot(leafHashes, 0, leafHashes.length);
}

/** A perfect subtree of 2^level leaves, the index-th of its height from the left, and its root. */
export interface CompletedNode {
  level: number;
  index: number;
  hash: Buffer;
}

/**
 * The right edge of a tree: the roots of its perfect subtrees, largest (leftmost) first,
 * one per bit set in its size. Appending a leaf merges equal-sized subtrees like a binary
 * counter, so k appends cost O(k log n) hashes, and the root folds the edge from the right:
 * that is exactly RFC 6962's split, since the largest power of two below n is the leftmost
 * perfect subtree. The sequencer keeps this edge in each checkpoint row.
 */
export class MerkleFrontier {
  private constructor(
    private count: number,
    private readonly edge: Buffer[],
  ) {}

  static empty(): MerkleFrontier {
    return new MerkleFrontier(0, []);
  }

  /** From a stored edge: 32-byte hashes back to back, one per bit set in `size`. */
  static restore(size: number, packed: Uint8Array): MerkleFrontier {
    if (!Number.isSafeInteger(size) || size < 0) throw new RangeError(`taille d'arbre invalide : ${size}`);
    if (packed.length !== HASH_BYTES * bitCount(size)) {
      throw new RangeError(`bord de l'arbre incohérent : ${packed.length} octets pour ${size} feuilles`);
    }
    const edge: Buffer[] = [];
    for (let at = 0; at < packed.length; at += HASH_BYTES) edge.push(Buffer.from(packed.subarray(at, at + HASH_BYTES)));
    return new MerkleFrontier(size, edge);
  }

  get size(): number {
    return this.count;
  }

  /** Appends a leaf hash; `onNode` hears of each perfect subtree the leaf completes, smallest first. */
  append(leaf: Uint8Array, onNode?: (node: CompletedNode) => void): void {
    let hash: Uint8Array = leaf;
    const size = this.count + 1;
    let level = 0;
    // Each trailing 1 bit of the old size is a subtree of the new leaf's height: merge it.
    for (let carry = this.count; isOdd(carry); carry = half(carry)) {
      const left = this.edge.pop();
      if (left === undefined) throw new Error('bord de l’arbre vide');
      hash = nodeHash(left, hash);
      level++;
      // The subtree ends with the new leaf: it is the (size / 2^level)-th of its height.
      onNode?.({ level, index: size / 2 ** level - 1, hash: hash as Buffer });
    }
    // A leaf kept as is is copied: the caller's bytes may be a view into a buffer it reuses.
    this.edge.push(level === 0 ? Buffer.from(hash) : (hash as Buffer));
    this.count = size;
  }

  root(): Buffer {
    let root = this.edge.at(-1);
    if (root === undefined) return EMPTY_ROOT;
    for (let i = this.edge.length - 2; i >= 0; i--) root = nodeHash(this.edge[i] as Buffer, root);
    return root;
  }

  /** The edge packed for storage (see `restore`). */
  pack(): Buffer {
    return Buffer.concat(this.edge);
  }

  clone(): MerkleFrontier {
    return new MerkleFrontier(this.count, [...this.edge]);
  }
}

function bitCount(n: number): number {
  let bits = 0;
  for (let rest = n; rest > 0; rest = half(rest)) if (isOdd(rest)) bits++;
  return bits;
}

/**
 * The root of the leaves [lo, hi) of a tree: from the leaf hashes in memory
 * (`memoryRanges`), or from the stored leaves and interior nodes (proofs.ts). The proofs
 * below only ever ask for ranges of the tree they are about.
 */
export type RangeRoot = (lo: number, hi: number) => Promise<Buffer>;

export function memoryRanges(leafHashes: readonly Uint8Array[]): RangeRoot {
  return (lo, hi) => Promise.resolve(subtreeRoot(leafHashes, lo, hi));
}

/**
 * The audit path of leaf `index` in the tree of `size` leaves (RFC 9162 §2.1.3.1,
 * PATH(m, D[n])): the sibling subtree roots from the leaf up.
 */
export async function inclusionProof(index: number, size: number, rangeRoot: RangeRoot): Promise<Buffer[]> {
  if (!Number.isInteger(index) || index < 0 || index >= size) throw new RangeError(`feuille ${index} hors d'un arbre de ${size}`);
  const path: Buffer[] = [];
  const walk = async (m: number, lo: number, hi: number): Promise<void> => {
    const n = hi - lo;
    if (n === 1) return;
    const k = split(n);
    if (m < k) {
      await walk(m, lo, lo + k);
      path.push(await rangeRoot(lo + k, hi));
    } else {
      await walk(m - k, lo + k, hi);
      path.push(await rangeRoot(lo, lo + k));
    }
  };
  await walk(index, 0, size);
  return path;
}

/** RFC 9162 §2.1.3.2: does `proof` place `leaf` (a leaf hash) at `index` in the tree of `size` with this root? */
export function verifyInclusion(index: number, size: number, leaf: Uint8Array, proof: readonly Uint8Array[], root: Uint8Array): boolean {
  if (!Number.isSafeInteger(index) || !Number.isSafeInteger(size) || index < 0 || index >= size) return false;
  let fn = index;
  let sn = size - 1;
  let r: Buffer = Buffer.from(leaf);
  for (const p of proof) {
    if (sn === 0) return false;
    if (isOdd(fn) || fn === sn) {
      r = nodeHash(p, r);
      while (!isOdd(fn) && fn !== 0) {
        fn = half(fn);
        sn = half(sn);
      }
    } else {
      r = nodeHash(r, p);
    }
    fn = half(fn);
    sn = half(sn);
  }
  return sn === 0 && r.equals(root);
}

/**
 * The proof that the tree of the first `oldSize` leaves is a prefix of the tree of `size`
 * leaves (RFC 9162 §2.1.4.1, PROOF(m, D[n]) = SUBPROOF(m, D[n], true)).
 */
export async function consistencyProof(oldSize: number, size: number, rangeRoot: RangeRoot): Promise<Buffer[]> {
  if (!Number.isInteger(oldSize) || oldSize < 0 || oldSize > size) throw new RangeError(`taille ${oldSize} hors de 0..${size}`);
  const proof: Buffer[] = [];
  if (oldSize === 0 || oldSize === size) return proof;
  const sub = async (m: number, lo: number, hi: number, whole: boolean): Promise<void> => {
    const n = hi - lo;
    if (m === n) {
      if (!whole) proof.push(await rangeRoot(lo, hi));
      return;
    }
    const k = split(n);
    if (m <= k) {
      await sub(m, lo, lo + k, whole);
      proof.push(await rangeRoot(lo + k, hi));
    } else {
      await sub(m - k, lo + k, hi, false);
      proof.push(await rangeRoot(lo, lo + k));
    }
  };
  await sub(oldSize, 0, size, true);
  return proof;
}

/**
 * RFC 9162 §2.1.4.2: does `proof` show that the tree (oldSize, oldRoot) is a prefix of the
 * tree (newSize, newRoot)? Equal sizes need an empty proof and equal roots; every tree
 * extends the empty one.
 */
export function verifyConsistency(
  oldSize: number,
  newSize: number,
  oldRoot: Uint8Array,
  newRoot: Uint8Array,
  proof: readonly Uint8Array[],
): boolean {
  if (!Number.isSafeInteger(oldSize) || !Number.isSafeInteger(newSize) || oldSize < 0 || oldSize > newSize) return false;
  if (oldSize === newSize) return proof.length === 0 && Buffer.from(oldRoot).equals(newRoot);
  if (oldSize === 0) return proof.length === 0;
  if (proof.length === 0) return false;
  const path = isPowerOfTwo(oldSize) ? [oldRoot, ...proof] : [...proof];
  const [first, ...rest] = path;
  if (first === undefined) return false;
  let fn = oldSize - 1;
  let sn = newSize - 1;
  while (isOdd(fn)) {
    fn = half(fn);
    sn = half(sn);
  }
  let fr: Buffer = Buffer.from(first);
  let sr: Buffer = Buffer.from(first);
  for (const c of rest) {
    if (sn === 0) return false;
    if (isOdd(fn) || fn === sn) {
      fr = nodeHash(c, fr);
      sr = nodeHash(c, sr);
      while (!isOdd(fn) && fn !== 0) {
        fn = half(fn);
        sn = half(sn);
      }
    } else {
      sr = nodeHash(sr, c);
    }
    fn = half(fn);
    sn = half(sn);
  }
  return sn === 0 && fr.equals(oldRoot) && sr.equals(newRoot);
}

export function isPowerOfTwo(n: number): boolean {
  let rest = n;
  while (rest > 1 && !isOdd(rest)) rest = half(rest);
  return rest === 1;
}
