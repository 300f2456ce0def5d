import type { Tx } from '../db/database.js';
import { RempartError } from '../domain/errors/codes.js';
import { isPowerOfTwo, MerkleFrontier, nodeHash, rootOf, split, type CompletedNode, type RangeRoot } from './merkle.js';

/** Interior nodes are kept every this many levels (access_node, migration 013). */
export const NODE_LEVELS = 8;
/** Leaves read per batch when nodes are made again from the leaves. */
const BACKFILL_BATCH = 10_000;

export async function insertNodes(tx: Tx, nodes: readonly CompletedNode[]): Promise<void> {
  if (nodes.length === 0) return;
  await tx.query(
    `INSERT INTO access_node (level, node_index, hash)
     SELECT level, node_index, decode(hash, 'hex') FROM unnest($1::smallint[], $2::bigint[], $3::text[]) AS u(level, node_index, hash)
     ON CONFLICT DO NOTHING`,
    [nodes.map((n) => n.level), nodes.map((n) => n.index), nodes.map((n) => n.hash.toString('hex'))],
  );
}

/**
 * A log sequenced before interior nodes were kept (or whose nodes were lost) gets them
 * from its leaves, once: the sequencer calls this before each pass, which costs one
 * index look-up when nothing is missing.
 */
export async function ensureNodes(tx: Tx, treeSize: number): Promise<number> {
  const expected = Math.floor(treeSize / 2 ** NODE_LEVELS);
  const last = await tx.query<{ next: number }>('SELECT coalesce(max(node_index) + 1, 0)::bigint::int AS next FROM access_node WHERE level = $1', [NODE_LEVELS]);
  if ((last.rows[0]?.next ?? 0) >= expected) return 0;
  const frontier = MerkleFrontier.empty();
  let made = 0;
  for (let from = 0; from < treeSize; from += BACKFILL_BATCH) {
    const nodes: CompletedNode[] = [];
    for (const hash of await leafHashes(tx, from, Math.min(treeSize, from + BACKFILL_BATCH))) {
      frontier.append(hash, (node) => {
        if (node.level % NODE_LEVELS === 0) nodes.push(node);
      });
    }
    await insertNodes(tx, nodes);
    made += nodes.length;
  }
  return made;
}

/** Leaf hashes [from, to), all of them or an error. */
export async function leafHashes(tx: Tx, from: number, to: number): Promise<Buffer[]> {
  const found = await tx.query<{ leaf_hash: Uint8Array }>('SELECT leaf_hash FROM access_leaf WHERE leaf_index >= $1 AND leaf_index < $2 ORDER BY leaf_index', [from, to]);
  if (found.rows.length !== to - from) throw new RempartError('AUDIT_LOG_INCONSISTENT', `feuilles ${from} à ${to - 1} : ${found.rows.length} trouvées`);
  return found.rows.map((row) => Buffer.from(row.leaf_hash));
}

/**
 * The root of any range of the stored tree, from the kept nodes and the leaves: a perfect
 * subtree of height h is read as one node when h is a multiple of eight, else folded from
 * at most 128 nodes (or leaves) of the level below it that is. A range that is not a
 * perfect subtree splits as RFC 6962 does, into perfect ones.
 */
export function storedRanges(tx: Tx): RangeRoot {
  const perfect = async (level: number, index: number): Promise<Buffer> => {
    const base = level - (level % NODE_LEVELS);
    const width = 2 ** (level - base);
    const first = index * width;
    const hashes = base === 0 ? await leafHashes(tx, first, first + width) : await storedNodes(tx, base, first, first + width);
    return rootOf(hashes);
  };
  const range = async (lo: number, hi: number): Promise<Buffer> => {
    const n = hi - lo;
    if (!Number.isInteger(n) || n < 1) throw new RangeError(`intervalle vide : ${lo}..${hi}`);
    if (isPowerOfTwo(n) && lo % n === 0) return perfect(Math.round(Math.log2(n)), lo / n);
    const k = split(n);
    return nodeHash(await range(lo, lo + k), await range(lo + k, hi));
  };
  return range;
}

async function storedNodes(tx: Tx, level: number, from: number, to: number): Promise<Buffer[]> {
  const found = await tx.query<{ hash: Uint8Array }>('SELECT hash FROM access_node WHERE level = $1 AND node_index >= $2 AND node_index < $3 ORDER BY node_index', [level, from, to]);
  if (found.rows.length !== to - from) throw new RempartError('AUDIT_LOG_INCONSISTENT', `nœuds de niveau ${level}, ${from} à ${to - 1} : ${found.rows.length} trouvés`);
  return found.rows.map((row) => Buffer.from(row.hash));
}
