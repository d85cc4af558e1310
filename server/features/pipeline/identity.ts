import { audit } from '../../core/audit.js';
import type { DB } from '../../core/db.js';
import { nowIso } from '../../core/db.js';
import { NotFound } from '../../core/errors.js';
import type { Actor } from '../../core/policy.js';
import { viewableApplication, viewablePosting } from './access.js';
import * as q from './queries.js';

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
