/**
 * Regional benchmarks (issue 17): for each CPTS of a region, over the last 12 months, the median
 * time to hire, the applications per posting and the share of candidates answered within
 * REPLY_WITHIN_DAYS, beside the region's median of the same figures (the median of its CPTS that
 * have one). Three grouped statements for the whole region, whatever the number of CPTS.
 */
import type { DB } from '../../core/db.js';
import { firstReplySql, REPLY_WITHIN_DAYS } from './service.js';

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

/** Every CPTS of the region with its figures, and the region's medians. */
export function regionBenchmarks(db: DB, regionId: number, now = new Date()): { rows: CptsFigures[]; region: RegionFigures; since: string } {
  const since = new Date(now.getTime() - 365 * DAY).toISOString();
  // Old enough to have been answered in time, or answered already: the share's base.
  const replyCutoff = new Date(now.getTime() - REPLY_WITHIN_DAYS * DAY).toISOString();
  const orgs = db.prepare('SELECT id, name FROM organisations WHERE region_id = ? ORDER BY name').all(regionId) as { id: number; name: string }[];
  const hires = db
    .prepare(
      `SELECT p.organisation_id, p.id, julianday(MIN(f.answered_at)) - julianday(p.published_at) AS days
       FROM offers f JOIN postings p ON p.id = f.posting_id JOIN organisations o ON o.id = p.organisation_id
       WHERE o.region_id = ? AND f.status = 'accepted' AND f.answered_at >= ? AND p.published_at IS NOT NULL
       GROUP BY p.id`,
    )
    .all(regionId, since) as { organisation_id: number; id: number; days: number }[];
  const volume = new Map(
    (
      db
        .prepare(
          `SELECT p.organisation_id, COUNT(DISTINCT p.id) AS postings, COUNT(a.id) AS applications
           FROM postings p JOIN organisations o ON o.id = p.organisation_id LEFT JOIN applications a ON a.posting_id = p.id
           WHERE o.region_id = ? AND p.published_at >= ? GROUP BY p.organisation_id`,
        )
        .all(regionId, since) as { organisation_id: number; postings: number; applications: number }[]
    ).map((r) => [r.organisation_id, r]),
  );
  const replies = new Map(
    (
      db
        .prepare(
          `WITH apps AS (
             SELECT a.organisation_id, a.created_at, ${firstReplySql('a')} AS replied_at
             FROM applications a JOIN organisations o ON o.id = a.organisation_id
             WHERE o.region_id = @region AND a.created_at >= @since
           )
           SELECT organisation_id,
                  SUM(CASE WHEN created_at <= @cutoff OR replied_at IS NOT NULL THEN 1 ELSE 0 END) AS base,
                  SUM(CASE WHEN replied_at IS NOT NULL AND julianday(replied_at) - julianday(created_at) <= @days THEN 1 ELSE 0 END) AS answered
           FROM apps GROUP BY organisation_id`,
        )
        .all({ region: regionId, since, cutoff: replyCutoff, days: REPLY_WITHIN_DAYS }) as { organisation_id: number; base: number; answered: number }[]
    ).map((r) => [r.organisation_id, r]),
  );
  const rows = orgs.map((o): CptsFigures => {
    const own = hires.filter((h) => h.organisation_id === o.id).map((h) => Math.max(0, h.days));
    const v = volume.get(o.id);
    const r = replies.get(o.id);
    return {
      organisationId: o.id,
      name: o.name,
      timeToHireDays: own.length ? Math.round(median(own)!) : null,
      hires: own.length,
      applicationsPerPosting: v && v.postings ? round1(v.applications / v.postings) : null,
      postings: v?.postings ?? 0,
      answeredShare: r && r.base ? Math.round((100 * r.answered) / r.base) : null,
      replyBase: r?.base ?? 0,
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
