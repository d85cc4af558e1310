/**
 * Panel calibration: how far the panels of a region agree, per criterion and per posting
 * (Krippendorff's alpha for ordinal ratings, with a bootstrap interval), and how each panelist
 * rates against the others (leniency, spread).
 *
 * Independence: a rating counts only where the rule that protects it already lets the viewer
 * see the results. The region's figures use the candidates whose whole current panel has
 * submitted (what the bureau and the chargée see anyway); a panelist's own figures use the
 * candidates on which they submitted. Panelists never see each other's figures.
 */
import type { DB } from '../../core/db.js';
import { NotFound } from '../../core/errors.js';
import type { Actor } from '../../core/policy.js';
import { regionIdsOf } from '../../core/policy.js';
import { alphaOfPatterns, bootstrapAlpha, coincidencesOf } from './alpha.js';
import { median, overallSpread, raterStats, type Rating } from './panelists.js';
import * as q from './queries.js';

/** Below this, a figure is "not enough data" rather than a noisy number. */
export const MIN_UNITS = 10;
export const MIN_PAIRABLE = 20;
/** Comparisons a panelist needs before their leniency is shown. */
export const MIN_COMPARED = 10;
/** Bootstrap samples: 1,000 for the region's criteria, fewer for each of its many recruitments. */
const POSTING_SAMPLES = 200;
/** Krippendorff's thresholds: 0.800 for conclusions, 0.667 for tentative ones. */
export const GOOD_ALPHA = 0.8;
export const TENTATIVE_ALPHA = 0.667;

export type Agreement =
  | { enough: false; units: number; pairable: number }
  | { enough: true; units: number; pairable: number; alpha: number; low: number; high: number; reading: 'good' | 'tentative' | 'low' };

function agreement(units: (number | null)[][], seed: number, samples = 1000): Agreement {
  const c = coincidencesOf(units);
  const { alpha, pairable, units: count } = alphaOfPatterns(c, c.counts, 'ordinal');
  if (count < MIN_UNITS || pairable < MIN_PAIRABLE || alpha === undefined) return { enough: false, units: count, pairable };
  const interval = bootstrapAlpha(c, 'ordinal', { samples, seed });
  return {
    enough: true,
    units: count,
    pairable,
    alpha,
    low: interval?.low ?? alpha,
    high: interval?.high ?? alpha,
    reading: alpha >= GOOD_ALPHA ? 'good' : alpha >= TENTATIVE_ALPHA ? 'tentative' : 'low',
  };
}

/** The candidates whose every current panel member has a current submitted evaluation. */
function completeApplications(rows: q.RatingRow[], members: { posting_id: number; user_id: number }[]): Set<number> {
  const panel = new Map<number, Set<number>>();
  for (const m of members) {
    const set = panel.get(m.posting_id) ?? new Set<number>();
    set.add(m.user_id);
    panel.set(m.posting_id, set);
  }
  const submitters = new Map<number, { posting: number; raters: Set<number> }>();
  for (const r of rows) {
    const s = submitters.get(r.application_id) ?? { posting: r.posting_id, raters: new Set<number>() };
    s.raters.add(r.rater);
    submitters.set(r.application_id, s);
  }
  const complete = new Set<number>();
  for (const [applicationId, s] of submitters) {
    const needed = panel.get(s.posting);
    if (needed && needed.size > 0 && [...needed].every((id) => s.raters.has(id))) complete.add(applicationId);
  }
  return complete;
}

/** Units (candidate × criterion) with one value per rater, for alpha. */
function unitsOf(rows: q.RatingRow[], key: (r: q.RatingRow) => string | number): Map<string | number, (number | null)[][]> {
  const grouped = new Map<string | number, Map<string, number[]>>();
  for (const r of rows) {
    const g = key(r);
    const units = grouped.get(g) ?? new Map<string, number[]>();
    const unit = `${r.application_id}:${r.criterion}`;
    const values = units.get(unit) ?? [];
    values.push(r.level);
    units.set(unit, values);
    grouped.set(g, units);
  }
  return new Map([...grouped].map(([g, units]) => [g, [...units.values()]]));
}

const ratingsFor = (rows: q.RatingRow[]): Rating[] => rows.map((r) => ({ rater: r.rater, unit: `${r.application_id}:${r.criterion}`, value: r.level }));

export type RegionCalibration = ReturnType<typeof computeRegion>;

/** Computed figures per region, kept while the region's evaluations and panels are unchanged. */
const computedByDb = new WeakMap<DB, Map<number, { fingerprint: string; result: RegionCalibration }>>();
const MAX_CACHED_REGIONS = 50;

/** The region's page, for its chargés de mission only (recruitment data: not the instance admin). */
export function regionCalibration(db: DB, actor: Actor, regionId: number): RegionCalibration {
  if (!regionIdsOf(actor).includes(regionId)) throw new NotFound();
  const region = q.regionById(db, regionId);
  if (!region) throw new NotFound();
  // The same for every chargée of the region, and costly (bootstrap intervals): computed once
  // per state of the data, recomputed as soon as an evaluation or a panel changes.
  const fingerprint = q.regionFingerprint(db, regionId);
  let computed = computedByDb.get(db);
  if (!computed) computedByDb.set(db, (computed = new Map()));
  const hit = computed.get(regionId);
  if (hit && hit.fingerprint === fingerprint) return hit.result;
  const result = computeRegion(db, region);
  computed.delete(regionId);
  computed.set(regionId, { fingerprint, result });
  if (computed.size > MAX_CACHED_REGIONS) computed.delete(computed.keys().next().value!);
  return result;
}

function computeRegion(db: DB, region: { id: number; name: string }) {
  const regionId = region.id;
  const all = q.ratingsOfRegion(db, regionId);
  const complete = completeApplications(all, q.panelMembersOfRegion(db, regionId));
  const rows = all.filter((r) => complete.has(r.application_id));

  const descriptors = new Map(q.descriptorsOfRegion(db, regionId).map((d) => [d.criterion, d]));
  const labels = new Map<string, string>();
  for (const r of rows) if (!labels.has(r.criterion)) labels.set(r.criterion, r.criterion_label);
  const byCriterion = unitsOf(rows, (r) => r.criterion);
  const criteria = [...byCriterion]
    .map(([criterion, units], i) => ({ criterion: String(criterion), label: labels.get(String(criterion)) ?? String(criterion), descriptor: descriptors.get(String(criterion)), agreement: agreement(units, 1 + i) }))
    .sort((a, b) => a.label.localeCompare(b.label, 'fr'));

  const byPosting = unitsOf(rows, (r) => r.posting_id);
  const titles = new Map(q.postingTitles(db, [...byPosting.keys()] as number[]).map((p) => [p.id, p]));
  const postings = [...byPosting]
    .map(([postingId, units], i) => ({ posting: titles.get(postingId as number)!, agreement: agreement(units, 1000 + i, POSTING_SAMPLES) }))
    .filter((p) => p.posting)
    .sort((a, b) => a.posting.org_name.localeCompare(b.posting.org_name, 'fr') || a.posting.title.localeCompare(b.posting.title, 'fr'));

  const ratings = ratingsFor(rows);
  const names = new Map<number, string>();
  for (const r of rows) names.set(r.rater, r.rater_name);
  const panelists = raterStats(ratings)
    .map((s) => ({ ...s, name: names.get(s.rater) ?? '', enough: s.compared >= MIN_COMPARED }))
    .sort((a, b) => a.name.localeCompare(b.name, 'fr'));
  const leniencies = panelists.filter((p) => p.enough && p.leniency !== undefined).map((p) => Math.abs(p.leniency!));
  return {
    region,
    criteria,
    postings,
    panelists,
    overall: agreement([...unitsOf(rows, () => 'all').values()][0] ?? [], 7),
    regionSpread: overallSpread(ratings),
    typicalLeniency: median(leniencies),
    candidates: complete.size,
  };
}

/**
 * A panelist's own figures, per region they rated in: their leniency and spread against the
 * others on the candidates where they submitted, beside the region's spread and the typical
 * size of a leniency there (numbers that show no other panelist's rating).
 */
export function myCalibration(db: DB, actor: Actor) {
  const rows = q.ratingsOfPostingsRatedBy(db, actor.id);
  const mine = new Set(rows.filter((r) => r.rater === actor.id).map((r) => r.application_id));
  const visible = rows.filter((r) => mine.has(r.application_id));
  const regions = [...new Set(visible.map((r) => r.region_id))];
  return regions.map((regionId) => {
    const inRegion = visible.filter((r) => r.region_id === regionId);
    const own = raterStats(ratingsFor(inRegion)).find((s) => s.rater === actor.id)!;
    const region = regionFigures(db, regionId);
    return { region: q.regionById(db, regionId)!, own: { ...own, enough: own.compared >= MIN_COMPARED }, ...region };
  });
}

/** The region's spread and typical leniency, over complete panels only. */
function regionFigures(db: DB, regionId: number) {
  const all = q.ratingsOfRegion(db, regionId);
  const complete = completeApplications(all, q.panelMembersOfRegion(db, regionId));
  const ratings = ratingsFor(all.filter((r) => complete.has(r.application_id)));
  const leniencies = raterStats(ratings)
    .filter((s) => s.compared >= MIN_COMPARED && s.leniency !== undefined)
    .map((s) => Math.abs(s.leniency!));
  return { regionSpread: overallSpread(ratings), typicalLeniency: median(leniencies) };
}

/** Whether the actor has any submitted evaluation (the link to their own calibration shows then). */
export function hasRated(db: DB, actor: Actor): boolean {
  return q.hasSubmitted(db, actor.id);
}
