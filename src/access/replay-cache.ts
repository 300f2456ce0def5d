/**
 * Single-use identifiers (DPoP proof and client assertion `jti`s) remembered until they
 * expire. Bounded: when full of live entries it refuses new ones (fails closed) rather
 * than forgetting one that could then be replayed. One process only: instances behind a
 * load balancer share it through Redis (shield issue).
 */
export class ReplayCache {
  private readonly seen = new Map<string, number>();

  constructor(private readonly capacity = 1_000_000) {}

  /** True the first time `key` is presented before `expiresAtMs`, false on a replay. */
  firstUse(key: string, expiresAtMs: number, nowMs = Date.now()): boolean {
    const known = this.seen.get(key);
    if (known !== undefined && known > nowMs) return false;
    if (this.seen.size >= this.capacity) this.purge(nowMs);
    if (this.seen.size >= this.capacity) return false;
    this.seen.set(key, expiresAtMs);
    return true;
  }

  private purge(nowMs: number): void {
    for (const [key, expiresAt] of this.seen) if (expiresAt <= nowMs) this.seen.delete(key);
  }
}
