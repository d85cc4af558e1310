import { audit } from '../../core/audit.js';
import type { DB } from '../../core/db.js';
import { nowIso } from '../../core/db.js';
import type { Translate } from '../../core/i18n.js';
import { enqueueMail } from '../../core/mailer.js';
import { authorize, type Actor, type OrgRef } from '../../core/policy.js';
import { displayName } from './anonymity.js';
import { candidateReplyTo } from '../jobs/service.js';
import * as q from './queries.js';
import type { RejectionMail } from './schemas.js';
import { DEFAULT_TEMPLATES, renderTemplate, TEMPLATE_KEYS, type MailTemplate, type TemplateKey, type TemplateValues } from './templates.js';

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

export function sendCandidateMail(db: DB, actor: Actor, app: q.ApplicationRow, key: TemplateKey, t: Translate, now: string) {
  const mail = renderCandidateMail(db, app.organisation_id, key, valuesFor(app), t);
  const outboxId = enqueueMail(db, {
    template: `candidate.${key}`,
    to: app.email,
    organisationId: app.organisation_id,
    replyTo: candidateReplyTo(db, app.posting_id),
    automatic: false,
    applicationIds: [app.application_id],
    ...mail,
  });
  q.insertPipelineMail(db, { organisationId: app.organisation_id, applicationId: app.application_id, outboxId, key, subject: mail.subject, actorId: actor.id, actorName: actor.name }, now);
}

/** Which mail goes with entering a stage, when the user asks for it. */
export function templateForStage(stage: { kind: q.StageKind; stage_key: string | null }): TemplateKey | null {
  if (stage.stage_key === 'interview') return 'interview';
  if (stage.stage_key === 'offer') return 'offer';
  return null;
}

export function rejectionTemplate(db: DB, applicationId: number, choice: RejectionMail): TemplateKey | null {
  if (choice === 'none') return null;
  if (choice === 'auto') return q.reachedInterview(db, applicationId) ? 'rejection_after_interview' : 'rejection';
  return choice;
}

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
