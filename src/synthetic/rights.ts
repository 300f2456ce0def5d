import type { CareDomain } from '../domain/coverage/care-domain.js';
import { chance, pick } from '../domain/random.js';
import type { Rng } from '../domain/random.js';
import { isoDate } from '../fiction/calendar.js';
import type { ProductOffer } from './products.js';

/** Share of beneficiaries with some rights closed before the end of their period. */
const CLOSED_SHARE = 0.03;
/** Most lines share a handful of periods per product; rarer ones are rebuilt, not kept. */
const CACHE_LIMIT = 1_000;

/**
 * The `droits` column: one period per care domain of the product, `DOMAINE:DEBUT:FIN`.
 * Nearly every line of a product has the same text, so it is built once and reused.
 */
export class RightsText {
  private readonly cache = new Map<string, string>();

  constructor(private readonly extractionDay: number) {}

  /** `from` and `to` are days; a few beneficiaries get some domains closed early. */
  of(rng: Rng, offer: ProductOffer, from: number, to: number): string {
    if (chance(rng, CLOSED_SHARE)) return this.withClosures(rng, offer.domains, from, to);
    const key = `${offer.product.code}|${from}|${to}`;
    let text = this.cache.get(key);
    if (text === undefined) {
      text = periods(offer.domains, () => to, from);
      if (this.cache.size < CACHE_LIMIT) this.cache.set(key, text);
    }
    return text;
  }

  /** Closed on one day between the start and yesterday (or the period's end, if earlier). */
  private withClosures(rng: Rng, domains: readonly CareDomain[], from: number, to: number): string {
    const closed = closedDomains(rng, domains);
    const closedOn = rng.int(from, Math.max(from, Math.min(to, this.extractionDay - 1)));
    return periods(domains, (domain) => (closed.has(domain) ? closedOn : to), from);
  }
}

/** Everything (a suspended contract) or one to three domains. */
function closedDomains(rng: Rng, domains: readonly CareDomain[]): Set<CareDomain> {
  if (chance(rng, 0.3)) return new Set(domains);
  return new Set(Array.from({ length: rng.int(1, 3) }, () => pick(rng, domains)));
}

function periods(domains: readonly CareDomain[], end: (domain: CareDomain) => number, from: number): string {
  const start = isoDate(from);
  return domains.map((domain) => `${domain}:${start}:${isoDate(end(domain))}`).join(' ');
}
