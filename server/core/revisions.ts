/**
 * Figures kept in memory between requests under the revisions of the tables they read
 * (table_revisions, bumped by triggers on every write, migration 034). A figure declares its
 * tables once, next to its queries; a request reads their revisions (one row each) and gets the
 * kept value while none moved, else computes it again. Correctness does not depend on this
 * process having seen the writes: every process bumps the same rows. The key is read before the
 * computation, so a value computed after a concurrent write is stored under the older key and
 * computed again on the next request: never staler than the key it is stored under.
 *
 * For figures per CPTS that move with the pipeline (cards, moves, mails), see
 * dashboards/summary.ts (organisation_revisions): finer, and kept per CPTS.
 */
import type { DB } from './db.js';

/** The tables that have revision triggers (migration 034); a figure may depend only on these. */
export const REVISIONED_TABLES = [
  'organisations',
  'regions',
  'memberships',
  'users',
  'postings',
  'panel_members',
  'onboarding_plans',
  'onboarding_plan_steps',
  'onboarding_workload_reviews',
  'network_mentor_pairings',
  'funding_profiles',
  'funding_envelopes',
  'funding_commitments',
] as const;
export type RevisionedTable = (typeof REVISIONED_TABLES)[number];

/** The revisions of these tables as one string ("organisations:3,users:12"; absent rows left out). */
export function tablesRevision(db: DB, tables: readonly RevisionedTable[]): string {
  return (
    (db
      .prepare("SELECT group_concat(name || ':' || revision, ',') FROM (SELECT name, revision FROM table_revisions WHERE name IN (SELECT value FROM json_each(?)) ORDER BY name)")
      .pluck()
      .get(JSON.stringify(tables)) as string | null) ?? ''
  );
}

type Entry = { key: string; value: unknown };
const kept = new WeakMap<DB, Map<string, Entry>>();

/**
 * A figure kept in memory: the tables it reads and the revision that keeps it. 'tables': the
 * table revisions of this module (its tables must be REVISIONED_TABLES); 'posting': the
 * posting's revision (posting_revisions, triggers of migrations 011 and 035 on its tables).
 */
export type Figure = { name: string; tables: readonly string[]; revision: 'tables' | 'posting' };
let current: Figure | undefined;

/**
 * The kept figure whose value is being computed at this moment, if any: a test reads the
 * statements prepared meanwhile and checks that they read only the tables the figure declares.
 */
export function computingFigure(): Figure | undefined {
  return current;
}

/** Runs the computation of a kept figure (any cache of this app calls it: see computingFigure). */
export function computing<T>(figure: Figure, compute: () => T): T {
  const outer = current;
  current = figure;
  try {
    return compute();
  } finally {
    current = outer;
  }
}

/**
 * The value of the figure `name` for `scope` (a region's id...), kept while the revisions of
 * `tables` and `extra` (what else the value depends on: the day, the year) are those it was
 * computed under.
 */
export function keptWhile<T>(db: DB, name: string, scope: number | string, tables: readonly RevisionedTable[], extra: string, compute: () => T): T {
  let byDb = kept.get(db);
  if (!byDb) kept.set(db, (byDb = new Map()));
  const id = `${name}|${scope}`;
  const key = `${extra}|${tablesRevision(db, tables)}`;
  const entry = byDb.get(id);
  if (entry && entry.key === key) return entry.value as T;
  const value = computing({ name, tables, revision: 'tables' }, () => deepFreeze(compute()));
  byDb.set(id, { key, value });
  return value;
}

/** A kept value is shared by every request: frozen, so that no page can change it for the next. */
export function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    if (value instanceof Map) for (const v of value.values()) deepFreeze(v);
    else for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

/** Forget every kept figure of this database (tests compare kept and fresh figures). */
export function forgetKept(db: DB): void {
  kept.delete(db);
}
