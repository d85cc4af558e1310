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
import { median, raterStats, type Rating } from './panelists.js';
import * as q from './queries.js';
import { agreementOf, coincidencesOfPatterns, regionFingerprint, regionSummaries, type Agreement } from './summaries.js';

export { GOOD_ALPHA, MIN_PAIRABLE, MIN_UNITS, TENTATIVE_ALPHA, type Agreement } from './summaries.js';
/** Comparisons a panelist needs before their leniency is shown. */
export const MIN_COMPARED = 10;
/** Bootstrap samples for the region's criteria (each recruitment's own interval takes fewer). */
const REGION_SAMPLES = 1000;
/** One collator for every sort (localeCompare builds one per call: thousands of rows). */
const french = new Intl.Collator('fr');

const ratingsFor = (rows: q.RatingRow[]): Rating[] => rows.map((r) => ({ rater: r.rater, unit: `${r.application_id}:${r.criterion}`, value: r.level }));

function sd(n: number, sum: number, sumSq: number): number | undefined {
  if (n < 2) return undefined;
  return Math.sqrt(Math.max(0, (sumSq - (sum * sum) / n) / (n - 1)));
}

export type RegionCalibration = ReturnType<typeof computeRegion>;

/** Computed figures per region, kept while the region's evaluations and panels are unchanged. */
const computedByDb = new WeakMap<DB, Map<number, { fingerprint: string; result: RegionCalibration }>>();
const MAX_CACHED_REGIONS = 50;

/** The region's page, for its chargés de mission only (recruitment data: not the instance admin). */
export function regionCalibration(db: DB, actor: Actor, regionId: number): RegionCalibration {
  if (!regionIdsOf(actor).includes(regionId)) throw new NotFound();
  const region = q.regionById(db, regionId);
  if (!region) throw new NotFound();
  return regionFigures(db, region);
}

/**
 * The same for every chargée of the region: merged from its recruitments' summaries (each
 * computed again only after it changed), and kept as a whole until any of them changes.
 */
function regionFigures(db: DB, region: { id: number; name: string }): RegionCalibration {
  const fingerprint = regionFingerprint(db, region.id);
  let computed = computedByDb.get(db);
  if (!computed) computedByDb.set(db, (computed = new Map()));
  const hit = computed.get(region.id);
  if (hit && hit.fingerprint === fingerprint) return hit.result;
  const result = computeRegion(db, region);
  computed.delete(region.id);
  computed.set(region.id, { fingerprint, result });
  if (computed.size > MAX_CACHED_REGIONS) computed.delete(computed.keys().next().value!);
  return result;
}

function computeRegion(db: DB, region: { id: number; name: string }) {
  const summaries = regionSummaries(db, region.id);

  // Per criterion: the units' patterns of every recruitment added up.
  const byCriterion = new Map<string, { label: string; id: number; updatedAt: string; byPattern: Map<number, number> }>();
  const all = new Map<number, number>();
  const raters = new Map<number, { name: string; n: number; sum: number; sumSq: number; compared: number; deviation: number }>();
  let candidates = 0;
  let n = 0;
  let sum = 0;
  let sumSq = 0;
  const withUnits: { postingId: number; agreement: Agreement }[] = [];
  for (const { postingId, summary } of summaries) {
    candidates += summary.candidates;
    if (summary.criteria.length) withUnits.push({ postingId, agreement: summary.agreement });
    for (const c of summary.criteria) {
      let entry = byCriterion.get(c.key);
      if (!entry) byCriterion.set(c.key, (entry = { label: c.label, id: c.id, updatedAt: c.updatedAt, byPattern: new Map() }));
      else if (c.updatedAt > entry.updatedAt || (c.updatedAt === entry.updatedAt && c.id > entry.id)) Object.assign(entry, { label: c.label, id: c.id, updatedAt: c.updatedAt });
      for (const [pattern, count] of c.patterns) {
        entry.byPattern.set(pattern, (entry.byPattern.get(pattern) ?? 0) + count);
        all.set(pattern, (all.get(pattern) ?? 0) + count);
      }
    }
    for (const r of summary.raters) {
      let acc = raters.get(r.rater);
      if (!acc) raters.set(r.rater, (acc = { name: r.name, n: 0, sum: 0, sumSq: 0, compared: 0, deviation: 0 }));
      acc.n += r.n;
      acc.sum += r.sum;
      acc.sumSq += r.sumSq;
      acc.compared += r.compared;
      acc.deviation += r.deviation;
      n += r.n;
      sum += r.sum;
      sumSq += r.sumSq;
    }
  }

  // Each criterion's anchors as the region's scorecards write them (the most recent wins).
  const descriptors = new Map(q.descriptorsByIds(db, [...byCriterion.values()].map((c) => c.id)).map((d) => [d.criterion, d]));
  const criteria = [...byCriterion]
    .sort((a, b) => french.compare(a[1].label, b[1].label) || (a[0] < b[0] ? -1 : 1))
    .map(([criterion, c], i) => ({ criterion, label: c.label, descriptor: descriptors.get(criterion), agreement: agreementOf(coincidencesOfPatterns(c.byPattern), 1 + i, REGION_SAMPLES) }));

  const titles = new Map(q.postingTitles(db, withUnits.map((p) => p.postingId)).map((p) => [p.id, p]));
  const postings = withUnits
    .map((p) => ({ posting: titles.get(p.postingId)!, agreement: p.agreement }))
    .filter((p) => p.posting)
    .sort((a, b) => french.compare(a.posting.org_name, b.posting.org_name) || french.compare(a.posting.title, b.posting.title) || a.posting.id - b.posting.id);

  const panelists = [...raters]
    .map(([rater, r]) => ({
      rater,
      name: r.name,
      compared: r.compared,
      leniency: r.compared ? r.deviation / r.compared : undefined,
      spread: sd(r.n, r.sum, r.sumSq),
      enough: r.compared >= MIN_COMPARED,
    }))
    .sort((a, b) => french.compare(a.name, b.name) || a.rater - b.rater);
  const leniencies = panelists.filter((p) => p.enough && p.leniency !== undefined).map((p) => Math.abs(p.leniency!));
  return {
    region,
    criteria,
    postings,
    panelists,
    overall: agreementOf(coincidencesOfPatterns(all), 7, REGION_SAMPLES),
    regionSpread: sd(n, sum, sumSq),
    typicalLeniency: median(leniencies),
    candidates,
  };
}

/** Rows of each list on the region's page; the rest is on the lists' own pages. */
export const HIGHLIGHTS = 15;

/**
 * What the region's page shows first: the recruitments with the lowest agreement (among those
 * with enough data) and the panelists whose ratings stray furthest from the others'.
 */
export function highlights(data: RegionCalibration) {
  const measured = data.postings.filter((p) => p.agreement.enough);
  const alpha = (a: Agreement) => (a.enough ? a.alpha : Infinity);
  const weakest = [...measured].sort((a, b) => alpha(a.agreement) - alpha(b.agreement) || a.posting.id - b.posting.id).slice(0, HIGHLIGHTS);
  const compared = data.panelists.filter((p) => p.enough && p.leniency !== undefined);
  const furthest = [...compared].sort((a, b) => Math.abs(b.leniency!) - Math.abs(a.leniency!) || a.rater - b.rater).slice(0, HIGHLIGHTS);
  return { weakest, measuredPostings: measured.length, furthest, comparedPanelists: compared.length };
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
    const region = regionSpreadOf(db, regionId);
    return { region: q.regionById(db, regionId)!, own: { ...own, enough: own.compared >= MIN_COMPARED }, ...region };
  });
}

/** The region's spread and typical leniency, over complete panels only (numbers of nobody in particular). */
function regionSpreadOf(db: DB, regionId: number) {
  const region = q.regionById(db, regionId)!;
  const figures = regionFigures(db, region);
  return { regionSpread: figures.regionSpread, typicalLeniency: figures.typicalLeniency };
}

/** Whether the actor has any submitted evaluation (the link to their own calibration shows then). */
export function hasRated(db: DB, actor: Actor): boolean {
  return q.hasSubmitted(db, actor.id);
}
