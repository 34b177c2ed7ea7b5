/**
 * Two limiters: a per-client token bucket (our own 429s) and a counting
 * semaphore that caps upstream requests in flight (queueing the rest).
 */
import { setMostRecent } from './cache.ts';

/** Options of {@link RateLimiter}. */
export interface RateLimiterOptions {
  /** Requests allowed per client per minute; also the burst size. */
  perMinute: number;
  /** Clients remembered at once; the least recently seen are forgotten first. */
  maxClients: number;
  /** Clock in epoch ms. */
  now: () => number;
}

/** Outcome of {@link RateLimiter.take}. */
export type RateDecision = { allowed: true } | { allowed: false; retryAfterSeconds: number };

/**
 * Token bucket per client key. Memory is bounded by `maxClients` with LRU
 * eviction: a forgotten client restarts with a full bucket, which is the
 * price of not letting spoofed-source floods grow the map without limit.
 */
export class RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; updated: number }>();
  private readonly opts: RateLimiterOptions;

  /** @param opts - see {@link RateLimiterOptions}. */
  constructor(opts: RateLimiterOptions) {
    this.opts = opts;
  }

  /** Clients currently tracked (never above `maxClients`). */
  get size(): number {
    return this.buckets.size;
  }

  /**
   * Takes one token for `key`, or says how many seconds until one is available.
   * A clock that steps back (NTP, a VM resumed) refills nothing and re-anchors
   * the bucket at the new time: tokens stay in [0, capacity], so nobody is
   * locked out until the clock catches up again.
   */
  take(key: string): RateDecision {
    const now = this.opts.now();
    const capacity = this.opts.perMinute;
    const perMs = capacity / 60_000;
    let b = this.buckets.get(key);
    if (b) {
      const elapsed = Math.max(0, now - b.updated);
      b.tokens = Math.min(capacity, Math.max(0, b.tokens + elapsed * perMs));
      b.updated = now;
    } else {
      b = { tokens: capacity, updated: now };
    }
    setMostRecent(this.buckets, key, b, this.opts.maxClients);
    if (b.tokens >= 1) {
      b.tokens -= 1;
      return { allowed: true };
    }
    const waitMs = (1 - b.tokens) / perMs;
    return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(waitMs / 1000)) };
  }
}

/**
 * Counting semaphore with a FIFO wait queue. A waiter whose AbortSignal fires
 * leaves the queue and rejects with the signal's reason, so timed-out requests
 * never reach upstream.
 */
export class Semaphore {
  private active = 0;
  private readonly waiters: Array<{ grant: () => void }> = [];
  private readonly limit: number;

  /** @param limit - permits available at once (at least 1). */
  constructor(limit: number) {
    this.limit = Math.max(1, limit);
  }

  /** Permits currently held. */
  get inFlight(): number {
    return this.active;
  }

  /** Callers waiting for a permit. */
  get queued(): number {
    return this.waiters.length;
  }

  /** Waits for a permit; call the returned function exactly once to give it back. */
  acquire(signal?: AbortSignal): Promise<() => void> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    const release = this.releaser();
    if (this.active < this.limit) {
      this.active++;
      return Promise.resolve(release);
    }
    return new Promise((resolve, reject) => {
      const waiter = {
        grant: () => {
          signal?.removeEventListener('abort', onAbort);
          this.active++;
          resolve(release);
        },
      };
      const onAbort = () => {
        const i = this.waiters.indexOf(waiter);
        if (i !== -1) this.waiters.splice(i, 1);
        reject(signal?.reason);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.waiters.push(waiter);
    });
  }

  private releaser(): () => void {
    let done = false;
    return () => {
      if (done) return;
      done = true;
      this.active--;
      const next = this.waiters.shift();
      if (next) next.grant();
    };
  }
}
