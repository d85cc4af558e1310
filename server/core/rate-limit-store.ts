import type { ClientRateLimitInfo, IncrementResponse, Options, Store } from 'express-rate-limit';
import type { DB } from './db.js';

/**
 * express-rate-limit store on the app's SQLite database (table `rate_limits`, migration 019),
 * so that a limit holds across the worker processes (and restarts) instead of per process as
 * with the default memory store. Fixed windows, as the memory store: the first hit of a key
 * opens a window of `windowMs`; a hit after it ends opens a new one.
 *
 * One instance per limiter (express-rate-limit refuses a store shared by two limiters); the
 * name keeps each limiter's counters apart in the one table.
 */
export class SqliteRateLimitStore implements Store {
  readonly localKeys = false;
  readonly prefix: string;
  private windowMs = 60_000;

  constructor(
    private readonly db: DB,
    name: string,
  ) {
    this.prefix = `${name}:`;
  }

  init(options: Options): void {
    this.windowMs = options.windowMs;
  }

  increment(key: string): IncrementResponse {
    const now = Date.now();
    // One statement: two workers counting the same key at once cannot both open a window.
    const row = this.db
      .prepare(
        `INSERT INTO rate_limits (key, hits, reset_at) VALUES (@key, 1, @reset)
         ON CONFLICT(key) DO UPDATE SET
           hits = CASE WHEN rate_limits.reset_at <= @now THEN 1 ELSE rate_limits.hits + 1 END,
           reset_at = CASE WHEN rate_limits.reset_at <= @now THEN @reset ELSE rate_limits.reset_at END
         RETURNING hits, reset_at`,
      )
      .get({ key: this.prefix + key, now, reset: now + this.windowMs }) as { hits: number; reset_at: number };
    return { totalHits: row.hits, resetTime: new Date(row.reset_at) };
  }

  decrement(key: string): void {
    this.db.prepare('UPDATE rate_limits SET hits = MAX(hits - 1, 0) WHERE key = ? AND reset_at > ?').run(this.prefix + key, Date.now());
  }

  get(key: string): ClientRateLimitInfo | undefined {
    const row = this.db.prepare('SELECT hits, reset_at FROM rate_limits WHERE key = ? AND reset_at > ?').get(this.prefix + key, Date.now()) as
      | { hits: number; reset_at: number }
      | undefined;
    return row ? { totalHits: row.hits, resetTime: new Date(row.reset_at) } : undefined;
  }

  resetKey(key: string): void {
    this.db.prepare('DELETE FROM rate_limits WHERE key = ?').run(this.prefix + key);
  }

  resetAll(): void {
    this.db.prepare('DELETE FROM rate_limits WHERE key >= ? AND key < ?').run(this.prefix, this.prefix.slice(0, -1) + ';');
  }
}

/** Drops the counters whose window has ended (a job); returns how many. */
export function pruneRateLimits(db: DB, now = Date.now()): number {
  return db.prepare('DELETE FROM rate_limits WHERE reset_at <= ?').run(now).changes;
}
