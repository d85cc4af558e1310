import type { DB } from '../../server/core/db.js';

/** Tables every request may touch without it being a domain write (session, job leases, rate-limit counters). */
const VOLATILE = new Set(['sessions', 'job_leases', 'rate_limits']);

/** Row counts of every domain table: equal before and after a refused request means nothing was half-written. */
export function rowCounts(db: DB): Record<string, number> {
  const tables = db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'`).pluck().all() as string[];
  return Object.fromEntries(
    tables.filter((t) => !VOLATILE.has(t)).map((t) => [t, (db.prepare(`SELECT COUNT(*) AS n FROM "${t}"`).get() as { n: number }).n]),
  );
}
