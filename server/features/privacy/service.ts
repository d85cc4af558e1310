/**
 * The bureau's side of the candidate's GDPR rights: a copy of the candidate's data (the same
 * ZIP as from the private link) and erasure on request. Both are audited with the actor.
 */
import type { DB } from '../../core/db.js';
import { audit } from '../../core/audit.js';
import { NotFound } from '../../core/errors.js';
import { authorize, type Actor } from '../../core/policy.js';
import { eraseApplication, exportData } from '../applications/service.js';
import * as q from './queries.js';
import * as retention from './retention.js';

/** The application with the candidate's identity, when the actor may exercise GDPR rights on it. */
export function gdprApplication(db: DB, actor: Actor, applicationId: number) {
  const app = q.applicationForGdpr(db, applicationId);
  if (!app) throw new NotFound();
  authorize(actor, 'application.gdpr', { id: app.organisation_id, region_id: app.region_id });
  if (retention.isAnonymised(db, applicationId)) throw new NotFound();
  return app;
}

export function exportForBureau(db: DB, actor: Actor, applicationId: number, ip: string) {
  const app = gdprApplication(db, actor, applicationId);
  audit(db, { actorUserId: actor.id, actorLabel: actor.email, action: 'application.exported_by_bureau', organisationId: app.organisation_id, targetType: 'application', targetId: app.id, ip });
  return { app, data: exportData(db, app) };
}

export function eraseForBureau(db: DB, actor: Actor, applicationId: number, uploadDir: string, ip: string) {
  const app = gdprApplication(db, actor, applicationId);
  eraseApplication(db, app, uploadDir, ip, { actorUserId: actor.id, actorLabel: actor.email, action: 'application.erased_by_bureau' });
  return app;
}
