import fs from 'node:fs';
import { postingLabel, postingLabelShort } from '../../core/posting-label.js';
import { audit } from '../../core/audit.js';
import type { DB } from '../../core/db.js';
import { nowIso } from '../../core/db.js';
import { NotFound } from '../../core/errors.js';
import { parisDay, type Locale } from '../../core/i18n.js';
import { writerFor, type MailContext, type Translators } from '../../core/mail-locale.js';
import { enqueueMail } from '../../core/mailer.js';
import { authorize, type Actor } from '../../core/policy.js';
import { hashToken, newToken } from '../../core/tokens.js';
import { detectFileType, isZipHead, removeStored, safeDisplayName, storeDurably, storedPath, type FileType, type StoredFile } from './files.js';
import { displayName } from '../pipeline/anonymity.js';
import { daysWaiting, waitingApplications, type WaitingRow } from '../pipeline/waiting.js';
import { identityFor, renderCandidateMail } from '../pipeline/service.js';
import { alreadyAppliedMail, bureauDigestMail, bureauNewApplicationMail } from './mails.js';
import { compactPoolIndex, indexPoolApplication, removeFromPool, saveDocumentText } from '../pool/search-index.js';
import * as q from './queries.js';
import { cancelInterviewsOfEnded } from '../interviews/service.js';
import type { ApplyInput } from './schemas.js';
import { saveAnswers, type Question } from '../questions/service.js';

/** How long a candidate's private link works; a new application to the posting sends a new one. */
export const LINK_TTL_DAYS = 180;

/** A received file; `stored` when the upload storage already made it durable under its final name. */
export type UploadedFile = { field: 'cv' | 'other_document'; path: string; originalName: string; size: number; stored?: StoredFile; head?: Buffer; text?: string };
export type CheckedFile = UploadedFile & { type: FileType; displayName: string };

/** Field errors for the uploaded files (content type, emptiness); the checked files otherwise. */
export function checkFiles(files: UploadedFile[]): { errors: Record<string, string>; checked: CheckedFile[] } {
  const errors: Record<string, string> = {};
  const checked: CheckedFile[] = [];
  if (!files.some((f) => f.field === 'cv')) errors.cv = 'applications.errors.cvRequired';
  for (const f of files) {
    if (f.size === 0) {
      errors[f.field] = 'applications.errors.fileEmpty';
      continue;
    }
    // A PDF is known by its first bytes; ZIP-based formats need the archive's directory.
    const type = f.head && !isZipHead(f.head) ? detectFileType(f.head) : detectFileType(fs.readFileSync(f.path));
    if (!type) {
      errors[f.field] = 'applications.errors.fileType';
      continue;
    }
    checked.push({ ...f, type, displayName: safeDisplayName(f.originalName, type) });
  }
  return { errors, checked };
}

/**
 * `locale`: the language the candidate applies in (the page's), stored with the application;
 * every mail to them is written in it. The bureau's mails go in each member's own language.
 * `callerRemovesFiles`: the caller removes the files of a submission that created nothing (the
 * apply route does, for every outcome but 'created', without blocking the event loop).
 */
export type ApplyContext = { baseUrl: string; uploadDir: string; translator: Translators; locale: Locale; now?: Date; callerRemovesFiles?: boolean };

/** Acknowledgement and link mails one address may receive in 24 hours, whatever the IP or the CPTS. */
export const ACK_MAILS_PER_DAY = 3;
const CANDIDATE_MAIL_TEMPLATES = ['applications.ack', 'applications.reapply'] as const;

/** May another acknowledgement or link mail go to this address now (the mailbox-flood cap)? */
export function mayMailCandidate(db: DB, email: string, now: Date): boolean {
  const since = nowIso(new Date(now.getTime() - 86_400_000));
  return q.candidateMailsSince(db, email, CANDIDATE_MAIL_TEMPLATES, since) < ACK_MAILS_PER_DAY;
}

function newLink(db: DB, applicationId: number, now: Date): string {
  const { token, hash } = newToken();
  q.insertLink(db, applicationId, hash, nowIso(new Date(now.getTime() + LINK_TTL_DAYS * 86_400_000)), nowIso(now));
  return token;
}

/**
 * What the apply form did; the visitor is never told which (the HTTP answer is the same), only
 * the address's owner can tell, by the mail they receive.
 */
export type ApplyOutcome = { outcome: 'created'; applicationId: number; mailed: boolean } | { outcome: 'already_applied'; applicationId: number; mailed: boolean };

/**
 * A public submission. It never changes an existing application: the form is not proof of the
 * address (DESIGN.md, "A candidate's data changes only with proof").
 * - First application of this address to this posting: files made durable first, then one
 *   transaction writes a new candidate row in the posting's CPTS, the application, its
 *   documents, a private link, the acknowledgement and the bureau's mail.
 * - This address already applied to this posting: nothing is written to the application, the
 *   candidate or the documents (the uploaded files are removed) and the bureau hears nothing;
 *   the address gets a fresh private link (the others stay valid) where the candidate can add a
 *   document or update the message.
 * Either way at most ACK_MAILS_PER_DAY such mails reach one address in 24 hours. The transaction
 * takes the write lock first (IMMEDIATE) so two processes cannot both read the count under it.
 */
export function submitApplication(
  db: DB,
  posting: { id: number; organisation_id: number; title: string; reference: string | null; org_name: string; contact_email?: string; org_email?: string | null },
  input: ApplyInput,
  files: CheckedFile[],
  ctx: ApplyContext,
  answers: { questions: Question[]; values: Record<string, string> } = { questions: [], values: {} },
): ApplyOutcome {
  const now = ctx.now ?? new Date();
  const stored = files.map((f) => ({ file: f, ...(f.stored ?? storeDurably(f.path, ctx.uploadDir)) }));
  const contact = posting.contact_email || posting.org_email || posting.org_name;
  let result: ApplyOutcome;
  try {
    result = db.transaction((): ApplyOutcome => {
      const mayMail = mayMailCandidate(db, input.email, now);
      const previous = q.applicationAtPostingByEmail(db, posting.id, posting.organisation_id, input.email);
      if (previous) {
        if (mayMail) {
          const token = newLink(db, previous.id, now);
          // Addressed with the name of the application on file, never with what this form said,
          // and in the language of that application.
          const { t, locale } = writerFor(db, ctx, { applicationId: previous.id });
          const mail = alreadyAppliedMail(t, {
            lang: locale,
            name: `${previous.first_name} ${previous.last_name}`,
            posting: postingLabelShort(posting, t),
            org: posting.org_name,
            contact,
            url: `${ctx.baseUrl}/candidature/${token}`,
          });
          enqueueMail(db, { template: 'applications.reapply', to: input.email, organisationId: posting.organisation_id, ...mail }, now);
        }
        return { outcome: 'already_applied', applicationId: previous.id, mailed: mayMail };
      }

      const applicationId = createApplication(
        db,
        posting,
        { email: input.email, first_name: input.first_name, last_name: input.last_name, phone: input.phone, message: input.message, source: input.source, talentPool: Boolean(input.talent_pool), regionPool: Boolean(input.region_pool) },
        stored.map((s) => ({ kind: s.file.field === 'cv' ? ('cv' as const) : ('other' as const), displayName: s.file.displayName, type: s.file.type, text: s.file.text, stored: s })),
        { ...ctx, now, mayMail },
        answers,
      );
      return { outcome: 'created', applicationId, mailed: mayMail };
    }).immediate();
  } catch (err) {
    removeStored(ctx.uploadDir, stored.map((s) => s.storedName));
    throw err;
  }
  // Nothing of an unverified second submission is kept, its files included.
  if (result.outcome === 'already_applied' && !ctx.callerRemovesFiles) removeStored(ctx.uploadDir, stored.map((s) => s.storedName));
  return result;
}

/** What a new application is made of, from the apply form or from an accepted regional proposal. */
export type NewApplication = { email: string; first_name: string; last_name: string; phone: string; message: string; source: string; talentPool: boolean; regionPool: boolean };
export type NewDocument = { kind: 'cv' | 'other'; displayName: string; type: FileType; text?: string; stored: StoredFile };

/**
 * Inside the caller's transaction: a new candidate row in the posting's CPTS, the application,
 * its (already durable) documents, their extracted text and the pool index when shared with the
 * region, a private link with the acknowledgement (when the address may be mailed) and the
 * bureau's notification, read through the anonymity rule.
 */
export function createApplication(
  db: DB,
  // The reference is required: the acknowledgement names the posting with it (issue 13).
  posting: { id: number; organisation_id: number; title: string; reference: string | null; org_name: string; contact_email?: string; org_email?: string | null },
  input: NewApplication,
  documents: NewDocument[],
  ctx: ApplyContext & { now: Date; mayMail: boolean },
  answers: { questions: Question[]; values: Record<string, string> } = { questions: [], values: {} },
): number {
  const { now } = ctx;
  const at = nowIso(now);
  const contact = posting.contact_email || posting.org_email || posting.org_name;
  const candidateId = q.insertCandidate(db, { organisation_id: posting.organisation_id, email: input.email, first_name: input.first_name, last_name: input.last_name, phone: input.phone }, at);
  const notifyEach = q.notifyModeOf(db, posting.organisation_id) === 'each';
  const applicationId = q.insertApplication(
    db,
    {
      posting_id: posting.id,
      organisation_id: posting.organisation_id,
      candidate_id: candidateId,
      message: input.message,
      source: input.source,
      talent_pool_consent: input.talentPool ? 1 : 0,
      talent_pool_at: input.talentPool ? at : null,
      region_pool_consent: input.regionPool ? 1 : 0,
      region_pool_at: input.regionPool ? at : null,
      notified_at: notifyEach ? at : null,
      locale: ctx.locale,
    },
    at,
  );
  for (const d of documents) {
    const documentId = q.insertDocument(
      db,
      { application_id: applicationId, organisation_id: posting.organisation_id, kind: d.kind, stored_name: d.stored.storedName, original_name: d.displayName, file_type: d.type, size_bytes: d.stored.size, sha256: d.stored.sha256 },
      at,
    );
    // Extracted text is kept only for an application shared with the region (its search).
    if (input.regionPool && d.text) saveDocumentText(db, documentId, applicationId, d.text, at);
  }
  const answered = saveAnswers(db, { id: applicationId, organisation_id: posting.organisation_id }, answers.questions, answers.values, at);
  q.insertEvent(
    db,
    {
      application_id: applicationId,
      organisation_id: posting.organisation_id,
      user_id: null,
      action: 'submitted',
      details: { documents: documents.length, talentPool: input.talentPool, regionPool: input.regionPool, ...(input.source === 'region_pool' ? { via: 'region_pool' } : {}), ...(answers.questions.length ? { knockedOut: answered.knockedOut } : {}) },
    },
    at,
  );
  if (input.regionPool) indexPoolApplication(db, applicationId);

  // Over the cap the application is kept, unmailed; applying again later mails its link.
  if (ctx.mayMail) {
    const token = newLink(db, applicationId, now);
    // The receipt is the CPTS's own copy of the template when it edited one (pipeline feature).
    const { t, locale } = writerFor(db, ctx, { applicationId });
    const ack = renderCandidateMail(
      db,
      posting.organisation_id,
      'receipt',
      { candidat: `${input.first_name} ${input.last_name}`, offre: postingLabelShort(posting, t), cpts: posting.org_name, contact, lien: `${ctx.baseUrl}/candidature/${token}` },
      t,
      locale,
    );
    enqueueMail(
      db,
      { template: 'applications.ack', to: input.email, organisationId: posting.organisation_id, replyTo: posting.contact_email || posting.org_email, applicationIds: [applicationId], ...ack },
      now,
    );
  }
  if (notifyEach) {
    // The bureau screens: it reads the application as the anonymity rule shows it.
    const identity = identityFor(db, applicationId, null);
    for (const r of q.bureauRecipients(db, posting.organisation_id)) {
      // A member in their account's language; the CPTS's contact address (no account) in French.
      const { t, locale } = writerFor(db, ctx, { email: r.email, otherwise: 'fr' });
      const mail = bureauNewApplicationMail(t, {
        lang: locale,
        name: r.name,
        candidate: displayName(t, identity),
        posting: postingLabel(posting, t, locale),
        org: posting.org_name,
        url: `${ctx.baseUrl}/recrutement/offres/${posting.id}/liste`,
      });
      enqueueMail(db, { template: 'applications.bureau', to: r.email, organisationId: posting.organisation_id, applicationIds: [applicationId], ...mail }, now);
    }
  }
  return applicationId;
}

// ---- the candidate's private link ------------------------------------------------------------------

/** An application reached through a valid private link, as its candidate sees it. */
export type LinkedApplication = q.CandidateViewRow;

export type LinkState = { state: 'valid'; linkId: number; application: LinkedApplication } | { state: 'expired' | 'revoked' | 'unknown' };

export function resolveLink(db: DB, token: string, now = new Date()): LinkState {
  const link = q.linkByHash(db, hashToken(token));
  if (!link) return { state: 'unknown' };
  if (link.revoked_at) return { state: 'revoked' };
  if (link.expires_at <= nowIso(now)) return { state: 'expired' };
  const application = q.applicationForCandidate(db, link.application_id);
  if (!application) return { state: 'unknown' };
  return { state: 'valid', linkId: link.id, application };
}

export function candidateDocuments(db: DB, applicationId: number) {
  return q.documentsOfApplication(db, applicationId);
}

export function candidateEvents(db: DB, applicationId: number) {
  return q.eventsOfApplication(db, applicationId);
}

const FINAL = new Set(['withdrawn', 'hired', 'rejected']);

export function mayWithdraw(status: string): boolean {
  return !FINAL.has(status);
}

/**
 * The candidate withdraws: the application ends, and with it its interviews to come (the
 * interviews feature cancels them and tells the candidate and the panel, in this transaction).
 * Returns whether it was withdrawn and how many interviews that cancelled.
 */
export function withdrawApplication(db: DB, application: q.ApplicationRow, ctx: MailContext, now = new Date()): { withdrawn: boolean; interviewsCancelled: number } {
  if (!mayWithdraw(application.status)) return { withdrawn: false, interviewsCancelled: 0 };
  const at = nowIso(now);
  return db.transaction(() => {
    q.setWithdrawn(db, application.id, at);
    q.insertEvent(db, { application_id: application.id, organisation_id: application.organisation_id, user_id: null, action: 'withdrawn' }, at);
    return { withdrawn: true, interviewsCancelled: cancelInterviewsOfEnded(db, application.id, 'withdrawn', ctx, now).length };
  })();
}

export function leaveTalentPool(db: DB, application: q.ApplicationRow, now = new Date()): void {
  const at = nowIso(now);
  db.transaction(() => {
    q.withdrawTalentPool(db, application.id, at);
    q.insertEvent(db, { application_id: application.id, organisation_id: application.organisation_id, user_id: null, action: 'talent_pool_left' }, at);
  })();
}

/**
 * The candidate stops sharing the application with the region: out of the pool's index, its
 * documents' extracted text gone, proposals not yet answered cancelled. The application itself
 * and the CPTS's own talent pool are unchanged.
 */
export function leaveRegionPool(db: DB, application: q.ApplicationRow, now = new Date()): void {
  const at = nowIso(now);
  const removed = db.transaction(() => {
    q.withdrawRegionPool(db, application.id, at);
    const out = removeFromPool(db, [application.id]);
    db.prepare("UPDATE pool_proposals SET status = 'cancelled', answered_at = ? WHERE source_application_id = ? AND status = 'pending'").run(at, application.id);
    q.insertEvent(db, { application_id: application.id, organisation_id: application.organisation_id, user_id: null, action: 'region_pool_left' }, at);
    return out;
  })();
  if (removed) compactPoolIndex(db);
}

export function revokeCandidateLink(db: DB, application: q.ApplicationRow, linkId: number, now = new Date()): void {
  const at = nowIso(now);
  db.transaction(() => {
    q.revokeLink(db, linkId, at);
    q.insertEvent(db, { application_id: application.id, organisation_id: application.organisation_id, user_id: null, action: 'link_revoked' }, at);
  })();
}

/** Documents one application may hold: the link adds some, within reason (disk is not free). */
export const MAX_DOCUMENTS_PER_APPLICATION = 10;

/** While the process runs for this application the candidate may complete it. */
export function mayComplete(status: string): boolean {
  return !FINAL.has(status);
}

/**
 * A document added through the private link (the proof of the address): the same checks as
 * the apply form (checkFiles, by content), recorded on the timeline the bureau sees. Returns
 * field errors instead when refused; the caller removes the file then.
 */
export function addCandidateDocument(
  db: DB,
  application: q.ApplicationRow,
  file: UploadedFile,
  kind: 'cv' | 'other',
  ctx: { uploadDir: string; now?: Date },
): { errors: Record<string, string> } {
  if (!mayComplete(application.status)) return { errors: { document: 'applications.errors.notCompletable' } };
  const { errors, checked } = checkFiles([{ ...file, field: 'cv' }]);
  if (errors.cv) return { errors: { document: errors.cv } };
  const f = checked[0]!;
  const s = f.stored ?? storeDurably(f.path, ctx.uploadDir);
  const at = nowIso(ctx.now ?? new Date());
  try {
    const full = db.transaction(() => {
      if (q.documentCount(db, application.id) >= MAX_DOCUMENTS_PER_APPLICATION) return true;
      const documentId = q.insertDocument(
        db,
        { application_id: application.id, organisation_id: application.organisation_id, kind, stored_name: s.storedName, original_name: f.displayName, file_type: f.type, size_bytes: s.size, sha256: s.sha256 },
        at,
      );
      if (application.region_pool_consent === 1 && file.text) {
        saveDocumentText(db, documentId, application.id, file.text, at);
        indexPoolApplication(db, application.id);
      }
      q.touchContact(db, application.id, at);
      q.insertEvent(db, { application_id: application.id, organisation_id: application.organisation_id, user_id: null, action: 'document_added', details: { kind } }, at);
      return false;
    })();
    if (full) {
      removeStored(ctx.uploadDir, [s.storedName]);
      return { errors: { document: 'applications.errors.tooManyDocuments' } };
    }
  } catch (err) {
    removeStored(ctx.uploadDir, [s.storedName]);
    throw err;
  }
  return { errors: {} };
}

/** The message updated through the private link; false when refused or unchanged (nothing recorded). */
export function updateCandidateMessage(db: DB, application: q.ApplicationRow, message: string, now = new Date()): 'updated' | 'unchanged' | 'refused' {
  if (!mayComplete(application.status)) return 'refused';
  if (message === application.message) return 'unchanged';
  const at = nowIso(now);
  db.transaction(() => {
    q.setMessage(db, application.id, message, at);
    indexPoolApplication(db, application.id);
    q.insertEvent(db, { application_id: application.id, organisation_id: application.organisation_id, user_id: null, action: 'message_updated' }, at);
  })();
  return 'updated';
}

/** A withdrawn application taken up again through the link, while its posting is open. */
export function mayResume(application: { status: string }, postingOpen: boolean): boolean {
  return application.status === 'withdrawn' && postingOpen;
}

export function resumeApplication(db: DB, application: q.ApplicationRow, postingOpen: boolean, now = new Date()): boolean {
  if (!mayResume(application, postingOpen)) return false;
  const at = nowIso(now);
  db.transaction(() => {
    q.setResumed(db, application.id, at);
    q.insertEvent(db, { application_id: application.id, organisation_id: application.organisation_id, user_id: null, action: 'resumed' }, at);
  })();
  return true;
}

// Erasure and the copy of a candidate's data (GDPR) live in the privacy feature, which knows
// every copy of a person's data (privacy/personal-data.ts).

// ---- bureau side -----------------------------------------------------------------------------------

/**
 * A posting whose applications the actor may see. The list itself is the pipeline's (it
 * applies anonymised screening); this only checks access for the old addresses.
 */
export function postingForApplications(db: DB, actor: Actor, postingId: number) {
  const posting = q.postingRef(db, postingId);
  if (!posting) throw new NotFound();
  authorize(actor, 'application.view', { id: posting.organisation_id, region_id: posting.region_id });
  return posting;
}

/** A document the actor may open, without opening it (no audit entry: the opener records it). */
export function documentRef(db: DB, actor: Actor, documentId: number) {
  const doc = q.documentById(db, documentId);
  if (!doc) throw new NotFound();
  authorize(actor, 'application.view', { id: doc.organisation_id, region_id: doc.region_id });
  return doc;
}

/** A document the actor may read; audited, since it is a candidate's personal data. */
export function documentForDownload(db: DB, actor: Actor, documentId: number, uploadDir: string, ip: string) {
  const doc = q.documentById(db, documentId);
  if (!doc) throw new NotFound();
  authorize(actor, 'application.view', { id: doc.organisation_id, region_id: doc.region_id });
  const file = storedPath(uploadDir, doc.stored_name);
  if (!fs.existsSync(file)) throw new NotFound();
  audit(db, { actorUserId: actor.id, actorLabel: actor.email, action: 'application.document_downloaded', organisationId: doc.organisation_id, targetType: 'application_document', targetId: doc.id, ip });
  return { doc, file };
}

// ---- daily digest -------------------------------------------------------------------------------------

export const todayInParis = parisDay;

/** One digest per CPTS per day for those that chose it; returns how many CPTS got one. */
export function sendApplicationDigests(db: DB, ctx: { baseUrl: string; translator: Translators; now?: Date }): number {
  const now = ctx.now ?? new Date();
  const day = todayInParis(now);
  const pending = q.pendingDigestApplications(db);
  const byOrg = new Map<number, q.PendingRow[]>();
  for (const p of pending) byOrg.set(p.organisation_id, [...(byOrg.get(p.organisation_id) ?? []), p]);
  // A CPTS on the digest also hears of the applications waiting for a reply (pipeline/waiting.ts).
  const waitingByOrg = new Map<number, WaitingRow[]>();
  for (const w of waitingApplications(db, q.digestOrganisations(db), now)) waitingByOrg.set(w.organisation_id, [...(waitingByOrg.get(w.organisation_id) ?? []), w]);
  for (const orgId of waitingByOrg.keys()) if (!byOrg.has(orgId)) byOrg.set(orgId, []);
  let sent = 0;
  for (const [orgId, rows] of byOrg) {
    const done = db.transaction(() => {
      if (q.digestSent(db, orgId, day)) return false;
      const orgName = (db.prepare('SELECT name FROM organisations WHERE id = ?').get(orgId) as { name: string }).name;
      const identities = new Map([...rows.map((r) => r.id), ...(waitingByOrg.get(orgId) ?? []).map((w) => w.application_id)].map((id) => [id, identityFor(db, id, null)]));
      const waitingRows = waitingByOrg.get(orgId) ?? [];
      for (const rcpt of q.bureauRecipients(db, orgId)) {
        // Each member's digest in their own language.
        const { t, locale } = writerFor(db, ctx, { email: rcpt.email, otherwise: 'fr' });
        const nameOf = (id: number) => displayName(t, identities.get(id)!);
        const lines = rows.map((r) => t('applications.mail.digest.line', { candidate: nameOf(r.id), posting: postingLabel(r, t, locale) }));
        const waiting = {
          days: waitingRows[0]?.waiting_days ?? 0,
          lines: waitingRows.map((w) => t('applications.mail.digest.waitingLine', { candidate: nameOf(w.application_id), posting: postingLabel(w, t, locale), days: daysWaiting(w, now) })),
        };
        const mail = bureauDigestMail(t, { lang: locale, name: rcpt.name, org: orgName, lines, waiting, url: `${ctx.baseUrl}/organisations/${orgId}/offres` });
        enqueueMail(db, { template: 'applications.digest', to: rcpt.email, organisationId: orgId, applicationIds: [...rows.map((r) => r.id), ...waitingRows.map((w) => w.application_id)], ...mail }, now);
      }
      q.recordDigest(db, orgId, day, nowIso(now));
      q.markNotified(db, rows.map((r) => r.id), nowIso(now));
      return true;
    })();
    if (done) sent++;
  }
  return sent;
}

/**
 * A further private link for an application (another feature's mail points the candidate to
 * their page, e.g. to choose an interview slot); earlier links keep working.
 */
export function issueCandidateLink(db: DB, applicationId: number, now = new Date()): string {
  const { token, hash } = newToken();
  q.insertLink(db, applicationId, hash, nowIso(new Date(now.getTime() + LINK_TTL_DAYS * 86_400_000)), nowIso(now));
  return token;
}
