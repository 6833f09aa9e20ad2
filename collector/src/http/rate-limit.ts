import { AppError, ErrorCode } from "@infrastructor/shared/errors.ts";
import type { Context, MiddlewareHandler } from "hono";

export interface RateLimits {
  /** Requests per minute from one client address (a burst of this many, then refilled evenly). */
  perClientPerMin: number;
  /** Requests per minute from all clients together. */
  globalPerMin: number;
}

/** Buckets kept for this many client addresses at most: an attacker with many addresses cannot grow it. */
const MAX_CLIENTS = 10_000;

interface Bucket {
  tokens: number;
  at: number;
}

/**
 * Token buckets: one per client address and one for everyone. A request takes one token from both;
 * refused, it gets the seconds until its bucket has a token again. `now` is injectable for tests.
 */
export class RateLimiter {
  readonly #limits: RateLimits;
  readonly #now: () => number;
  readonly #clients = new Map<string, Bucket>();
  readonly #global: Bucket;

  constructor(limits: RateLimits, now: () => number = Date.now) {
    this.#limits = limits;
    this.#now = now;
    this.#global = { tokens: limits.globalPerMin, at: now() };
  }

  /** null: allowed (a token taken from both buckets); else the seconds to wait. */
  take(client: string): number | null {
    const now = this.#now();
    const { perClientPerMin, globalPerMin } = this.#limits;
    const mine = this.#clients.get(client) ?? { tokens: perClientPerMin, at: now };
    refill(mine, perClientPerMin, now);
    refill(this.#global, globalPerMin, now);
    if (mine.tokens < 1) return this.#keep(client, mine, waitSeconds(mine, perClientPerMin));
    if (this.#global.tokens < 1) return this.#keep(client, mine, waitSeconds(this.#global, globalPerMin));
    mine.tokens -= 1;
    this.#global.tokens -= 1;
    return this.#keep(client, mine, null);
  }

  #keep(client: string, bucket: Bucket, result: number | null): number | null {
    this.#clients.delete(client); // re-inserted last: the Map's order is least recently seen first
    this.#clients.set(client, bucket);
    if (this.#clients.size > MAX_CLIENTS) {
      const oldest = this.#clients.keys().next().value;
      if (oldest !== undefined) this.#clients.delete(oldest);
    }
    return result;
  }
}

function refill(bucket: Bucket, perMin: number, now: number): void {
  bucket.tokens = Math.min(perMin, bucket.tokens + ((now - bucket.at) * perMin) / 60_000);
  bucket.at = now;
}

function waitSeconds(bucket: Bucket, perMin: number): number {
  return Math.max(1, Math.ceil(((1 - bucket.tokens) * 60_000) / perMin / 1000));
}

/**
 * The client's address as Bun's server saw it (app.fetch is handed the server as its env). No
 * X-Forwarded-For: a header any client can set would let it pick its own bucket.
 */
export function clientAddress(c: Context): string {
  const server = c.env as { requestIP?: (req: Request) => { address: string } | null } | undefined;
  return server?.requestIP?.(c.req.raw)?.address ?? "";
}

/** Refuses a request over the limits with RATE_LIMITED (429 and Retry-After). */
export function rateLimit(limiter: RateLimiter): MiddlewareHandler {
  return async function limitRate(c, next) {
    const wait = limiter.take(clientAddress(c));
    if (wait !== null) {
      throw new AppError(ErrorCode.RATE_LIMITED, `too many requests; retry in ${wait} s`, {
        details: { retry_after_s: wait },
      });
    }
    await next();
  };
}
