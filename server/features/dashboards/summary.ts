/**
 * Per-CPTS aggregates kept in memory between requests, keyed by the CPTS's revision
 * (organisation_revisions, bumped by triggers on every table those aggregates read, migration
 * 030). A regional page reads the revisions of its CPTS with their names (one row each) and
 * recomputes, in one grouped statement per figure, only the CPTS whose revision moved or whose
 * entry no longer fits the moment asked (a new day for overdue steps, a twelve-month window
 * that slid past a row for the benchmarks). What is cached is data of one CPTS, the same for
 * every viewer; who may see it is decided by the routes as before.
 *
 * Correctness does not depend on this process having seen the writes: another process (the
 * scheduler's jobs, the CLI) bumps the same rows. A value computed after a write that happened
 * between the read of the revision and the computation is stored under the older revision,
 * so the next request recomputes it again: never staler than the revision it is stored under.
 */
import type { DB } from '../../core/db.js';
import { forgetKept } from '../../core/revisions.js';

export type Revisioned = { id: number; revision: number };

type Entry = { revision: number; value: unknown };
const caches = new WeakMap<DB, Map<string, Map<number, Entry>>>();

function cacheOf(db: DB, name: string): Map<number, Entry> {
  let byName = caches.get(db);
  if (!byName) caches.set(db, (byName = new Map()));
  let cache = byName.get(name);
  if (!cache) byName.set(name, (cache = new Map()));
  return cache;
}

/**
 * The value of each CPTS of `orgs` for the aggregate `name`: from the cache when its revision is
 * the one read and `fits(value)`, otherwise from `compute(ids)`, called once for all the others
 * and expected to return a value for every id it is given.
 */
export function perOrganisation<T>(db: DB, name: string, orgs: readonly Revisioned[], fits: (value: T) => boolean, compute: (ids: number[]) => Map<number, T>): Map<number, T> {
  const cache = cacheOf(db, name);
  const out = new Map<number, T>();
  const stale: Revisioned[] = [];
  for (const o of orgs) {
    const e = cache.get(o.id);
    if (e && e.revision === o.revision && fits(e.value as T)) out.set(o.id, e.value as T);
    else stale.push(o);
  }
  if (stale.length) {
    const fresh = compute(stale.map((o) => o.id));
    for (const o of stale) {
      const value = fresh.get(o.id);
      if (value === undefined) throw new Error(`no ${name} computed for organisation ${o.id}`);
      cache.set(o.id, { revision: o.revision, value });
      out.set(o.id, value);
    }
  }
  return out;
}

/** Forget every cached aggregate of this database (tests compare cached and fresh figures). */
export function forgetSummaries(db: DB): void {
  caches.delete(db);
  forgetKept(db);
}

/** SQL for "the revision of the CPTS whose id is `idExpr`" (0 while no row). */
export const revisionSql = (idExpr: string) => `COALESCE((SELECT r.revision FROM organisation_revisions r WHERE r.organisation_id = ${idExpr}), 0)`;
