import { audit } from '../../core/audit.js';
import { postingLabelShort } from '../../core/posting-label.js';
import type { DB } from '../../core/db.js';
import { nowIso } from '../../core/db.js';
import type { Locale, Translate } from '../../core/i18n.js';
import { writerFor, type Translators } from '../../core/mail-locale.js';
import { NotFound } from '../../core/errors.js';
import { authorize, type Actor, type OrgRef } from '../../core/policy.js';
import { displayName } from './anonymity.js';
import { candidateReplyTo } from '../jobs/service.js';
import { holdCandidateMail, queueCandidateMail, releaseHeldMails, type RenderHeld } from './candidate-mails.js';
import * as q from './queries.js';
import type { RejectionMail } from './schemas.js';
import { renderTemplate, shippedTemplate, TEMPLATE_KEYS, type MailTemplate, type TemplateKey, type TemplateValues } from './templates.js';

/**
 * The template a mail is written with, in the candidate's language: the CPTS's own copy in
 * that language when it wrote one, else the shipped text of that language (a French copy is
 * never sent to an English-speaking candidate).
 */
export function effectiveTemplate(db: DB, organisationId: number, key: TemplateKey, locale: Locale): MailTemplate {
  const own = q.templateOf(db, organisationId, key, locale);
  return own ? { key, subject: own.subject, body: own.body, customised: true, updated_at: own.updated_at } : { key, ...shippedTemplate(key, locale), customised: false };
}

/** Every template in both languages, for the list of the CPTS's templates. */
export function templatesOf(db: DB, organisationId: number): { key: TemplateKey; fr: MailTemplate; en: MailTemplate }[] {
  return TEMPLATE_KEYS.map((key) => ({ key, fr: effectiveTemplate(db, organisationId, key, 'fr'), en: effectiveTemplate(db, organisationId, key, 'en') }));
}

function valuesFor(app: q.ApplicationRow, t: Translate, link = '', candidate = app.full_name): TemplateValues {
  return {
    candidat: candidate,
    offre: postingLabelShort(app, t),
    cpts: app.org_name,
    contact: app.posting_contact || app.org_email || app.org_name,
    lien: link,
  };
}

/**
 * Renders a candidate mail with the CPTS's own copy of the template (or the shipped one).
 * Exported for the applications feature's acknowledgement of receipt (key `receipt`).
 */
export function renderCandidateMail(db: DB, organisationId: number, key: TemplateKey, values: TemplateValues, t: Translate, locale: Locale) {
  return renderTemplate(effectiveTemplate(db, organisationId, key, locale), values, t('mail.footer'), locale);
}

/**
 * The mail a candidate would receive, for the preview beside the rejection form. The preview
 * is read by someone who screens: it names the candidate as they see them ("Bonjour
 * Candidat·e n°5" while masked); the mail itself, to the candidate, carries their name.
 */
export function previewCandidateMail(db: DB, app: q.ApplicationRow, key: TemplateKey, translator: Translators) {
  // In the candidate's language, as they will read it.
  const { t, locale } = writerFor(db, { translator }, { applicationId: app.application_id });
  return renderCandidateMail(db, app.organisation_id, key, valuesFor(app, t, '', displayName(t, app)), t, locale);
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
export function sendCandidateMail(db: DB, actor: Actor, app: q.ApplicationRow, key: TemplateKey, translator: Translators, now: string, hold = false) {
  const { t, locale } = writerFor(db, { translator }, { applicationId: app.application_id });
  const mail = renderCandidateMail(db, app.organisation_id, key, valuesFor(app, t), t, locale);
  const by = { id: actor.id, name: actor.name };
  if (hold) holdCandidateMail(db, { organisationId: app.organisation_id, applicationId: app.application_id, key, subject: mail.subject, actor: by }, new Date(now));
  else queueCandidateMail(db, { applicationId: app.application_id, key, actor: by, mail: candidateMailTo(db, app, key, mail) }, new Date(now));
}

/** Renders a held mail when it is released, with the application as it stands then. */
function renderHeld(db: DB, translator: Translators): RenderHeld {
  return (applicationId, key) => {
    const app = q.applicationById(db, applicationId, 0);
    if (!app) throw new NotFound();
    const { t, locale } = writerFor(db, { translator }, { applicationId });
    return candidateMailTo(db, app, key, renderCandidateMail(db, app.organisation_id, key as TemplateKey, valuesFor(app, t), t, locale));
  };
}

/** The post is filled (an offer accepted): the runner-ups' held rejections leave now. */
export function releaseHeldRejections(db: DB, postingId: number, translator: Translators, now = new Date()): number {
  return releaseHeldMails(db, postingId, renderHeld(db, translator), now);
}

export { renderHeld as heldMailRenderer };

/** Which mail goes with entering a stage, when the user asks for it. */
export function templateForStage(stage: { kind: q.StageKind; stage_key: string | null }): TemplateKey | null {
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
export function mayHold(db: DB, postingId: number): boolean {
  const posting = q.postingById(db, postingId);
  return Boolean(posting && posting.status !== 'filled');
}

export function saveTemplate(db: DB, actor: Actor, org: OrgRef, key: TemplateKey, locale: Locale, input: { subject: string; body: string }, ip?: string, now = new Date()) {
  db.transaction(() => {
    authorize(actor, 'pipeline.configure', org);
    q.upsertTemplate(db, { organisationId: org.id, key, locale, subject: input.subject, body: input.body, userId: actor.id }, nowIso(now));
    audit(db, { actorUserId: actor.id, actorLabel: actor.email, action: 'pipeline.template_saved', organisationId: org.id, targetType: 'mail_template', ip, details: { key, locale } });
  })();
}

export function resetTemplate(db: DB, actor: Actor, org: OrgRef, key: TemplateKey, locale: Locale, ip?: string) {
  db.transaction(() => {
    authorize(actor, 'pipeline.configure', org);
    q.deleteTemplate(db, org.id, key, locale);
    audit(db, { actorUserId: actor.id, actorLabel: actor.email, action: 'pipeline.template_reset', organisationId: org.id, targetType: 'mail_template', ip, details: { key, locale } });
  })();
}
