import { formatRights, parseRightsList } from '../../domain/coverage/rights.js';
import type { ErrorCode } from '../../domain/errors/codes.js';
import type { Result } from '../../domain/identifiers/result.js';

type StoredRights = Result<string, { code: ErrorCode; reason: string }>;

const cache = new Map<string, StoredRights>();
const CACHE_LIMIT = 4096;

/**
 * The `droits` field, validated and turned into its stored form. Most lines of a file
 * carry the same value (same product, same year), so each distinct value is parsed once:
 * on a 33-million-line file this is most of the validation work saved.
 */
export function readRightsField(text: string): StoredRights {
  let result = cache.get(text);
  if (result === undefined) {
    if (cache.size >= CACHE_LIMIT) cache.clear();
    const parsed = parseRightsList(text);
    result = parsed.ok ? { ok: true, value: formatRights(parsed.value) } : parsed;
    cache.set(text, result);
  }
  return result;
}
