/**
 * Funding of a CPTS's team from its ACI operating envelope: the region keeps the amounts per
 * size and year (with their source), the bureau records what is committed, and the check
 * answers "can we afford this post?" on the workload review, on posting drafts and on a
 * printable sheet. Who may see what: the figures belong to the CPTS's bureau; the region keeps
 * the envelopes and sees, per CPTS, only whether a hire would be affordable.
 */
import { keptWhile, type RevisionedTable } from '../../core/revisions.js';
import { labelFields, type PostingLabelFields } from '../../core/posting-label.js';
import { audit } from '../../core/audit.js';
import type { DB } from '../../core/db.js';
import { nowIso } from '../../core/db.js';
import { NotFound } from '../../core/errors.js';
import { parisDay } from '../../core/i18n.js';
import { can, canViewRegion, type Actor } from '../../core/policy.js';
import { templateTerms } from '../jobs/service.js';
import { checkFunding, commitmentCost, marginOf, type CheckResult, type Commitment, type Envelope, type PostTerms } from './compute.js';
import * as q from './queries.js';
import type { CommitmentInput, EnvelopeInput, ProfileInput } from './schemas.js';

export const SIZES = [1, 2, 3, 4] as const;

export const currentYear = (now = new Date()) => Number(parisDay(now).slice(0, 4));

// ---- who may do what -----------------------------------------------------------------------

/** The CPTS's costs and its funding check: its bureau, nobody else. */
export function mayManageCosts(actor: Actor | undefined, org: { id: number; region_id: number }): boolean {
  return can(actor, 'funding.manage', org);
}

/** The envelope amounts of a region: its chargés de mission and the instance admin. */
export function mayEditEnvelopes(actor: Actor | undefined, regionId: number): boolean {
  return canViewRegion(actor, regionId);
}

function manageableOrg(db: DB, actor: Actor, organisationId: number): q.OrgRow {
  const org = q.organisationById(db, organisationId);
  if (!org || !mayManageCosts(actor, org)) throw new NotFound();
  return org;
}

function editableRegion(db: DB, actor: Actor, regionId: number) {
  const region = q.regionById(db, regionId);
  if (!region || !mayEditEnvelopes(actor, region.id)) throw new NotFound();
  return region;
}

// ---- data to the computation -----------------------------------------------------------------

export function toEnvelope(row: q.EnvelopeRow | undefined): (Envelope & { updatedByName: string | null; updatedAt: string }) | undefined {
  if (!row) return undefined;
  return { amount: row.amount, source: row.source, sourceDate: row.source_date, origin: row.region_id === null ? 'reference' : 'region', updatedByName: row.updated_by_name, updatedAt: row.updated_at };
}

export function toCommitment(row: q.CommitmentRow): Commitment {
  return row.kind === 'post'
    ? { kind: 'post', grossSalary: row.gross_salary ?? 0, ftePercent: row.fte_percent ?? 0, employerRatePercent: row.employer_rate_percent ?? 0 }
    : { kind: 'other', amount: row.amount ?? 0 };
}

function toProfile(row: q.ProfileRow | undefined) {
  return row ? { aciSize: row.aci_size, aciStartYear: row.aci_start_year, newPostRatePercent: row.new_post_rate_percent } : undefined;
}

/** Everything the check needs for one CPTS and year, read in four statements. */
function checkOf(db: DB, org: q.OrgRow, year: number, post: PostTerms): CheckResult & { envelopeRow?: ReturnType<typeof toEnvelope> } {
  const profile = toProfile(q.profileOf(db, org.id));
  const envelopeRow = profile ? toEnvelope(q.envelopeFor(db, org.region_id, profile.aciSize, year)) : undefined;
  const result = checkFunding({ year, profile, envelope: envelopeRow, commitments: q.commitmentsOf(db, org.id).map(toCommitment), post });
  return { ...result, envelopeRow };
}

export type FundingCheckView = ReturnType<typeof checkOf> & {
  org: { id: number; name: string; region_id: number };
  size?: number;
  /** `label`: the posting's fields that tell it apart (server/core/posting-label.ts), when the post is a posting. */
  post: { title: string; kind: 'posting' | 'reference'; postingId?: number; label?: PostingLabelFields };
  sheetUrl: string;
};

const referencePost = () => {
  const t = templateTerms('case_manager');
  return { title: t.title, terms: { salaryMin: t.salary_min, salaryMax: t.salary_max, ftePercent: t.fte_percent } satisfies PostTerms };
};

type PostingLike = { id: number; organisation_id: number; salary_min: number | null; salary_max: number | null; fte_percent: number | null; hours_per_week: number | null; start_date: string | null } & PostingLabelFields;

/** The year a posting's check is made for: the year it starts, or this year. */
export function checkYear(startDate: string | null | undefined, now = new Date()): number {
  return startDate && /^\d{4}-/.test(startDate) ? Number(startDate.slice(0, 4)) : currentYear(now);
}

/** The check of one posting, for its bureau; undefined for anyone else (the page shows none). */
export function checkForPosting(db: DB, actor: Actor, posting: PostingLike, now = new Date()): FundingCheckView | undefined {
  const org = q.organisationById(db, posting.organisation_id);
  if (!org || !mayManageCosts(actor, org)) return undefined;
  const year = checkYear(posting.start_date, now);
  const check = checkOf(db, org, year, { salaryMin: posting.salary_min, salaryMax: posting.salary_max, ftePercent: posting.fte_percent, hoursPerWeek: posting.hours_per_week });
  return {
    ...check,
    org: { id: org.id, name: org.name, region_id: org.region_id },
    size: q.profileOf(db, org.id)?.aci_size,
    post: { title: posting.title, kind: 'posting', postingId: posting.id, label: labelFields(posting) },
    sheetUrl: `/organisations/${org.id}/financement/fiche?offre=${posting.id}`,
  };
}

/** The check of the case-manager post the shipped template proposes (before any draft exists). */
export function checkForReferencePost(db: DB, actor: Actor, organisationId: number, now = new Date()): FundingCheckView | undefined {
  const org = q.organisationById(db, organisationId);
  if (!org || !mayManageCosts(actor, org)) return undefined;
  const ref = referencePost();
  const check = checkOf(db, org, currentYear(now), ref.terms);
  return {
    ...check,
    org: { id: org.id, name: org.name, region_id: org.region_id },
    size: q.profileOf(db, org.id)?.aci_size,
    post: { title: ref.title, kind: 'reference' },
    sheetUrl: `/organisations/${org.id}/financement/fiche`,
  };
}

/**
 * The check shown in a workload review: of the case-manager draft it opened, when there is one,
 * else of the template's post.
 */
export function checkForWorkloadReview(db: DB, actor: Actor, organisationId: number, postingId: number | null | undefined, now = new Date()): FundingCheckView | undefined {
  const org = q.organisationById(db, organisationId);
  if (!org || !mayManageCosts(actor, org)) return undefined;
  const posting = postingId ? q.postingOf(db, org.id, postingId) : undefined;
  return posting ? checkForPosting(db, actor, posting, now) : checkForReferencePost(db, actor, org.id, now);
}

/** The printable sheet: a posting of the CPTS, or the reference post; another CPTS's posting is a 404. */
export function sheet(db: DB, actor: Actor, organisationId: number, posting: PostingLike | undefined, now = new Date()): FundingCheckView {
  const org = manageableOrg(db, actor, organisationId);
  if (posting && posting.organisation_id !== org.id) throw new NotFound();
  const view = posting ? checkForPosting(db, actor, posting, now) : checkForReferencePost(db, actor, org.id, now);
  if (!view) throw new NotFound();
  return view;
}

// ---- the CPTS's costs --------------------------------------------------------------------------

/** The CPTS whose costs the actor manages; anyone else gets a 404. */
export function costsOrganisation(db: DB, actor: Actor, organisationId: number): q.OrgRow {
  return manageableOrg(db, actor, organisationId);
}

export function costsPage(db: DB, actor: Actor, organisationId: number, now = new Date()) {
  const org = manageableOrg(db, actor, organisationId);
  const year = currentYear(now);
  const profile = q.profileOf(db, org.id);
  const rows = q.commitmentsOf(db, org.id);
  const commitments = rows.map((c) => ({ ...c, yearly: commitmentCost(toCommitment(c)) }));
  const envelope = profile ? toEnvelope(q.envelopeFor(db, org.region_id, profile.aci_size, year)) : undefined;
  const margin = profile && year >= profile.aci_start_year ? marginOf(envelope, rows.map(toCommitment)) : undefined;
  const years = profile ? q.envelopesOfRegion(db, org.region_id).filter((e) => e.size_class === profile.aci_size) : [];
  // Per year, the region's row wins over the reference.
  const bySize = new Map<number, q.EnvelopeRow>();
  for (const e of years) if (!bySize.has(e.year) || e.region_id !== null) bySize.set(e.year, e);
  return {
    org,
    year,
    profile,
    commitments,
    envelope,
    margin,
    total: commitments.reduce((s, c) => s + c.yearly, 0),
    sizeEnvelopes: [...bySize.values()].sort((a, b) => a.year - b.year).map((e) => ({ ...e, origin: e.region_id === null ? 'reference' : 'region' })),
    check: checkForReferencePost(db, actor, org.id, now),
  };
}

export function profileFormValues(page: ReturnType<typeof costsPage>) {
  return page.profile
    ? { aci_size: String(page.profile.aci_size), aci_start_year: String(page.profile.aci_start_year), new_post_rate_percent: String(page.profile.new_post_rate_percent) }
    : { aci_size: String(page.org.size_class), aci_start_year: '', new_post_rate_percent: '' };
}

export function saveProfile(db: DB, actor: Actor, organisationId: number, input: ProfileInput, now = new Date()): void {
  db.transaction(() => {
    const org = manageableOrg(db, actor, organisationId);
    q.upsertProfile(db, org.id, { aciSize: input.aci_size, aciStartYear: input.aci_start_year, newPostRatePercent: input.new_post_rate_percent }, actor.id, nowIso(now));
    audit(db, { actorUserId: actor.id, actorLabel: actor.email, action: 'funding.profile.saved', organisationId: org.id, targetType: 'organisation', targetId: org.id, details: { aciSize: input.aci_size, aciStartYear: input.aci_start_year } });
  })();
}

function commitmentFields(input: CommitmentInput): q.CommitmentFields {
  return input.kind === 'post'
    ? { kind: 'post', label: input.label, gross_salary: input.gross_salary, fte_percent: input.fte_percent, employer_rate_percent: input.employer_rate_percent, amount: null }
    : { kind: 'other', label: input.label, gross_salary: null, fte_percent: null, employer_rate_percent: null, amount: input.amount };
}

export function addCommitment(db: DB, actor: Actor, organisationId: number, input: CommitmentInput, now = new Date()): number {
  return db.transaction(() => {
    const org = manageableOrg(db, actor, organisationId);
    const id = q.insertCommitment(db, org.id, commitmentFields(input), actor.id, nowIso(now));
    audit(db, { actorUserId: actor.id, actorLabel: actor.email, action: 'funding.commitment.added', organisationId: org.id, targetType: 'funding_commitment', targetId: id, details: { kind: input.kind } });
    return id;
  })();
}

export function editableCommitment(db: DB, actor: Actor, organisationId: number, commitmentId: number) {
  const org = manageableOrg(db, actor, organisationId);
  const commitment = q.commitmentOf(db, org.id, commitmentId);
  if (!commitment) throw new NotFound();
  return { org, commitment };
}

export function commitmentFormValues(c: q.CommitmentRow): Record<string, string> {
  return {
    kind: c.kind,
    label: c.label,
    gross_salary: c.gross_salary === null ? '' : String(c.gross_salary),
    fte_percent: c.fte_percent === null ? '' : String(c.fte_percent),
    employer_rate_percent: c.employer_rate_percent === null ? '' : String(c.employer_rate_percent),
    amount: c.amount === null ? '' : String(c.amount),
  };
}

export function updateCommitment(db: DB, actor: Actor, organisationId: number, commitmentId: number, input: CommitmentInput, now = new Date()): void {
  db.transaction(() => {
    const { org, commitment } = editableCommitment(db, actor, organisationId, commitmentId);
    q.updateCommitment(db, org.id, commitment.id, commitmentFields(input), nowIso(now));
    audit(db, { actorUserId: actor.id, actorLabel: actor.email, action: 'funding.commitment.updated', organisationId: org.id, targetType: 'funding_commitment', targetId: commitment.id, details: { kind: input.kind } });
  })();
}

export function removeCommitment(db: DB, actor: Actor, organisationId: number, commitmentId: number): void {
  db.transaction(() => {
    const { org, commitment } = editableCommitment(db, actor, organisationId, commitmentId);
    q.deleteCommitment(db, org.id, commitment.id);
    audit(db, { actorUserId: actor.id, actorLabel: actor.email, action: 'funding.commitment.removed', organisationId: org.id, targetType: 'funding_commitment', targetId: commitment.id });
  })();
}

// ---- the region's envelopes ----------------------------------------------------------------------

export type EnvelopeCell = { size: number; row?: q.EnvelopeRow & { origin: 'reference' | 'region' }; reference?: q.EnvelopeRow };

/** One line per year (those with amounts, and this year and next), one cell per size. */
export function envelopesPage(db: DB, actor: Actor, regionId: number, now = new Date()) {
  const region = editableRegion(db, actor, regionId);
  const rows = q.envelopesOfRegion(db, region.id);
  const year = currentYear(now);
  const years = [...new Set([...rows.map((r) => r.year), year, year + 1])].sort((a, b) => b - a);
  const grid = years.map((y) => ({
    year: y,
    cells: SIZES.map((size): EnvelopeCell => {
      const own = rows.find((r) => r.year === y && r.size_class === size && r.region_id !== null);
      const reference = rows.find((r) => r.year === y && r.size_class === size && r.region_id === null);
      const row = own ?? reference;
      return { size, row: row ? { ...row, origin: own ? 'region' : 'reference' } : undefined, reference };
    }),
  }));
  return { region, year, grid };
}

export function envelopeFormValues(page: ReturnType<typeof envelopesPage>, size?: number, year?: number): Record<string, string> {
  const line = page.grid.find((g) => g.year === year);
  const row = line?.cells.find((c) => c.size === size)?.row;
  return {
    size_class: size ? String(size) : '',
    year: String(year ?? page.year),
    amount: row ? String(row.amount) : '',
    source: row && row.origin === 'region' ? row.source : '',
    source_date: row && row.origin === 'region' ? row.source_date : '',
  };
}

export function saveEnvelope(db: DB, actor: Actor, regionId: number, input: EnvelopeInput, now = new Date()): number {
  return db.transaction(() => {
    const region = editableRegion(db, actor, regionId);
    const id = q.upsertRegionEnvelope(
      db,
      { regionId: region.id, size: input.size_class, year: input.year, amount: input.amount, source: input.source, sourceDate: input.source_date, userId: actor.id },
      nowIso(now),
    );
    audit(db, { actorUserId: actor.id, actorLabel: actor.email, action: 'funding.envelope.saved', targetType: 'funding_envelope', targetId: id, details: { regionId: region.id, size: input.size_class, year: input.year, amount: input.amount } });
    return id;
  })();
}

/** Removes a region's own amount; the shipped reference (if any) applies again. */
export function removeEnvelope(db: DB, actor: Actor, regionId: number, envelopeId: number): void {
  db.transaction(() => {
    const region = editableRegion(db, actor, regionId);
    const row = q.regionEnvelope(db, region.id, envelopeId);
    if (!row) throw new NotFound();
    q.deleteRegionEnvelope(db, region.id, row.id);
    audit(db, { actorUserId: actor.id, actorLabel: actor.email, action: 'funding.envelope.removed', targetType: 'funding_envelope', targetId: row.id, details: { regionId: region.id, size: row.size_class, year: row.year } });
  })();
}

// ---- dashboards ------------------------------------------------------------------------------------

/** The bureau dashboard's line: this year's operating margin, for the bureau only. */
export function marginForDashboard(db: DB, actor: Actor, organisationId: number, now = new Date()) {
  const org = q.organisationById(db, organisationId);
  if (!org || !mayManageCosts(actor, org)) return undefined;
  const page = costsPage(db, actor, org.id, now);
  return { org, year: page.year, profile: page.profile, envelope: page.envelope, margin: page.margin, check: page.check };
}

export type RegionalHire = { organisationId: number; name: string; decision: 'adjust' | 'open_case_manager'; decidedAt: string; planId: number; status: 'covers_high' | 'covers_low' | 'short' | 'over_committed' | 'missing' };

/**
 * CPTS of the region whose coordinator's last workload review found an overload, with whether
 * their operating margin this year would pay the case-manager post of the shipped template.
 * Only the answer leaves the CPTS, never its figures.
 */
/** What regionalHires reads (its reference post is shipped with the code). */
const REGIONAL_HIRES_TABLES = [
  'organisations',
  'regions',
  'users',
  'funding_profiles',
  'funding_envelopes',
  'funding_commitments',
  'onboarding_workload_reviews',
  'onboarding_plan_steps',
  'onboarding_plans',
] as const satisfies readonly RevisionedTable[];

export function regionalHires(db: DB, regionId: number, now = new Date()): { year: number; affordable: RegionalHire[]; others: RegionalHire[] } {
  const year = currentYear(now);
  return keptWhile(db, 'regional-hires', regionId, REGIONAL_HIRES_TABLES, String(year), () => computeRegionalHires(db, regionId, year));
}

function computeRegionalHires(db: DB, regionId: number, year: number): { year: number; affordable: RegionalHire[]; others: RegionalHire[] } {
  const ref = referencePost();
  const orgs = new Map(q.organisationsOfRegion(db, regionId).map((o) => [o.id, o]));
  const profiles = new Map(q.profilesOfRegion(db, regionId).map((p) => [p.organisation_id, p]));
  const envelopes = q.envelopesOfRegion(db, regionId).filter((e) => e.year === year);
  const commitments = q.commitmentsOfRegion(db, regionId);
  const rows = q.overloadedCoordinators(db, regionId).map((r): RegionalHire => {
    const org = orgs.get(r.organisation_id)!;
    const base = { organisationId: org.id, name: org.name, decision: r.decision, decidedAt: r.decided_at, planId: r.plan_id };
    const profile = toProfile(profiles.get(org.id));
    const envelope = profile ? (envelopes.find((e) => e.size_class === profile.aciSize && e.region_id !== null) ?? envelopes.find((e) => e.size_class === profile.aciSize)) : undefined;
    const own = commitments.filter((c) => c.organisation_id === org.id).map(toCommitment);
    const result = checkFunding({ year, profile, envelope: toEnvelope(envelope), commitments: own, post: ref.terms });
    return { ...base, status: result.verdict ?? 'missing' };
  });
  const order = new Intl.Collator('fr');
  rows.sort((a, b) => order.compare(a.name, b.name));
  return { year, affordable: rows.filter((r) => r.status === 'covers_high' || r.status === 'covers_low'), others: rows.filter((r) => r.status !== 'covers_high' && r.status !== 'covers_low') };
}
