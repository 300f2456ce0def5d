import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  consistencyProof,
  EMPTY_ROOT,
  inclusionProof,
  memoryRanges,
  leafHash,
  MerkleFrontier,
  nodeHash,
  rootOf,
  verifyConsistency,
  verifyInclusion,
} from './merkle.js';

const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');
const unhex = (text: string): Buffer => Buffer.from(text, 'hex');

// The RFC 6962 reference test data (certificate-transparency's merkle_tree_test,
// transparency-dev/merkle's testonly): eight leaves and the root of each prefix.
const REFERENCE_LEAVES = ['', '00', '10', '2021', '3031', '40414243', '5051525354555657', '606162636465666768696a6b6c6d6e6f'].map(unhex);
const REFERENCE_ROOTS = [
  'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
  '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
  'fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125',
  'aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77',
  'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
  '4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4',
  '76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef',
  'ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c',
  '5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328',
];
const REFERENCE_HASHES = REFERENCE_LEAVES.map(leafHash);

// Same source: audit paths (leaf index counted from 0) and consistency proofs.
const REFERENCE_INCLUSION = [
  { index: 0, size: 8, path: ['96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7', '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e', '6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4'] },
  { index: 5, size: 8, path: ['bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b', 'ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0', 'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7'] },
  { index: 2, size: 3, path: ['fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125'] },
  { index: 1, size: 5, path: ['6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d', '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e', 'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b'] },
];
const REFERENCE_CONSISTENCY = [
  { from: 1, to: 1, proof: [] },
  { from: 1, to: 8, proof: ['96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7', '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e', '6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4'] },
  { from: 6, to: 8, proof: ['0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a', 'ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0', 'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7'] },
  { from: 2, to: 5, proof: ['5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e', 'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b'] },
];

const root = (size: number): Buffer => unhex(REFERENCE_ROOTS[size] ?? '');

/** Leaf hashes of distinct random leaves. */
const leafHashes = (min: number, max: number): fc.Arbitrary<Buffer[]> =>
  fc.array(fc.uint8Array({ maxLength: 24 }), { minLength: min, maxLength: max }).map((leaves) => leaves.map((leaf, i) => leafHash(Buffer.concat([Buffer.from([i]), leaf]))));

/** One bit flipped somewhere in one of the hashes. */
function flipped(hashes: readonly Buffer[], which: number, byte: number, bit: number): Buffer[] {
  return hashes.map((hash, i) => {
    if (i !== which % hashes.length) return hash;
    const copy = Buffer.from(hash);
    copy[byte % copy.length] = (copy[byte % copy.length] ?? 0) ^ (1 << bit);
    return copy;
  });
}

describe('RFC 6962 hashing', () => {
  it('gives the reference root of every prefix of the reference leaves, batch and incremental', () => {
    const frontier = MerkleFrontier.empty();
    expect(hex(EMPTY_ROOT)).toBe(REFERENCE_ROOTS[0]);
    expect(hex(frontier.root())).toBe(REFERENCE_ROOTS[0]);
    for (let size = 1; size <= REFERENCE_HASHES.length; size++) {
      frontier.append(REFERENCE_HASHES[size - 1] ?? Buffer.alloc(0));
      expect(hex(rootOf(REFERENCE_HASHES.slice(0, size))), `batch, ${size} leaves`).toBe(REFERENCE_ROOTS[size]);
      expect(hex(frontier.root()), `incremental, ${size} leaves`).toBe(REFERENCE_ROOTS[size]);
    }
  });

  it('separates leaves from nodes (0x00 / 0x01 prefixes) and splits at the largest power of two', () => {
    const [a, b, c] = REFERENCE_HASHES as [Buffer, Buffer, Buffer];
    expect(rootOf([a, b])).toEqual(nodeHash(a, b));
    // Three leaves: (a b) c, not a (b c).
    expect(rootOf([a, b, c])).toEqual(nodeHash(nodeHash(a, b), c));
    expect(leafHash(Buffer.alloc(0))).not.toEqual(EMPTY_ROOT);
  });

  it('produces the reference audit paths, which verify', async () => {
    for (const { index, size, path } of REFERENCE_INCLUSION) {
      const proof = await inclusionProof(index, size, memoryRanges(REFERENCE_HASHES.slice(0, size)));
      expect(proof.map(hex), `leaf ${index} of ${size}`).toEqual(path);
      expect(verifyInclusion(index, size, REFERENCE_HASHES[index] ?? Buffer.alloc(0), proof, root(size))).toBe(true);
      expect(verifyInclusion(index, size, REFERENCE_HASHES[index] ?? Buffer.alloc(0), proof, root(size - 1))).toBe(false);
    }
  });

  it('produces the reference consistency proofs, which verify', async () => {
    for (const { from, to, proof } of REFERENCE_CONSISTENCY) {
      const made = await consistencyProof(from, to, memoryRanges(REFERENCE_HASHES.slice(0, to)));
      expect(made.map(hex), `${from} → ${to}`).toEqual(proof);
      expect(verifyConsistency(from, to, root(from), root(to), made)).toBe(true);
    }
  });

  it('refuses proofs for impossible positions and sizes', async () => {
    const proof = await inclusionProof(0, REFERENCE_HASHES.length, memoryRanges(REFERENCE_HASHES));
    expect(verifyInclusion(8, 8, REFERENCE_HASHES[0] ?? Buffer.alloc(0), proof, root(8))).toBe(false);
    expect(verifyInclusion(-1, 8, REFERENCE_HASHES[0] ?? Buffer.alloc(0), proof, root(8))).toBe(false);
    await expect(inclusionProof(8, REFERENCE_HASHES.length, memoryRanges(REFERENCE_HASHES))).rejects.toThrow(RangeError);
    expect(verifyConsistency(5, 4, root(5), root(4), [])).toBe(false);
    expect(verifyConsistency(4, 4, root(4), root(5), [])).toBe(false);
    expect(verifyConsistency(3, 8, root(3), root(8), [])).toBe(false);
    expect(verifyConsistency(0, 8, EMPTY_ROOT, root(8), [])).toBe(true);
  });

  it('refuses an interior node passed off as a leaf with a shortened path, and an over-long path', async () => {
    const tree = REFERENCE_HASHES.slice(0, 4) as [Buffer, Buffer, Buffer, Buffer];
    const left = nodeHash(tree[0], tree[1]);
    const right = nodeHash(tree[2], tree[3]);
    expect(nodeHash(left, right)).toEqual(root(4));
    expect(verifyInclusion(0, 4, left, [right], root(4))).toBe(false);
    expect(verifyInclusion(0, 4, tree[0], [...(await inclusionProof(0, tree.length, memoryRanges(tree))), right], root(4))).toBe(false);
  });
});

/** Proofs over leaf hashes held in memory. */
const proveIn = (index: number, tree: readonly Buffer[]): Promise<Buffer[]> => inclusionProof(index, tree.length, memoryRanges(tree));
const consistentIn = (oldSize: number, tree: readonly Buffer[]): Promise<Buffer[]> => consistencyProof(oldSize, tree.length, memoryRanges(tree));

describe('Merkle properties', () => {
  it('verifies every audit path of every leaf in every tree size, exhaustively up to 40 leaves', async () => {
    const hashes = Array.from({ length: 40 }, (_, i) => leafHash(Buffer.from(`record ${i}`)));
    for (let size = 1; size <= hashes.length; size++) {
      const tree = hashes.slice(0, size);
      const treeRoot = rootOf(tree);
      for (let index = 0; index < size; index++) {
        const proof = await proveIn(index, tree);
        expect(verifyInclusion(index, size, tree[index] ?? Buffer.alloc(0), proof, treeRoot), `${index} of ${size}`).toBe(true);
        // The same proof does not place the leaf anywhere else, nor another leaf here.
        if (size > 1) {
          expect(verifyInclusion((index + 1) % size, size, tree[index] ?? Buffer.alloc(0), proof, treeRoot)).toBe(false);
          expect(verifyInclusion(index, size, tree[(index + 1) % size] ?? Buffer.alloc(0), proof, treeRoot)).toBe(false);
        }
      }
    }
  });

  it('verifies audit paths for random (index, size) pairs on random trees', async () => {
    await fc.assert(
      fc.asyncProperty(leafHashes(1, 600), fc.nat(), fc.nat(), async (hashes, a, b) => {
        const size = 1 + (a % hashes.length);
        const index = b % size;
        const tree = hashes.slice(0, size);
        return verifyInclusion(index, size, tree[index] ?? Buffer.alloc(0), await proveIn(index, tree), rootOf(tree));
      }),
      { numRuns: 200 },
    );
  });

  it('fails any audit path, leaf or root with one bit flipped', async () => {
    await fc.assert(
      fc.asyncProperty(leafHashes(2, 200), fc.nat(), fc.nat(), fc.nat(), fc.nat(), fc.integer({ min: 0, max: 7 }), fc.constantFrom('proof', 'leaf', 'root'), async (hashes, a, which, byte, _unused, bit, target) => {
        const index = a % hashes.length;
        const size = hashes.length;
        const proof = await proveIn(index, hashes);
        const leaf = hashes[index] ?? Buffer.alloc(0);
        const treeRoot = rootOf(hashes);
        if (target === 'proof') return !verifyInclusion(index, size, leaf, flipped(proof, which, byte, bit), treeRoot);
        if (target === 'leaf') return !verifyInclusion(index, size, flipped([leaf], 0, byte, bit)[0] ?? leaf, proof, treeRoot);
        return !verifyInclusion(index, size, leaf, proof, flipped([treeRoot], 0, byte, bit)[0] ?? treeRoot);
      }),
      { numRuns: 300 },
    );
  });

  it('computes incrementally the root it computes in one go, and stores and restores its edge', () => {
    fc.assert(
      fc.property(leafHashes(0, 300), fc.nat(), (hashes, cut) => {
        const frontier = MerkleFrontier.empty();
        const at = hashes.length === 0 ? 0 : cut % (hashes.length + 1);
        for (const [i, hash] of hashes.entries()) {
          if (i === at) {
            const restored = MerkleFrontier.restore(frontier.size, frontier.pack());
            expect(restored.root()).toEqual(frontier.root());
          }
          frontier.append(hash);
          expect(frontier.root()).toEqual(rootOf(hashes.slice(0, i + 1)));
        }
        return frontier.size === hashes.length;
      }),
      { numRuns: 60 },
    );
  });

  it('refuses an edge that does not fit the tree size', () => {
    const frontier = MerkleFrontier.empty();
    for (const hash of REFERENCE_HASHES.slice(0, 5)) frontier.append(hash);
    expect(frontier.pack()).toHaveLength(64); // 5 = 4 + 1: two perfect subtrees
    expect(() => MerkleFrontier.restore(6, frontier.pack())).not.toThrow();
    expect(() => MerkleFrontier.restore(7, frontier.pack())).toThrow(RangeError);
    expect(() => MerkleFrontier.restore(4, frontier.pack())).toThrow(RangeError);
  });

  it('proves consistency between random sizes, and fails when history changed', async () => {
    await fc.assert(
      fc.asyncProperty(leafHashes(1, 300), fc.nat(), fc.nat(), fc.nat(), fc.nat(), fc.integer({ min: 0, max: 7 }), async (hashes, a, b, which, byte, bit) => {
        const newSize = 1 + (a % hashes.length);
        const oldSize = 1 + (b % newSize);
        const newTree = hashes.slice(0, newSize);
        const oldRoot = rootOf(hashes.slice(0, oldSize));
        const newRoot = rootOf(newTree);
        const proof = await consistentIn(oldSize, newTree);
        expect(verifyConsistency(oldSize, newSize, oldRoot, newRoot, proof)).toBe(true);
        // Rewrite one of the old leaves: the new tree no longer extends the old one.
        const rewritten = flipped(newTree, which % oldSize, byte, bit);
        const rewrittenRoot = rootOf(rewritten);
        expect(verifyConsistency(oldSize, newSize, oldRoot, rewrittenRoot, await consistentIn(oldSize, rewritten))).toBe(false);
        if (proof.length > 0) expect(verifyConsistency(oldSize, newSize, oldRoot, newRoot, flipped(proof, which, byte, bit))).toBe(false);
        expect(verifyConsistency(oldSize, newSize, flipped([oldRoot], 0, byte, bit)[0] ?? oldRoot, newRoot, proof)).toBe(false);
        return true;
      }),
      { numRuns: 300 },
    );
  });
});
