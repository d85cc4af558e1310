import { audit } from '../../core/audit.js';
import type { DB } from '../../core/db.js';
import { nowIso } from '../../core/db.js';
import { Conflict, Invalid, NotFound, type FieldErrors } from '../../core/errors.js';
import { authorize, type Actor } from '../../core/policy.js';
import { slugify, uniqueSlug } from '../../core/slug.js';
import type { FormContext } from '../../core/validate.js';
import { checkDiscrimination } from './discrimination.js';
import { waitingDaysOf } from '../pipeline/waiting.js';
import * as q from './queries.js';
import { fillPlaceholders, jobTemplate } from './reference.js';
import type { BoardQuery, PostingInput, PostingKind, PostingStatus, TemplateKey, Transition } from './schemas.js';
import { parisDay } from '../../core/i18n.js';

export const BOARD_PAGE_SIZE = 10;

/** The calendar day in France, which is what deadlines and start dates are written in. */
export const todayInParis = parisDay;

const KIND_WORD: Record<PostingKind, string> = { coordinator: 'coordinateur', case_manager: 'gestionnaire-de-cas', other: '' };

/** Readable and stable: "coordinateur-cpts-du-pays-de-mayenne-2026"; never changes after creation. */
export function postingSlug(db: DB, kind: PostingKind, title: string, orgName: string, year: number): string {
  const word = KIND_WORD[kind] || slugify(title, 40);
  return uniqueSlug(slugify(`${word} ${orgName} ${year}`, 100), (s) => q.slugTaken(db, s));
}

function manageableOrg(db: DB, actor: Actor, organisationId: number) {
  const org = q.organisationRef(db, organisationId);
  authorize(actor, 'posting.manage', org);
  return org;
}

function recordHistory(db: DB, actor: Actor, posting: { id: number; organisation_id: number }, action: string, changes: Record<string, unknown>, now: string) {
  q.insertHistory(db, { postingId: posting.id, organisationId: posting.organisation_id, userId: actor.id, actorLabel: actor.name, action, changes, at: now });
}

/**
 * A draft posting pre-filled from a shipped template (db/reference/job-templates.json), with
 * the CPTS's name, territory, department and population in place of the placeholders.
 * Used by the bureau's "Nouvelle offre" and by onboarding's workload review.
 */
export function createPostingFromTemplate(
  db: DB,
  actor: Actor,
  organisationId: number,
  templateKey: TemplateKey,
  now = new Date(),
): { id: number; slug: string } {
  const org = manageableOrg(db, actor, organisationId);
  const tpl = jobTemplate(templateKey);
  const values = {
    cpts_name: org.name,
    territory: org.territory,
    department: org.department,
    population: new Intl.NumberFormat('fr-FR').format(org.population),
  };
  return insertDraft(db, actor, org, {
    kind: tpl.kind,
    template_key: tpl.key,
    title: fillPlaceholders(tpl.title, values),
    contract_type: tpl.contract_type,
    contract_duration_months: tpl.contract_duration_months,
    fte_percent: tpl.fte_percent,
    salary_min: tpl.salary_min,
    salary_max: tpl.salary_max,
    summary: fillPlaceholders(tpl.summary, values),
    description_md: fillPlaceholders(tpl.description_md, values),
  }, now);
}

/** The terms a shipped template proposes (title, working time, salary range), for the funding check. */
export function templateTerms(templateKey: TemplateKey): { title: string; fte_percent: number | null; salary_min: number | null; salary_max: number | null } {
  const tpl = jobTemplate(templateKey);
  return { title: tpl.title, fte_percent: tpl.fte_percent, salary_min: tpl.salary_min, salary_max: tpl.salary_max };
}

/** A nearly empty draft for another kind of post (chargé de projet, assistant...). */
export function createBlankPosting(db: DB, actor: Actor, organisationId: number, title: string, now = new Date()): { id: number; slug: string } {
  const org = manageableOrg(db, actor, organisationId);
  return insertDraft(db, actor, org, {
    kind: 'other',
    template_key: null,
    title,
    contract_type: 'CDI',
    contract_duration_months: null,
    fte_percent: 100,
    salary_min: null,
    salary_max: null,
    summary: '',
    description_md: '',
  }, now);
}

type DraftFields = Pick<q.PostingRow, 'kind' | 'template_key' | 'title' | 'contract_type' | 'contract_duration_months' | 'fte_percent' | 'salary_min' | 'salary_max' | 'summary' | 'description_md'>;

function insertDraft(db: DB, actor: Actor, org: q.OrganisationRef, f: DraftFields, now: Date): { id: number; slug: string } {
  const at = nowIso(now);
  return db.transaction(() => {
    const slug = postingSlug(db, f.kind, f.title, org.name, now.getUTCFullYear());
    const id = q.insertPosting(db, {
      ...f,
      organisation_id: org.id,
      slug,
      // The CPTS's seat by default; the bureau changes it when the post is based elsewhere.
      location: org.city || org.territory,
      street_address: org.street_address,
      postal_code: org.postal_code,
      contract_details: '',
      hours_per_week: null,
      start_date: null,
      deadline: null,
      contact_name: actor.name,
      contact_email: org.email ?? actor.email,
      created_by: actor.id,
      created_at: at,
      updated_at: at,
    });
    recordHistory(db, actor, { id, organisation_id: org.id }, 'created', f.template_key ? { template: f.template_key } : {}, at);
    audit(db, { actorUserId: actor.id, actorLabel: actor.email, action: 'posting.created', organisationId: org.id, targetType: 'posting', targetId: id });
    return { id, slug };
  })();
}

/** A posting the actor may manage, with its CPTS; anything else is a 404. */
export function managedPosting(db: DB, actor: Actor, postingId: number) {
  const posting = q.postingWithOrgById(db, postingId);
  if (!posting) throw new NotFound();
  const org = manageableOrg(db, actor, posting.organisation_id);
  return { posting, org };
}

export function postingsOfOrganisation(db: DB, actor: Actor, organisationId: number) {
  const org = manageableOrg(db, actor, organisationId);
  return { org, postings: q.postingsOfOrganisation(db, org.id), notifyMode: q.notifyModeOf(db, org.id), waitingDays: waitingDaysOf(db, org.id) };
}

export function warningsOf(p: Pick<q.PostingRow, 'title' | 'summary' | 'description_md' | 'location'>) {
  return checkDiscrimination({ title: p.title, summary: p.summary, description_md: p.description_md, location: p.location });
}

export function historyOf(db: DB, posting: { id: number; organisation_id: number }) {
  return q.historyOfPosting(db, posting.id, posting.organisation_id).map((h) => ({ ...h, changes: JSON.parse(h.changes) as Record<string, unknown> }));
}

/** What a candidate needs before a posting may be public: field -> message key. */
export function publicationProblems(p: q.EditableValues, today: string): FieldErrors {
  const problems: FieldErrors = {};
  if (!p.title.trim()) problems.title = 'errors.required';
  if (!p.location.trim()) problems.location = 'jobs.errors.requiredToPublish';
  if (p.fte_percent === null && p.hours_per_week === null) problems.working_time_value = 'jobs.errors.requiredToPublish';
  if (!p.description_md.trim()) problems.description_md = 'jobs.errors.requiredToPublish';
  if (!p.contact_email.trim()) problems.contact_email = 'jobs.errors.requiredToPublish';
  if (!p.deadline) problems.deadline = 'jobs.errors.requiredToPublish';
  else if (p.deadline < today) problems.deadline = 'jobs.errors.deadlinePast';
  if (p.contract_type === 'CDD' && !p.contract_duration_months) problems.contract_duration_months = 'jobs.errors.durationRequired';
  return problems;
}

export function toEditable(input: PostingInput): q.EditableValues {
  return {
    kind: input.kind,
    title: input.title,
    location: input.location,
    street_address: input.street_address,
    postal_code: input.postal_code,
    contract_type: input.contract_type,
    contract_duration_months: input.contract_type === 'CDD' ? (input.contract_duration_months ?? null) : null,
    contract_details: input.contract_type === 'other' ? input.contract_details : '',
    fte_percent: input.working_time_unit === 'fte' ? (input.working_time_value ?? null) : null,
    hours_per_week: input.working_time_unit === 'hours' ? (input.working_time_value ?? null) : null,
    salary_min: input.salary_min ?? null,
    salary_max: input.salary_max ?? null,
    start_date: input.start_date ?? null,
    deadline: input.deadline ?? null,
    summary: input.summary,
    description_md: input.description_md,
    contact_name: input.contact_name,
    contact_email: input.contact_email,
  };
}

/** The edit form's values for a stored posting. */
export function formValues(p: q.PostingRow): Record<string, unknown> {
  return {
    ...p,
    working_time_unit: p.hours_per_week !== null ? 'hours' : 'fte',
    working_time_value: p.hours_per_week ?? p.fte_percent ?? '',
    contract_duration_months: p.contract_duration_months ?? '',
    salary_min: p.salary_min ?? '',
    salary_max: p.salary_max ?? '',
    start_date: p.start_date ?? '',
    deadline: p.deadline ?? '',
  };
}

const clip = (v: unknown) => (typeof v === 'string' && v.length > 160 ? `${v.slice(0, 157)}…` : v);

/** Saves the edit form; a published posting must stay complete. Returns the changed fields. */
export function updatePosting(db: DB, actor: Actor, postingId: number, input: PostingInput, form: FormContext, now = new Date()): string[] {
  const at = nowIso(now);
  return db.transaction(() => {
    const { posting } = managedPosting(db, actor, postingId);
    const next = toEditable(input);
    if (posting.status === 'published') {
      const problems = publicationProblems(next, todayInParis(now));
      if (Object.keys(problems).length) throw new Invalid(problems, form.view, form.locals);
    }
    const changes: Record<string, [unknown, unknown]> = {};
    for (const f of q.EDITABLE_FIELDS) {
      if (posting[f] !== next[f]) changes[f] = f === 'description_md' ? ['…', '…'] : [clip(posting[f]), clip(next[f])];
    }
    if (Object.keys(changes).length === 0) return [];
    q.updatePostingFields(db, posting.id, next, at);
    recordHistory(db, actor, posting, 'updated', changes, at);
    return Object.keys(changes);
  })();
}

const NEXT_STATUS: Record<Transition, { from: PostingStatus[]; to: PostingStatus; history: string }> = {
  publish: { from: ['draft'], to: 'published', history: 'published' },
  close: { from: ['published'], to: 'closed', history: 'closed' },
  fill: { from: ['published', 'closed'], to: 'filled', history: 'filled' },
  reopen: { from: ['closed'], to: 'published', history: 'reopened' },
};

export function allowedTransitions(status: PostingStatus): Transition[] {
  return (Object.keys(NEXT_STATUS) as Transition[]).filter((t) => NEXT_STATUS[t].from.includes(status));
}

/**
 * draft → published → closed → filled, and closed → published again. Publishing checks the
 * fields a candidate needs and throws Invalid (the edit form, with messages) when some lack.
 */
export function transitionPosting(db: DB, actor: Actor, postingId: number, transition: Transition, form: (p: q.PostingRow) => FormContext, now = new Date()): PostingStatus {
  const at = nowIso(now);
  return db.transaction(() => {
    const { posting } = managedPosting(db, actor, postingId);
    const rule = NEXT_STATUS[transition];
    if (!rule.from.includes(posting.status)) throw new Conflict(`cannot ${transition} a ${posting.status} posting`);
    if (rule.to === 'published') {
      const problems = publicationProblems(posting, todayInParis(now));
      if (Object.keys(problems).length) {
        const ctx = form(posting);
        throw new Invalid({ ...problems, _form: 'jobs.errors.incompleteToPublish' }, ctx.view, ctx.locals);
      }
    }
    q.setStatus(db, posting.id, rule.to, at);
    recordHistory(db, actor, posting, rule.history, { status: [posting.status, rule.to] }, at);
    audit(db, { actorUserId: actor.id, actorLabel: actor.email, action: `posting.${rule.history}`, organisationId: posting.organisation_id, targetType: 'posting', targetId: posting.id });
    return rule.to;
  })();
}

/**
 * Deletes a draft that was never published (nobody can have applied to it), with what was
 * prepared for it. Anything else is a Conflict: a posting that was public keeps its record.
 */
export function deleteDraft(db: DB, actor: Actor, postingId: number): { title: string; organisationId: number } {
  return db.transaction(() => {
    const { posting } = managedPosting(db, actor, postingId);
    if (posting.status !== 'draft' || posting.published_at !== null || q.applicationCount(db, posting.id) > 0) throw new Conflict('only a draft never published can be deleted');
    q.deletePosting(db, posting.id);
    audit(db, { actorUserId: actor.id, actorLabel: actor.email, action: 'posting.deleted', organisationId: posting.organisation_id, targetType: 'posting', targetId: posting.id, details: { title: posting.title } });
    return { title: posting.title, organisationId: posting.organisation_id };
  })();
}

export function setNotifyMode(db: DB, actor: Actor, organisationId: number, mode: 'each' | 'digest', now = new Date()): void {
  const org = manageableOrg(db, actor, organisationId);
  db.transaction(() => {
    q.upsertNotifyMode(db, org.id, mode, actor.id, nowIso(now));
    audit(db, { actorUserId: actor.id, actorLabel: actor.email, action: 'recruitment.notify_mode', organisationId: org.id, details: { mode } });
  })();
}

/** After how many days without a reply an application is listed as waiting (dashboard, digest). */
export function setWaitingDays(db: DB, actor: Actor, organisationId: number, days: number, now = new Date()): void {
  const org = manageableOrg(db, actor, organisationId);
  db.transaction(() => {
    q.upsertWaitingDays(db, org.id, days, actor.id, nowIso(now));
    audit(db, { actorUserId: actor.id, actorLabel: actor.email, action: 'recruitment.waiting_days', organisationId: org.id, details: { days } });
  })();
}

export function notifyModeOf(db: DB, organisationId: number): 'each' | 'digest' {
  return q.notifyModeOf(db, organisationId);
}

// ---- public side ----------------------------------------------------------------------------------

export function publicBoard(db: DB, query: BoardQuery, now = new Date()) {
  const today = todayInParis(now);
  const filter: q.BoardFilter = { today, region: query.region, department: query.department || undefined, kind: query.kind, contract: query.contract };
  const total = q.countBoard(db, filter);
  const pages = Math.max(1, Math.ceil(total / BOARD_PAGE_SIZE));
  const page = Math.min(query.page, pages);
  return { postings: q.board(db, filter, BOARD_PAGE_SIZE, (page - 1) * BOARD_PAGE_SIZE), total, page, pages, facets: q.boardFacets(db, today) };
}

/** Every open posting, newest first, for the Atom feed. */
export function openPostings(db: DB, now = new Date(), limit = 100) {
  return q.board(db, { today: todayInParis(now) }, limit, 0);
}

export function careersPage(db: DB, orgSlug: string, now = new Date()) {
  const org = q.organisationBySlug(db, orgSlug);
  if (!org) throw new NotFound();
  return { org, postings: q.board(db, { today: todayInParis(now), organisationId: org.id }, 100, 0) };
}

/** Open: published and its deadline not passed. */
export function isOpen(p: Pick<q.PostingRow, 'status' | 'deadline'>, now = new Date()): boolean {
  return p.status === 'published' && (!p.deadline || p.deadline >= todayInParis(now));
}

/** The public posting: a draft is a 404, a closed or filled one answers 410 with a short page. */
export function publicPosting(db: DB, slug: string): q.PublicPostingRow {
  const posting = q.postingBySlug(db, slug);
  if (!posting || posting.status === 'draft') throw new NotFound();
  return posting;
}

/** For the apply route: the posting by slug, whatever its status (the route decides). */
export function postingForApplication(db: DB, slug: string) {
  return q.postingBySlug(db, slug);
}

/** The Reply-To of mails to a posting's candidates (the CPTS contact; the sender is a no-reply). */
export function candidateReplyTo(db: DB, postingId: number): string | null {
  return q.replyAddressOfPosting(db, postingId);
}
