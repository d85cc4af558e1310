import type { DB } from '../../core/db.js';
import { NotFound } from '../../core/errors.js';
import { can, type Actor, type OrgRef } from '../../core/policy.js';
import * as q from './queries.js';

export type { MailContext } from '../../core/mail-locale.js';
export type Form = { view?: string; locals?: Record<string, unknown> };

export type PostingAccess = {
  posting: q.PostingScope;
  org: OrgRef;
  /** bureau of the CPTS or chargé(e) de mission of its region */
  orgView: boolean;
  mayConfigure: boolean;
  mayDecide: boolean;
  /** the actor's seat on this posting's panel, if any */
  member: q.PanelMemberRow | undefined;
  panelMembers: q.PanelMemberRow[];
  startStage: q.StageRow | undefined;
  startPosition: number;
};

/** The stage from which the panel sees candidates: its setting, else "Entretien", else the first middle stage. */
function startStageOf(db: DB, postingId: number, stages = q.stagesOfPosting(db, postingId)) {
  const chosen = q.panelStartStage(db, postingId)?.start_stage_id;
  return stages.find((s) => s.id === chosen) ?? stages.find((s) => s.stage_key === 'interview') ?? stages.find((s) => s.kind === 'middle');
}

/**
 * Who reaches a posting's evaluation: its CPTS's bureau and its region's chargés de mission
 * (policy), and the members of its panel (checked here, per posting). Anyone else: 404.
 */
export function postingAccess(db: DB, actor: Actor, postingId: number): PostingAccess {
  const posting = q.postingScope(db, postingId);
  if (!posting) throw new NotFound();
  const org = { id: posting.organisation_id, region_id: posting.region_id };
  const orgView = can(actor, 'evaluation.view', org);
  const member = q.panelMember(db, posting.id, actor.id);
  if (!orgView && !member) throw new NotFound();
  const startStage = startStageOf(db, posting.id);
  return {
    posting,
    org,
    orgView,
    mayConfigure: can(actor, 'evaluation.configure', org),
    mayDecide: can(actor, 'evaluation.decide', org),
    member,
    panelMembers: q.panelMembers(db, posting.id),
    startStage,
    startPosition: startStage?.position ?? 1,
  };
}

/** A panelist reaches only the candidates of their posting from the panel's first stage on. */
export function applicationAccess(db: DB, actor: Actor, applicationId: number) {
  const app = q.applicationScope(db, applicationId, actor.id);
  if (!app) throw new NotFound();
  const access = postingAccess(db, actor, app.posting_id);
  if (!access.orgView && !q.isEvaluated(db, app.posting_id, app.application_id, access.startPosition)) throw new NotFound();
  return { ...access, app };
}

/**
 * The same view of an application for an act of the app itself, made for no viewer (the
 * interviews of an application that ends are cancelled whoever ended it, the candidate
 * included): the posting, its panel and the application, with no viewer's rights.
 */
export function systemApplicationAccess(db: DB, applicationId: number): ReturnType<typeof applicationAccess> | undefined {
  const app = q.applicationScope(db, applicationId, null);
  const posting = app && q.postingScope(db, app.posting_id);
  if (!app || !posting) return undefined;
  const startStage = startStageOf(db, posting.id);
  return {
    posting,
    org: { id: posting.organisation_id, region_id: posting.region_id },
    orgView: false,
    mayConfigure: false,
    mayDecide: false,
    member: undefined,
    panelMembers: q.panelMembers(db, posting.id),
    startStage,
    startPosition: startStage?.position ?? 1,
    app,
  };
}

export function requireConfigure(access: PostingAccess) {
  if (!access.mayConfigure) throw new NotFound();
}

/**
 * Independence. A panelist sees the others' ratings of a candidate once they have submitted
 * their own; the chair (and the bureau or chargé(e) de mission on the panel) sees who has
 * submitted before that, never what. Bureau members and chargés de mission who are not on the
 * panel rate nobody, so nothing they read can bias their own rating; they see the results of
 * a candidate once every current panel member has submitted for that candidate (the panel has
 * finished with them), and who has submitted before that.
 */
export function visibilityFor(access: PostingAccess, actorId: number, applicationId: number, submitters: { application_id: number; panelist_user_id: number | null }[], members: q.PanelMemberRow[]) {
  return visibilityOf(access, actorId, (userId) => submitters.some((s) => s.application_id === applicationId && s.panelist_user_id === userId), members);
}

/** The same rule, given who has a current submitted evaluation of the candidate. */
export function visibilityOf(access: PostingAccess, actorId: number, submitted: (userId: number) => boolean, members: q.PanelMemberRow[]) {
  const results = resultsRule(access, actorId, members)(submitted);
  if (access.member) return { results, who: results || access.member.is_chair === 1 || access.orgView };
  return { results, who: access.orgView };
}

/**
 * The "results" half of that rule, decided once per viewer and then applied to each
 * candidate's submitters (the ranking and the score badges test hundreds of them);
 * visibilityOf uses it too, so the rule is written once.
 */
export function resultsRule(access: PostingAccess, actorId: number, members: q.PanelMemberRow[]): (submitted: (userId: number) => boolean) => boolean {
  return resultsClass(access, actorId, members).sees;
}

/**
 * The same rule with the class of viewers it puts this viewer in: every viewer of one class sees
 * the results of exactly the same candidates, so what is built from `sees` over a posting's
 * candidates (the ranking's order, cached per posting revision) can be shared by the class.
 * A panelist is a class of their own (their own submissions decide); the bureau and chargés de
 * mission off the panel share one class per panel composition; anyone else sees no result.
 */
export function resultsClass(access: PostingAccess, actorId: number, members: q.PanelMemberRow[]): { key: string; sees: (submitted: (userId: number) => boolean) => boolean } {
  if (access.member) return { key: `panelist:${actorId}`, sees: (submitted) => submitted(actorId) };
  if (!access.orgView || members.length === 0) return { key: 'none', sees: () => false };
  const ids = members.map((m) => m.user_id);
  return { key: `panel:${[...ids].sort((a, b) => a - b).join(',')}`, sees: (submitted) => ids.every((id) => submitted(id)) };
}
