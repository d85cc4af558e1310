import { daysWaiting, waitingApplications, waitingDaysOf } from '../pipeline/waiting.js';
import type { DB } from '../../core/db.js';
import * as q from './queries.js';
import { perOrganisation } from './summary.js';
import { keptWhile, type RevisionedTable } from '../../core/revisions.js';

const DAY = 86_400_000;

import { parisDay } from '../../core/i18n.js';

export { parisDay };

export const daysBetween = (fromIso: string, to: Date) => Math.max(0, Math.floor((to.getTime() - new Date(fromIso).getTime()) / DAY));

/** Days within which a candidate should hear from the CPTS (regional benchmarks; the bureau's applications waiting for a reply). */
export const REPLY_WITHIN_DAYS = 15;

/** Mails that are not a reply: the automatic acknowledgement and link mails, and the region's pool proposals. */
export const NOT_A_REPLY = ['applications.ack', 'applications.reapply', 'pool.proposal'] as const;

/**
 * The one definition of "the candidate was answered", as SQL for the moment of the first reply to
 * the application aliased `a` (NULL while none): the first mail about it (outbox_applications)
 * sent by its CPTS to the candidate's own address that is not in NOT_A_REPLY (a stage mail, a
 * rejection, an interview invitation, a decision...), or the application leaving its first
 * stage (a move out of the 'new' stage), whichever came first. Used by the regional benchmarks
 * (benchmarks.ts) and meant for any list of applications waiting for a reply.
 */
export function firstReplySql(a: string): string {
  const excluded = NOT_A_REPLY.map((t) => `'${t}'`).join(', ');
  return `(SELECT MIN(t) FROM (
      SELECT MIN(o.created_at) AS t FROM outbox_applications l JOIN outbox o ON o.id = l.outbox_id JOIN candidates rc ON rc.id = ${a}.candidate_id
      WHERE l.application_id = ${a}.id AND o.organisation_id = ${a}.organisation_id AND lower(o.to_address) = lower(rc.email) AND o.template NOT IN (${excluded})
      UNION ALL
      SELECT MIN(m.created_at) FROM pipeline_moves m JOIN pipeline_stages fs ON fs.id = m.from_stage_id WHERE m.application_id = ${a}.id AND fs.kind = 'new'))`;
}

/** Running applications of a CPTS still without a reply (firstReplySql), oldest first, with their age in days. */
export function applicationsWithoutReply(db: DB, organisationId: number, now = new Date()): { id: number; posting_id: number; created_at: string; days: number }[] {
  const rows = db
    .prepare(
      `SELECT a.id, a.posting_id, a.created_at FROM applications a
       WHERE a.organisation_id = ? AND a.status NOT IN ('withdrawn', 'hired', 'rejected') AND ${firstReplySql('a')} IS NULL ORDER BY a.created_at, a.id`,
    )
    .all(organisationId) as { id: number; posting_id: number; created_at: string }[];
  return rows.map((r) => ({ ...r, days: daysBetween(r.created_at, now) }));
}

export type StageCounts = Record<(typeof q.ACTIVE_STAGE_KEYS)[number] | 'other', number> & { total: number };

function emptyCounts(): StageCounts {
  return { new: 0, screening: 0, interview: 0, jury: 0, offer: 0, other: 0, total: 0 };
}

function addCount(counts: StageCounts, key: string, n: number) {
  if (key in counts && key !== 'total') {
    counts[key as keyof StageCounts] += n;
    counts.total += n;
  }
}

export type Attention = 'vacancy_no_posting' | 'overdue_steps' | 'review_due' | 'stale_posting' | 'vacancy';

export type RegionRow = {
  id: number;
  name: string;
  department: string;
  coordinators: string | null;
  openPostings: number;
  daysSincePosting: number | null;
  stages: StageCounts;
  panels: number;
  coordinatorPlans: number;
  onboardingPercent: number | null;
  overdue: number;
  reviewsDue: number;
  attention: Attention[];
  score: number;
};

/** A posting still open after this many days deserves a look. */
export const STALE_POSTING_DAYS = 60;

/**
 * Every CPTS of the region in one table, sorted by what needs attention first: a vacancy with
 * no posting, then overdue onboarding steps, workload reviews due and postings open for long.
 * Five grouped statements, whatever the number of CPTS.
 */
// One collator for the sort (String#localeCompare with a locale builds one per comparison).
const FRENCH_ORDER = new Intl.Collator('fr');

/** What the regional table shows of one CPTS, kept per CPTS revision and Paris day (summary.ts). */
type OrgFigures = { day: string; postings: q.OpenPostingsAgg | undefined; stages: StageCounts; onboarding: q.OnboardingAgg | undefined };

function orgFigures(db: DB, orgs: readonly { id: number; revision: number }[], today: string): Map<number, OrgFigures> {
  return perOrganisation<OrgFigures>(
    db,
    'regional-dashboard',
    orgs,
    (v) => v.day === today, // overdue steps and reviews due depend on the day
    (ids) => {
      const out = new Map<number, OrgFigures>(ids.map((id) => [id, { day: today, postings: undefined, stages: emptyCounts(), onboarding: undefined }]));
      for (const p of q.openPostingsByOrg(db, ids)) out.get(p.organisation_id)!.postings = p;
      for (const o of q.onboardingByOrg(db, ids, today)) out.get(o.organisation_id)!.onboarding = o;
      for (const s of q.stageCountsByOrganisation(db, ids)) addCount(out.get(s.organisation_id)!.stages, s.stage_key, s.n);
      return out;
    },
  );
}

/** What the regional table reads outside the per-CPTS figures: the CPTS's names and coordinators, and the chargé(e)s' panels. */
const REGION_TABLES = ['organisations', 'memberships', 'users', 'postings', 'panel_members'] as const satisfies readonly RevisionedTable[];

export function regionalDashboard(db: DB, regionId: number, now = new Date()): RegionRow[] {
  const today = parisDay(now);
  const revisions = q.orgRevisionsOfRegion(db, regionId);
  const figures = orgFigures(db, revisions, today);
  const { orgs, panels } = keptWhile(db, 'regional-dashboard', regionId, REGION_TABLES, '', () => ({
    orgs: q.orgsOfRegion(db, regionId),
    panels: new Map(q.chargePanelsByOrg(db, regionId).map((r) => [r.organisation_id, r.panels])),
  }));
  // Both lists are of the region's CPTS; one that joined it between the two reads waits for the next request.
  const rows = orgs.filter((o) => figures.has(o.id)).map((o): RegionRow => {
    const f = figures.get(o.id)!;
    const p = f.postings;
    const ob = f.onboarding;
    const daysSincePosting = p?.oldest_published_at ? daysBetween(p.oldest_published_at, now) : null;
    const overdue = ob?.overdue ?? 0;
    const reviewsDue = ob?.reviews_due ?? 0;
    const attention: Attention[] = [];
    let score = 0;
    if (!o.coordinator_names && !p) {
      attention.push('vacancy_no_posting');
      score += 1000;
    } else if (!o.coordinator_names) {
      attention.push('vacancy');
      score += 100;
    }
    if (overdue > 0) {
      attention.push('overdue_steps');
      score += 50 + overdue;
    }
    if (reviewsDue > 0) {
      attention.push('review_due');
      score += 40 + reviewsDue;
    }
    if (daysSincePosting !== null && daysSincePosting >= STALE_POSTING_DAYS) {
      attention.push('stale_posting');
      score += 30;
    }
    return {
      id: o.id,
      name: o.name,
      department: o.department,
      coordinators: o.coordinator_names,
      openPostings: p?.open_postings ?? 0,
      daysSincePosting,
      stages: { ...f.stages }, // a copy: the cached counts are shared
      panels: panels.get(o.id) ?? 0,
      coordinatorPlans: ob?.coordinator_plans ?? 0,
      onboardingPercent: ob && ob.coordinator_steps > 0 ? Math.round((100 * ob.coordinator_done) / ob.coordinator_steps) : null,
      overdue,
      reviewsDue,
      attention,
      score,
    };
  });
  return rows.sort((a, b) => b.score - a.score || FRENCH_ORDER.compare(a.name, b.name));
}

/** The bureau's view of its CPTS: open postings per stage, this week, what waits on whom. */
export function bureauDashboard(db: DB, organisationId: number, now = new Date()) {
  const today = parisDay(now);
  const stageByPosting = new Map<number, StageCounts>();
  for (const s of q.stageCountsByPosting(db, organisationId)) {
    const counts = stageByPosting.get(s.posting_id) ?? emptyCounts();
    addCount(counts, s.stage_key, s.n);
    stageByPosting.set(s.posting_id, counts);
  }
  const postings = q.openPostingsOf(db, organisationId).map((p) => ({
    ...p,
    days: p.published_at ? daysBetween(p.published_at, now) : null,
    stages: stageByPosting.get(p.id) ?? emptyCounts(),
  }));
  const yearAgo = new Date(now.getTime() - 365 * DAY);
  return {
    postings,
    newApplications: q.newApplicationsSince(db, organisationId, new Date(now.getTime() - 7 * DAY).toISOString()),
    interviews: q.upcomingInterviews(db, organisationId, now.toISOString(), new Date(now.getTime() + 14 * DAY).toISOString()),
    evaluations: q.evaluationsWaiting(db, organisationId).filter((e) => e.waiting > 0 || e.drafts > 0),
    plans: q.recentPlans(db, organisationId, parisDay(yearAgo), today).map((p) => ({ ...p, percent: p.steps ? Math.round((100 * p.done) / p.steps) : 0 })),
    overdue: q.overdueSteps(db, organisationId, today),
    // Every candidate gets an answer: open applications without a reply (pipeline/waiting.ts).
    waiting: waitingApplications(db, [organisationId], now).map((w) => ({ ...w, days: daysWaiting(w, now) })),
    waitingDays: waitingDaysOf(db, organisationId),
  };
}

export type Report = ReturnType<typeof buildReport>;

/** Funnel, time to hire, time in stage, sources and rejection reasons for a posting and/or period. */
export function buildReport(db: DB, filter: q.ReportFilter) {
  const funnelRows = q.funnel(db, filter);
  const first = funnelRows[0]?.reached ?? 0;
  const funnel = funnelRows.map((r, i) => {
    const prev = i === 0 ? r.reached : funnelRows[i - 1]!.reached;
    return {
      stage_key: r.stage_key,
      reached: r.reached,
      fromPrevious: i === 0 || prev === 0 ? null : Math.round((100 * r.reached) / prev),
      fromStart: first === 0 ? null : Math.round((100 * r.reached) / first),
    };
  });
  const hires = q.timesToHire(db, filter).map((h) => ({ ...h, days: daysBetween(h.published_at, new Date(h.accepted_at)) }));
  const averageTimeToHire = hires.length ? Math.round(hires.reduce((s, h) => s + h.days, 0) / hires.length) : null;
  return {
    funnel,
    hires,
    averageTimeToHire,
    timeInStage: q.timeInStage(db, filter).map((s) => ({ ...s, avg_days: Math.round(s.avg_days * 10) / 10 })),
    sources: q.sources(db, filter),
    rejections: q.rejectionReasons(db, filter),
  };
}

/** The CSV writer of the exports, for features that export a table (questions' answers). */
export { frenchDate, sendCsv } from './csv.js';
