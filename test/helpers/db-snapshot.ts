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

export type Rows = Record<string, unknown>[];

/** Every row of each table, in rowid order: compare full dumps, not counts, to see that nothing changed. */
export function tableRows(db: DB, tables: readonly string[]): Record<string, Rows> {
  return Object.fromEntries(tables.map((t) => [t, db.prepare(`SELECT * FROM "${t}" ORDER BY rowid`).all() as Rows]));
}

/** Every row of every domain table, in a stable order: equal before and after means nothing was written. */
export function tableDumps(db: DB): Record<string, string[]> {
  const tables = db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'`).pluck().all() as string[];
  return Object.fromEntries(
    tables
      .filter((t) => !VOLATILE.has(t))
      .map((t) => [t, (db.prepare(`SELECT * FROM "${t}"`).all() as Record<string, unknown>[]).map((r) => JSON.stringify(r, (_k, v: unknown) => (Buffer.isBuffer(v) ? v.toString('base64') : v))).sort()]),
  );
}

/**
 * Cells holding a control character a form could bring (C0 and C1 but tab and newline, and a
 * carriage return outside CRLF, which generated calendar files use): `table.column: value`.
 */
export function controlCharacterCells(db: DB): Set<string> {
  // eslint-disable-next-line no-control-regex
  const control = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]|\r(?!\n)/;
  const out = new Set<string>();
  const tables = db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'`).pluck().all() as string[];
  for (const t of tables.filter((name) => !VOLATILE.has(name))) {
    for (const row of db.prepare(`SELECT * FROM "${t}"`).all() as Record<string, unknown>[]) {
      for (const [column, value] of Object.entries(row)) if (typeof value === 'string' && control.test(value)) out.add(`${t}.${column}: ${JSON.stringify(value.slice(0, 200))}`);
    }
  }
  return out;
}
