/**
 * Regional benchmarks (issue 17): for each CPTS of a region, over the last 12 months, the median
 * time to hire, the applications per posting and the share of candidates answered within
 * REPLY_WITHIN_DAYS, beside the region's median of the same figures (the median of its CPTS that
 * have one). Three grouped statements for the whole region, whatever the number of CPTS.
 */
import type { DB } from '../../core/db.js';
import { firstReplySql, REPLY_WITHIN_DAYS } from './service.js';
import { perOrganisation, revisionSql } from './summary.js';

const DAY = 86_400_000;
export const BENCHMARK_MONTHS = 12;

export type CptsFigures = { organisationId: number; name: string; timeToHireDays: number | null; hires: number; applicationsPerPosting: number | null; postings: number; answeredShare: number | null; replyBase: number };
export type RegionFigures = { timeToHireDays: number | null; applicationsPerPosting: number | null; answeredShare: number | null };

export function median(values: number[]): number | null {
  if (!values.length) return null;
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

const round1 = (n: number | null) => (n === null ? null : Math.round(n * 10) / 10);

/**
 * One CPTS's raw figures for the window [since, now], kept per CPTS revision (summary.ts) with
 * what the window's bounds may become before they change: every row counted is at or after
 * `earliest` (the window can slide up to it), and `pending` is the first application not yet
 * old enough for the reply share's base nor answered (the cutoff must stay below it). Inside
 * those bounds the same statements would give the same figures, so the cache is exact.
 */
type OrgBench = {
  since: string;
  cutoff: string;
  earliest: string | null;
  pending: string | null;
  hireDays: number[];
  postings: number;
  applications: number;
  base: number;
  answered: number;
};

const minOf = (...xs: (string | null | undefined)[]) => xs.reduce<string | null>((m, x) => (x == null ? m : m === null || x < m ? x : m), null);

function orgBenchmarks(db: DB, orgs: readonly { id: number; revision: number }[], since: string, cutoff: string): Map<number, OrgBench> {
  const fits = (v: OrgBench) => since >= v.since && cutoff >= v.cutoff && (v.earliest === null || since <= v.earliest) && (v.pending === null || cutoff < v.pending);
  return perOrganisation<OrgBench>(db, 'regional-benchmarks', orgs, fits, (ids) => {
    const json = JSON.stringify(ids);
    const out = new Map<number, OrgBench>(ids.map((id) => [id, { since, cutoff, earliest: null, pending: null, hireDays: [], postings: 0, applications: 0, base: 0, answered: 0 }]));
    const hires = db
      .prepare(
        `SELECT p.organisation_id, julianday(MIN(f.answered_at)) - julianday(p.published_at) AS days, MIN(f.answered_at) AS first
         FROM offers f JOIN postings p ON p.id = f.posting_id
         WHERE p.organisation_id IN (SELECT value FROM json_each(?)) AND f.status = 'accepted' AND f.answered_at >= ? AND p.published_at IS NOT NULL
         GROUP BY p.id`,
      )
      .all(json, since) as { organisation_id: number; days: number; first: string }[];
    for (const h of hires) {
      const o = out.get(h.organisation_id)!;
      o.hireDays.push(Math.max(0, h.days));
      o.earliest = minOf(o.earliest, h.first);
    }
    const volume = db
      .prepare(
        `SELECT p.organisation_id, COUNT(DISTINCT p.id) AS postings, COUNT(a.id) AS applications, MIN(p.published_at) AS first
         FROM postings p LEFT JOIN applications a ON a.posting_id = p.id
         WHERE p.organisation_id IN (SELECT value FROM json_each(?)) AND p.published_at >= ? GROUP BY p.organisation_id`,
      )
      .all(json, since) as { organisation_id: number; postings: number; applications: number; first: string }[];
    for (const v of volume) Object.assign(out.get(v.organisation_id)!, { postings: v.postings, applications: v.applications, earliest: minOf(out.get(v.organisation_id)!.earliest, v.first) });
    const replies = db
      .prepare(
        `WITH apps AS (
           SELECT a.organisation_id, a.created_at, ${firstReplySql('a')} AS replied_at
           FROM applications a
           WHERE a.organisation_id IN (SELECT value FROM json_each(@orgs)) AND a.created_at >= @since
         )
         SELECT organisation_id,
                SUM(CASE WHEN created_at <= @cutoff OR replied_at IS NOT NULL THEN 1 ELSE 0 END) AS base,
                SUM(CASE WHEN replied_at IS NOT NULL AND julianday(replied_at) - julianday(created_at) <= @days THEN 1 ELSE 0 END) AS answered,
                MIN(created_at) AS first,
                MIN(CASE WHEN created_at > @cutoff AND replied_at IS NULL THEN created_at END) AS pending
         FROM apps GROUP BY organisation_id`,
      )
      .all({ orgs: json, since, cutoff, days: REPLY_WITHIN_DAYS }) as { organisation_id: number; base: number; answered: number; first: string; pending: string | null }[];
    for (const r of replies) {
      const o = out.get(r.organisation_id)!;
      Object.assign(o, { base: r.base, answered: r.answered, pending: r.pending, earliest: minOf(o.earliest, r.first) });
    }
    return out;
  });
}

/** Every CPTS of the region with its figures, and the region's medians. */
export function regionBenchmarks(db: DB, regionId: number, now = new Date()): { rows: CptsFigures[]; region: RegionFigures; since: string } {
  const since = new Date(now.getTime() - 365 * DAY).toISOString();
  // Old enough to have been answered in time, or answered already: the share's base.
  const replyCutoff = new Date(now.getTime() - REPLY_WITHIN_DAYS * DAY).toISOString();
  const orgs = db.prepare(`SELECT id, name, ${revisionSql('id')} AS revision FROM organisations WHERE region_id = ? ORDER BY name`).all(regionId) as { id: number; name: string; revision: number }[];
  const figures = orgBenchmarks(db, orgs, since, replyCutoff);
  const rows = orgs.map((o): CptsFigures => {
    const f = figures.get(o.id)!;
    const own = f.hireDays;
    return {
      organisationId: o.id,
      name: o.name,
      timeToHireDays: own.length ? Math.round(median(own)!) : null,
      hires: own.length,
      applicationsPerPosting: f.postings ? round1(f.applications / f.postings) : null,
      postings: f.postings,
      answeredShare: f.base ? Math.round((100 * f.answered) / f.base) : null,
      replyBase: f.base,
    };
  });
  const of = (k: 'timeToHireDays' | 'applicationsPerPosting' | 'answeredShare') => rows.map((r) => r[k]).filter((x): x is number => x !== null);
  const region = { timeToHireDays: median(of('timeToHireDays')), applicationsPerPosting: round1(median(of('applicationsPerPosting'))), answeredShare: median(of('answeredShare')) };
  return { rows, region: { ...region, timeToHireDays: region.timeToHireDays === null ? null : Math.round(region.timeToHireDays), answeredShare: region.answeredShare === null ? null : Math.round(region.answeredShare) }, since };
}

/** One CPTS's figures beside its region's medians (its reports page). */
export function cptsBenchmarks(db: DB, organisationId: number, now = new Date()) {
  const org = db.prepare('SELECT region_id FROM organisations WHERE id = ?').get(organisationId) as { region_id: number } | undefined;
  if (!org) return undefined;
  const all = regionBenchmarks(db, org.region_id, now);
  return { own: all.rows.find((r) => r.organisationId === organisationId)!, region: all.region, cptsCount: all.rows.length };
}
