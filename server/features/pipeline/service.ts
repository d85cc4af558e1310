import { audit } from '../../core/audit.js';
import type { DB } from '../../core/db.js';
import { nowIso } from '../../core/db.js';
import { Conflict, Invalid, NotFound } from '../../core/errors.js';
import type { Translate } from '../../core/i18n.js';
import { enqueueMail, simpleMail } from '../../core/mailer.js';
import { authorize, can, type Action, type Actor, type OrgRef } from '../../core/policy.js';
import { displayName, mayCrossLink } from './anonymity.js';
import { holdCandidateMail, queueCandidateMail, releaseHeldMails, type RenderHeld } from './candidate-mails.js';
import { candidateReplyTo } from '../jobs/service.js';
import * as q from './queries.js';
import type { BulkInput, RejectionMail, RejectionReason } from './schemas.js';
import { DEFAULT_TEMPLATES, renderTemplate, TEMPLATE_KEYS, type MailTemplate, type TemplateKey, type TemplateValues } from './templates.js';

export type MailContext = { t: Translate; baseUrl: string; ip?: string };

/** The form saw the application at another stage than where it is now. */
export class StaleForm extends Conflict {
  constructor(
    public readonly applicationId: number | null,
    public readonly currentStageName: string | null,
  ) {
    super('stale form');
  }
}

/** Moving to "Non retenu(e)" needs a reason and a mail choice: the rejection form. */
export class RejectionRequired extends Error {
  constructor(public readonly applicationId: number) {
    super('rejection requires a reason');
  }
}

const orgRef = (row: { organisation_id: number; region_id: number }): OrgRef => ({ id: row.organisation_id, region_id: row.region_id });

export type DecisionOutcome = 'offer' | 'hired' | 'rejected';

/**
 * Moving to Proposition or Recruté(e), or rejecting from the interview stage on, is a hiring
 * decision: it needs the written rationale of the evaluation feature's decision form (issue 5),
 * which then performs the move here with `viaDecision`.
 */
export class DecisionRequired extends Invalid {
  constructor(
    public readonly applicationId: number,
    public readonly outcome: DecisionOutcome,
    view?: string,
    locals?: Record<string, unknown>,
    field = 'stage_id',
  ) {
    super({ [field]: 'evaluation.decision.required' }, view, locals);
  }
}

function decisionNeeded(db: DB, app: { posting_id: number; stage_id: number }, target: q.StageRow): DecisionOutcome | null {
  if (target.kind === 'hired') return 'hired';
  if (target.stage_key === 'offer') return 'offer';
  if (target.kind !== 'rejected') return null;
  const stages = q.stagesOfPosting(db, app.posting_id);
  const interview = stages.find((st) => st.stage_key === 'interview');
  const current = stages.find((st) => st.id === app.stage_id);
  return interview && current && current.kind === 'middle' && current.position >= interview.position ? 'rejected' : null;
}

/**
 * May this actor move candidates of this CPTS? The bureau may; a chargé de mission of the
 * region may for the postings whose panel they sit on (`onPanel`).
 */
export function mayMove(actor: Actor, org: OrgRef, onPanel = false): boolean {
  return can(actor, 'pipeline.move', org) || (onPanel && can(actor, 'pipeline.view', org));
}

/** Whether the actor is a chargé de mission seated on this posting's panel. */
export function chargeOnPanel(db: DB, actor: Actor, postingId: number): boolean {
  return actor.memberships.some((m) => m.role === 'charge_de_mission') && q.isPanelMember(db, postingId, actor.id);
}

function mayMoveIn(db: DB, actor: Actor, row: { organisation_id: number; region_id: number; posting_id: number }): boolean {
  return mayMove(actor, orgRef(row), chargeOnPanel(db, actor, row.posting_id));
}

export function permissionsFor(actor: Actor, org: OrgRef, onPanel = false) {
  return {
    mayMove: mayMove(actor, org, onPanel),
    mayNote: can(actor, 'pipeline.note', org),
    mayConfigure: can(actor, 'pipeline.configure', org),
  };
}

export function viewablePosting(db: DB, actor: Actor, postingId: number, action: Action = 'pipeline.view') {
  const posting = q.postingById(db, postingId);
  if (!posting) throw new NotFound();
  authorize(actor, action, orgRef(posting));
  return posting;
}

export function viewableApplication(db: DB, actor: Actor, applicationId: number, action: Action = 'pipeline.view') {
  const app = q.applicationById(db, applicationId, actor.id);
  if (!app) throw new NotFound();
  authorize(actor, action, orgRef(app));
  return app;
}

export function viewableOrganisation(db: DB, actor: Actor, org: { id: number; region_id: number } | undefined, action: Action = 'pipeline.view') {
  authorize(actor, action, org);
  return org;
}

/** Board: the stages with their counts and every card of the posting (two queries). */
/**
 * Cards shown per column of the board. A posting with hundreds of candidates in one stage
 * would otherwise render hundreds of cards and forms (the benchmark's 500-candidate posting:
 * 720 KB, ~100 ms of rendering); past this, the column links to the list filtered by stage,
 * which pages, sorts and moves in bulk.
 */
export const BOARD_COLUMN_LIMIT = 25;

export function boardOf(db: DB, actor: Actor, postingId: number, perStage = BOARD_COLUMN_LIMIT) {
  const posting = viewablePosting(db, actor, postingId);
  const stages = q.stagesOfPosting(db, postingId);
  const cards = q.cardsOfPosting(db, postingId, actor.id, perStage);
  const byStage = new Map<number, q.CardRow[]>(stages.map((s) => [s.id, []]));
  for (const card of cards) byStage.get(card.stage_id)?.push(card);
  const columns = stages.map((s) => {
    const shown = byStage.get(s.id) ?? [];
    const total = s.count;
    return { stage: s, cards: shown, total, more: total - shown.length };
  });
  return { posting, stages, columns, ...permissionsFor(actor, orgRef(posting), chargeOnPanel(db, actor, posting.id)) };
}

// ---- Mails ------------------------------------------------------------------------------

export function effectiveTemplate(db: DB, organisationId: number, key: TemplateKey): MailTemplate {
  const own = q.templateOf(db, organisationId, key);
  return own ? { key, subject: own.subject, body: own.body, customised: true, updated_at: own.updated_at } : { key, ...DEFAULT_TEMPLATES[key], customised: false };
}

export function templatesOf(db: DB, organisationId: number): MailTemplate[] {
  return TEMPLATE_KEYS.map((key) => effectiveTemplate(db, organisationId, key));
}

function valuesFor(app: q.ApplicationRow, link = '', candidate = app.full_name): TemplateValues {
  return {
    candidat: candidate,
    offre: app.posting_title,
    cpts: app.org_name,
    contact: app.posting_contact || app.org_email || app.org_name,
    lien: link,
  };
}

/**
 * Renders a candidate mail with the CPTS's own copy of the template (or the shipped one).
 * Exported for the applications feature's acknowledgement of receipt (key `receipt`).
 */
export function renderCandidateMail(db: DB, organisationId: number, key: TemplateKey, values: TemplateValues, t: Translate) {
  return renderTemplate(effectiveTemplate(db, organisationId, key), values, t('mail.footer'));
}

/**
 * The mail a candidate would receive, for the preview beside the rejection form. The preview
 * is read by someone who screens: it names the candidate as they see them ("Bonjour
 * Candidat·e n°5" while masked); the mail itself, to the candidate, carries their name.
 */
export function previewCandidateMail(db: DB, app: q.ApplicationRow, key: TemplateKey, t: Translate) {
  return renderCandidateMail(db, app.organisation_id, key, valuesFor(app, '', displayName(t, app)), t);
}

/** The outbox row of a candidate mail: from the CPTS (reply-to), written by a person, tied to the application. */
function candidateMailTo(db: DB, app: q.ApplicationRow, key: string, mail: { subject: string; text: string; html: string }) {
  return {
    template: `candidate.${key}`,
    to: app.email,
    organisationId: app.organisation_id,
    replyTo: candidateReplyTo(db, app.posting_id),
    automatic: false,
    applicationIds: [app.application_id],
    ...mail,
  };
}

/** A candidate mail, with its undo window; or held until the post is filled (candidate-mails.ts). */
function sendCandidateMail(db: DB, actor: Actor, app: q.ApplicationRow, key: TemplateKey, t: Translate, now: string, hold = false) {
  const mail = renderCandidateMail(db, app.organisation_id, key, valuesFor(app), t);
  const by = { id: actor.id, name: actor.name };
  if (hold) holdCandidateMail(db, { organisationId: app.organisation_id, applicationId: app.application_id, key, subject: mail.subject, actor: by }, new Date(now));
  else queueCandidateMail(db, { applicationId: app.application_id, key, actor: by, mail: candidateMailTo(db, app, key, mail) }, new Date(now));
}

/** Renders a held mail when it is released, with the application as it stands then. */
function renderHeld(db: DB, t: Translate): RenderHeld {
  return (applicationId, key) => {
    const app = q.applicationById(db, applicationId, 0);
    if (!app) throw new NotFound();
    return candidateMailTo(db, app, key, renderCandidateMail(db, app.organisation_id, key as TemplateKey, valuesFor(app), t));
  };
}

/** The post is filled (an offer accepted): the runner-ups' held rejections leave now. */
export function releaseHeldRejections(db: DB, postingId: number, t: Translate, now = new Date()): number {
  return releaseHeldMails(db, postingId, renderHeld(db, t), now);
}

export { renderHeld as heldMailRenderer };

/** Which mail goes with entering a stage, when the user asks for it. */
function templateForStage(stage: { kind: q.StageKind; stage_key: string | null }): TemplateKey | null {
  if (stage.stage_key === 'interview') return 'interview';
  if (stage.stage_key === 'offer') return 'offer';
  return null;
}

/**
 * `auto` goes by what really happened: "after interview" only when the candidate had one (an
 * interview not cancelled whose time has come), not because their card passed a stage.
 */
export function rejectionTemplate(db: DB, applicationId: number, choice: RejectionMail, now = new Date()): TemplateKey | null {
  if (choice === 'none') return null;
  if (choice === 'auto') return q.hadInterview(db, applicationId, nowIso(now)) ? 'rejection_after_interview' : 'rejection';
  return choice;
}

/** A rejection is held "to send when the post is filled" only while the post is not filled yet. */
function mayHold(db: DB, postingId: number): boolean {
  const posting = q.postingById(db, postingId);
  return Boolean(posting && posting.status !== 'filled');
}

// ---- Moves ------------------------------------------------------------------------------

function applyMove(
  db: DB,
  actor: Actor,
  app: q.ApplicationRow,
  target: q.StageRow,
  expectedStageId: number,
  opts: { comment: string; reason: string | null; reasonText: string | null; mail: TemplateKey | null; t: Translate; hold?: boolean },
  now: string,
) {
  // The identity shows from the first stage that is not a screening stage on (Entretien...);
  // the end states keep whatever the application had reached.
  const openIdentity = (target.kind === 'middle' || target.kind === 'hired') && target.anonymised === 0;
  const changed = q.moveCard(
    db,
    { applicationId: app.application_id, expectedStageId, stageId: target.id, openIdentity, rejectionReason: opts.reason, rejectionText: opts.reasonText },
    now,
  ).changes;
  if (changed !== 1) throw new StaleForm(app.application_id, app.stage_name);
  q.insertMove(
    db,
    {
      organisationId: app.organisation_id,
      applicationId: app.application_id,
      from: { id: app.stage_id, name: app.stage_name },
      to: { id: target.id, name: target.name },
      actorId: actor.id,
      actorName: actor.name,
      comment: [opts.reasonText, opts.comment].filter(Boolean).join('\n'),
      reason: opts.reason,
    },
    now,
  );
  if (opts.mail) sendCandidateMail(db, actor, app, opts.mail, opts.t, now, opts.hold === true);
  q.setApplicationStatus(db, app.application_id, statusForStage(target), now, Boolean(opts.mail));
}

/** The applications feature's coarse status, which the candidate sees on their private page. */
export function statusForStage(stage: { kind: q.StageKind; stage_key: string | null; anonymised: number }): string {
  if (stage.kind === 'new') return 'received';
  if (stage.kind !== 'middle') return stage.kind;
  if (stage.stage_key === 'offer') return 'offer';
  if (stage.stage_key === 'interview' || stage.stage_key === 'jury') return 'interview';
  if (stage.stage_key === 'screening') return 'in_review';
  return stage.anonymised ? 'in_review' : 'interview';
}

function targetStage(db: DB, app: q.ApplicationRow, stageId: number, view?: string, locals?: Record<string, unknown>): q.StageRow {
  const stage = q.stageById(db, stageId);
  if (!stage || stage.posting_id !== app.posting_id) throw new Invalid({ stage_id: 'pipeline.errors.stageOtherPosting' }, view, locals);
  return stage;
}

export function moveApplication(
  db: DB,
  actor: Actor,
  input: { applicationId: number; stageId: number; expectedStageId: number; comment: string; sendMail: boolean; viaDecision?: boolean },
  ctx: MailContext,
  form: { view?: string; locals?: Record<string, unknown> } = {},
  now = new Date(),
) {
  return db.transaction(() => {
    const app = viewableApplication(db, actor, input.applicationId);
    // viaDecision: the evaluation feature has already authorised a panel decision (issue 5).
    if (!input.viaDecision && !mayMoveIn(db, actor, app)) throw new NotFound();
    const target = targetStage(db, app, input.stageId, form.view, form.locals);
    if (app.stage_id !== input.expectedStageId) throw new StaleForm(app.application_id, app.stage_name);
    if (target.kind === 'rejected') throw new RejectionRequired(app.application_id);
    if (target.id === app.stage_id) throw new Invalid({ stage_id: 'pipeline.errors.sameStage' }, form.view, form.locals);
    const decision = input.viaDecision ? null : decisionNeeded(db, app, target);
    if (decision) throw new DecisionRequired(app.application_id, decision, form.view, form.locals);
    const mail = input.sendMail ? templateForStage(target) : null;
    applyMove(db, actor, app, target, input.expectedStageId, { comment: input.comment, reason: null, reasonText: null, mail, t: ctx.t }, nowIso(now));
    return { app, target, mailSent: Boolean(mail) };
  })();
}

export function rejectApplication(
  db: DB,
  actor: Actor,
  input: { applicationId: number; expectedStageId: number; reason: RejectionReason; reasonText: string; mail: RejectionMail; viaDecision?: boolean; holdUntilFilled?: boolean },
  ctx: MailContext,
  now = new Date(),
) {
  return db.transaction(() => {
    const app = viewableApplication(db, actor, input.applicationId);
    // viaDecision: the evaluation feature has already authorised a panel decision (issue 5).
    if (!input.viaDecision && !mayMoveIn(db, actor, app)) throw new NotFound();
    const target = q.stagesOfPosting(db, app.posting_id).find((s) => s.kind === 'rejected');
    if (!target) throw new NotFound();
    if (app.stage_id !== input.expectedStageId || app.stage_id === target.id) throw new StaleForm(app.application_id, app.stage_name);
    if (!input.viaDecision && decisionNeeded(db, app, target)) throw new DecisionRequired(app.application_id, 'rejected');
    const mail = rejectionTemplate(db, app.application_id, input.mail, now);
    const hold = Boolean(mail) && input.holdUntilFilled === true && mayHold(db, app.posting_id);
    applyMove(db, actor, app, target, input.expectedStageId, { comment: '', reason: input.reason, reasonText: input.reasonText || null, mail, t: ctx.t, hold }, nowIso(now));
    return { app, target, mailSent: Boolean(mail) && !hold, mailHeld: hold };
  })();
}

/**
 * Bulk move or rejection, all or nothing: every application must be visible and movable by
 * the actor (else 404), belong to one CPTS, and still be where the list showed it.
 */
export function bulkAction(
  db: DB,
  actor: Actor,
  organisationId: number,
  input: BulkInput,
  ctx: MailContext,
  form: { view?: string; locals?: Record<string, unknown> } = {},
  now = new Date(),
) {
  return db.transaction(() => {
    const ids = [...new Set(input.ids.map((s) => s.applicationId))];
    const scopes = q.applicationScopes(db, ids);
    if (scopes.length !== ids.length) throw new NotFound();
    for (const s of scopes) {
      if (!mayMoveIn(db, actor, s)) throw new NotFound();
    }
    if (scopes.some((s) => s.organisation_id !== organisationId)) throw new Invalid({ ids: 'pipeline.errors.mixedOrganisations' }, form.view, form.locals);
    const at = nowIso(now);
    let mails = 0;
    let held = 0;
    let target: q.StageRow | undefined;
    for (const sel of input.ids.filter((s, i, all) => all.findIndex((o) => o.applicationId === s.applicationId) === i)) {
      const app = q.applicationById(db, sel.applicationId, actor.id);
      if (!app) throw new NotFound();
      if (app.stage_id !== sel.expectedStageId) throw new StaleForm(null, null);
      if (input.action === 'move') {
        target = q.stagesOfPosting(db, app.posting_id).find((s) => s.name.toLocaleLowerCase('fr') === String(input.stage).toLocaleLowerCase('fr'));
        if (!target) throw new Invalid({ stage: 'pipeline.errors.stageMissing' }, form.view, form.locals);
        if (target.kind === 'rejected') throw new Invalid({ stage: 'pipeline.errors.useReject' }, form.view, form.locals);
        if (target.id === app.stage_id) continue;
        if (decisionNeeded(db, app, target)) throw new DecisionRequired(app.application_id, 'offer', form.view, form.locals, 'stage');
        applyMove(db, actor, app, target, sel.expectedStageId, { comment: '', reason: null, reasonText: null, mail: null, t: ctx.t }, at);
      } else {
        target = q.stagesOfPosting(db, app.posting_id).find((s) => s.kind === 'rejected');
        if (!target) throw new NotFound();
        if (target.id === app.stage_id) continue;
        if (decisionNeeded(db, app, target)) throw new DecisionRequired(app.application_id, 'rejected', form.view, form.locals, 'ids');
        const mail = rejectionTemplate(db, app.application_id, input.mail, now);
        const hold = Boolean(mail) && input.timing === 'filled' && mayHold(db, app.posting_id);
        applyMove(db, actor, app, target, sel.expectedStageId, { comment: '', reason: input.reason || null, reasonText: input.reason_text || null, mail, t: ctx.t, hold }, at);
        if (mail && !hold) mails++;
        if (hold) held++;
      }
    }
    audit(db, {
      actorUserId: actor.id,
      actorLabel: actor.email,
      action: input.action === 'move' ? 'pipeline.bulk_moved' : 'pipeline.bulk_rejected',
      organisationId: scopes[0].organisation_id,
      targetType: 'application',
      ip: ctx.ip,
      details: { applications: ids, stage: target?.name ?? null, mails, held },
    });
    return { count: ids.length, mails, held, stageName: target?.name ?? '' };
  })();
}

// ---- Notes ------------------------------------------------------------------------------

/** Mentioned members: the ticked boxes plus "@Name" written in the text. */
function mentionedIn(body: string, ticked: number[], members: { id: number; name: string; email: string }[]) {
  const lower = body.toLocaleLowerCase('fr');
  return members.filter((m) => ticked.includes(m.id) || lower.includes(`@${m.name.toLocaleLowerCase('fr')}`));
}

export function addNote(
  db: DB,
  actor: Actor,
  applicationId: number,
  input: { body: string; mentions: number[] },
  ctx: MailContext,
  form: { view?: string; locals?: Record<string, unknown> } = {},
  now = new Date(),
) {
  return db.transaction(() => {
    const app = viewableApplication(db, actor, applicationId, 'pipeline.note');
    const members = q.mentionableMembers(db, app.organisation_id, app.region_id);
    if (input.mentions.some((id) => !members.some((m) => m.id === id))) throw new Invalid({ mentions: 'errors.choice' }, form.view, form.locals);
    const at = nowIso(now);
    const noteId = q.insertNote(db, { organisationId: app.organisation_id, applicationId, authorId: actor.id, authorName: actor.name, body: input.body }, at);
    const mentioned = mentionedIn(input.body, input.mentions, members).filter((m) => m.id !== actor.id);
    for (const m of mentioned) {
      q.insertMention(db, noteId, m.id);
      // Each colleague reads the application as they see it (the anonymity rule, per reader).
      const candidate = displayName(ctx.t, identityFor(db, applicationId, m.id));
      const mail = simpleMail({
        subject: ctx.t('pipeline.mail.mention.subject', { posting: app.posting_title }),
        greeting: ctx.t('pipeline.mail.mention.greeting', { name: m.name }),
        paragraphs: [ctx.t('pipeline.mail.mention.body', { author: actor.name, candidate, posting: app.posting_title, org: app.org_name })],
        action: { label: ctx.t('pipeline.mail.mention.action'), url: `${ctx.baseUrl}/recrutement/candidatures/${applicationId}#note-${noteId}` },
        footer: ctx.t('mail.footer'),
      });
      enqueueMail(db, { template: 'pipeline.mention', to: m.email, organisationId: app.organisation_id, applicationIds: [applicationId], ...mail }, now);
    }
    return { noteId, mentioned: mentioned.length };
  })();
}

// ---- Anonymised screening -----------------------------------------------------------------

export function revealIdentity(db: DB, actor: Actor, applicationId: number, ip?: string, now = new Date()) {
  db.transaction(() => {
    const app = viewableApplication(db, actor, applicationId);
    if (!app.masked) return;
    q.insertReveal(db, { organisationId: app.organisation_id, applicationId, userId: actor.id, userName: actor.name, what: 'identity' }, nowIso(now));
    audit(db, { actorUserId: actor.id, actorLabel: actor.email, action: 'pipeline.identity_revealed', organisationId: app.organisation_id, targetType: 'application', targetId: applicationId, ip });
  })();
}

/**
 * The candidate's identity as a viewer may see it (user id; null: a mail to the CPTS at
 * large). Every feature that names a candidate to someone who screens reads it here.
 */
export function identityFor(db: DB, applicationId: number, viewerId: number | null): q.IdentityOfRow {
  const row = q.identityOf(db, applicationId, viewerId);
  if (!row) throw new NotFound();
  return row;
}

/**
 * Records that an actor already authorised opens a document of a masked application
 * (pipeline_reveals and the audit log); returns whether the application is masked for them,
 * so the download carries a neutral file name. The evaluation kit's download uses it too.
 */
export function recordDocumentOpening(db: DB, actor: Actor, applicationId: number, documentId: number, ip?: string, now = new Date()): boolean {
  const identity = identityFor(db, applicationId, actor.id);
  if (!identity.masked) return false;
  q.insertReveal(db, { organisationId: identity.organisation_id, applicationId, userId: actor.id, userName: actor.name, what: 'document', documentId }, nowIso(now));
  audit(db, {
    actorUserId: actor.id,
    actorLabel: actor.email,
    action: 'pipeline.document_opened',
    organisationId: identity.organisation_id,
    targetType: 'application',
    targetId: applicationId,
    ip,
    details: { document: documentId },
  });
  return true;
}

/** A document of an application; opening it during anonymised screening is recorded. */
export function openDocument(db: DB, actor: Actor, applicationId: number, documentId: number, ip?: string, now = new Date()) {
  return db.transaction(() => {
    viewableApplication(db, actor, applicationId);
    const doc = q.documentFile(db, applicationId, documentId);
    if (!doc) throw new NotFound();
    return { ...doc, masked: recordDocumentOpening(db, actor, applicationId, documentId, ip, now) };
  })();
}

export function setAnonymisation(db: DB, actor: Actor, postingId: number, anonymised: boolean, ip?: string, now = new Date()) {
  db.transaction(() => {
    const posting = viewablePosting(db, actor, postingId, 'pipeline.configure');
    q.upsertSettings(db, posting.id, posting.organisation_id, anonymised, nowIso(now));
    audit(db, { actorUserId: actor.id, actorLabel: actor.email, action: 'pipeline.anonymisation_set', organisationId: posting.organisation_id, targetType: 'posting', targetId: posting.id, ip, details: { anonymised } });
  })();
}

// ---- Stages -----------------------------------------------------------------------------

const KIND_ORDER: Record<q.StageKind, number> = { new: 0, middle: 1, hired: 2, rejected: 3, withdrawn: 4 };

/** Writes positions 1..n: new, the middle stages in their order, then the end states. */
function renumber(db: DB, stages: q.StageRow[]) {
  const sorted = [...stages].sort((a, b) => KIND_ORDER[a.kind] - KIND_ORDER[b.kind] || a.position - b.position || a.id - b.id);
  sorted.forEach((s, i) => {
    if (s.position !== i + 1) q.setStagePosition(db, s.id, i + 1);
  });
}

function configurableStage(db: DB, actor: Actor, postingId: number, stageId: number) {
  const posting = viewablePosting(db, actor, postingId, 'pipeline.configure');
  const stage = q.stageById(db, stageId);
  if (!stage || stage.posting_id !== posting.id) throw new NotFound();
  return { posting, stage };
}

export function addStage(db: DB, actor: Actor, postingId: number, input: { name: string; anonymised: boolean }, form: { view?: string; locals?: Record<string, unknown> }, now = new Date()) {
  return db.transaction(() => {
    const posting = viewablePosting(db, actor, postingId, 'pipeline.configure');
    if (q.stageNameTaken(db, posting.id, input.name)) throw new Invalid({ name: 'pipeline.errors.stageNameTaken' }, form.view, { ...form.locals, values: input });
    const stages = q.stagesOfPosting(db, posting.id);
    const lastMiddle = Math.max(...stages.filter((s) => s.kind === 'new' || s.kind === 'middle').map((s) => s.position));
    const id = q.insertStage(
      db,
      { organisationId: posting.organisation_id, postingId: posting.id, kind: 'middle', key: null, name: input.name, position: lastMiddle + 0.5, anonymised: input.anonymised },
      nowIso(now),
    );
    renumber(db, q.stagesOfPosting(db, posting.id));
    return id;
  })();
}

export function updateStage(db: DB, actor: Actor, postingId: number, stageId: number, input: { name: string; anonymised: boolean }, form: { view?: string; locals?: Record<string, unknown> }, now = new Date()) {
  db.transaction(() => {
    const { posting, stage } = configurableStage(db, actor, postingId, stageId);
    if (stage.kind !== 'middle') throw new Invalid({ [`name_${stage.id}`]: 'pipeline.errors.stageFixed' }, form.view, form.locals);
    if (q.stageNameTaken(db, posting.id, input.name, stage.id)) throw new Invalid({ [`name_${stage.id}`]: 'pipeline.errors.stageNameTaken' }, form.view, form.locals);
    q.updateStage(db, stage.id, input.name, input.anonymised, nowIso(now));
  })();
}

export function reorderStage(db: DB, actor: Actor, postingId: number, stageId: number, direction: 'up' | 'down') {
  db.transaction(() => {
    const { posting, stage } = configurableStage(db, actor, postingId, stageId);
    if (stage.kind !== 'middle') throw new NotFound();
    const middles = q.stagesOfPosting(db, posting.id).filter((s) => s.kind === 'middle');
    const i = middles.findIndex((s) => s.id === stage.id);
    const j = direction === 'up' ? i - 1 : i + 1;
    if (j < 0 || j >= middles.length) return;
    q.setStagePosition(db, middles[i].id, middles[j].position);
    q.setStagePosition(db, middles[j].id, middles[i].position);
  })();
}

/** Only an empty middle stage goes away: no candidate is ever lost with a stage. */
export function deleteStage(db: DB, actor: Actor, postingId: number, stageId: number) {
  db.transaction(() => {
    const { posting, stage } = configurableStage(db, actor, postingId, stageId);
    if (stage.kind !== 'middle') throw new NotFound();
    if (stage.count > 0) throw new Conflict('stage not empty');
    q.deleteStage(db, stage.id);
    renumber(db, q.stagesOfPosting(db, posting.id));
  })();
}

// ---- Templates ------------------------------------------------------------------------------

export function saveTemplate(db: DB, actor: Actor, org: OrgRef, key: TemplateKey, input: { subject: string; body: string }, ip?: string, now = new Date()) {
  db.transaction(() => {
    authorize(actor, 'pipeline.configure', org);
    q.upsertTemplate(db, { organisationId: org.id, key, subject: input.subject, body: input.body, userId: actor.id }, nowIso(now));
    audit(db, { actorUserId: actor.id, actorLabel: actor.email, action: 'pipeline.template_saved', organisationId: org.id, targetType: 'mail_template', ip, details: { key } });
  })();
}

export function resetTemplate(db: DB, actor: Actor, org: OrgRef, key: TemplateKey, ip?: string) {
  db.transaction(() => {
    authorize(actor, 'pipeline.configure', org);
    q.deleteTemplate(db, org.id, key);
    audit(db, { actorUserId: actor.id, actorLabel: actor.email, action: 'pipeline.template_reset', organisationId: org.id, targetType: 'mail_template', ip, details: { key } });
  })();
}

// ---- Candidate page -----------------------------------------------------------------------

export type TimelineEvent =
  | { type: 'received'; at: string }
  | { type: 'move'; at: string; move: q.MoveRow }
  | { type: 'note'; at: string; note: q.NoteRow }
  | { type: 'mail'; at: string; mail: q.MailRow }
  | { type: 'document'; at: string; document: q.DocumentRow }
  | { type: 'reveal'; at: string; reveal: q.RevealRow }
  | { type: 'event'; at: string; event: q.EventRow };

export function candidatePage(db: DB, actor: Actor, applicationId: number) {
  const app = viewableApplication(db, actor, applicationId);
  const documents = q.documentsOf(db, applicationId);
  const moves = q.movesOf(db, applicationId);
  const notes = q.notesOf(db, applicationId);
  const timeline: TimelineEvent[] = [
    { type: 'received' as const, at: app.created_at },
    ...documents.map((d) => ({ type: 'document' as const, at: d.created_at, document: d })),
    ...moves.map((m) => ({ type: 'move' as const, at: m.created_at, move: m })),
    ...notes.map((n) => ({ type: 'note' as const, at: n.created_at, note: n })),
    ...q.mailsOf(db, applicationId).map((m) => ({ type: 'mail' as const, at: m.created_at, mail: m })),
    ...q.revealsOf(db, applicationId).map((r) => ({ type: 'reveal' as const, at: r.created_at, reveal: r })),
    ...q.candidateEventsOf(db, applicationId).map((e) => ({ type: 'event' as const, at: e.at, event: e })),
  ].sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : 0));
  return {
    app,
    stages: q.stagesOfPosting(db, app.posting_id),
    documents,
    timeline,
    // Cross-links tie two applications' identities together: only between visible ones.
    others: q.otherApplications(db, app.email, app.organisation_id, app.application_id, actor.id).filter((o) => mayCrossLink(app, o)),
    members: q.mentionableMembers(db, app.organisation_id, app.region_id),
    ...permissionsFor(actor, orgRef(app), chargeOnPanel(db, actor, app.posting_id)),
    // Decisions (Proposition, Recruté(e), rejection after interview) are the bureau's.
    mayDecide: can(actor, 'evaluation.decide', orgRef(app)),
  };
}
