/**
 * A candidate's GDPR rights, from their private link or through the bureau: a copy of
 * everything kept about them (access export) and erasure. Both act on every application of the
 * person within the CPTS (applicationsOfPerson), never another CPTS's, go through the registry
 * of personal data, and are audited without the person's identity.
 */
import { compactPoolIndex } from '../pool/search-index.js';
import type { DB } from '../../core/db.js';
import { checkpointAfterErasure } from '../../core/db.js';
import { audit } from '../../core/audit.js';
import { NotFound } from '../../core/errors.js';
import { authorize, type Actor } from '../../core/policy.js';
import { applicationResultsVisible } from '../evaluation/service.js';
import { cancelErasedInterviews, interviewsToCancelOnErasure } from '../interviews/service.js';
import type { MailContext } from '../../core/mail-locale.js';
import { accessExport } from './access.js';
import { forgetPerson, personOf, type Person } from './personal-data.js';
import * as q from './queries.js';
import * as retention from './retention.js';
import { shredStored } from './shred.js';

/** The application with the candidate's identity, when the actor may exercise GDPR rights on it. */
export function gdprApplication(db: DB, actor: Actor, applicationId: number) {
  const app = q.applicationForGdpr(db, applicationId);
  if (!app) throw new NotFound();
  authorize(actor, 'application.gdpr', { id: app.organisation_id, region_id: app.region_id });
  if (retention.isAnonymised(db, applicationId)) throw new NotFound();
  return app;
}

/** The person behind an application: all their applications in its CPTS. */
export function personOfApplication(db: DB, app: { organisation_id: number; email: string }): Person {
  const person = personOf(db, app.organisation_id, app.email);
  if (!person) throw new NotFound();
  return person;
}

/** The postings the person applied to in this CPTS (shown before an erasure). */
export function postingsOf(db: DB, person: Person): string[] {
  return q.postingTitlesOf(db, person.applicationIds);
}

type ErasedBy = { actorUserId?: number; actorLabel: string; action: string; ip?: string | null };

/**
 * Erases the person: every copy found by the registry goes in one transaction, each erased
 * application leaves an audit entry without identity, the files are overwritten and removed
 * once the rows are, and the WAL is checkpointed so no page image of the rows stays on disk.
 */
export function erasePerson(db: DB, person: Person, uploadDir: string, by: ErasedBy, ctx: MailContext) {
  const result = db.transaction(() => {
    // The interviews still to come go with the applications: their panel is told (naming no one).
    const interviews = interviewsToCancelOnErasure(db, person.applicationIds);
    const out = forgetPerson(db, person, 'erase');
    cancelErasedInterviews(db, interviews, ctx);
    for (const id of person.applicationIds) {
      audit(db, {
        actorUserId: by.actorUserId,
        actorLabel: by.actorLabel,
        action: by.action,
        organisationId: person.organisationId,
        targetType: 'application',
        targetId: id,
        ip: by.ip ?? null,
        details: { mailsCancelled: out.mailsCancelled, mailsScrubbed: out.mailsScrubbed, applications: person.applicationIds.length },
      });
    }
    return out;
  })();
  shredStored(uploadDir, result.files);
  if (result.poolIndex) compactPoolIndex(db);
  checkpointAfterErasure(db);
  return result;
}

/**
 * From the candidate's private link: the link proves the address, so every application of that
 * address in this CPTS goes. The person's own address is not recorded (they asked to be erased).
 */
export function eraseFromCandidateLink(db: DB, app: { organisation_id: number; email: string }, uploadDir: string, ctx: MailContext) {
  return erasePerson(db, personOfApplication(db, app), uploadDir, { actorLabel: 'candidat·e', action: 'application.erased_by_candidate' }, ctx);
}

export function eraseForBureau(db: DB, actor: Actor, applicationId: number, uploadDir: string, ctx: MailContext) {
  const app = gdprApplication(db, actor, applicationId);
  erasePerson(db, personOfApplication(db, app), uploadDir, { actorUserId: actor.id, actorLabel: actor.email, action: 'application.erased_by_bureau', ip: ctx.ip }, ctx);
  return app;
}

/** The application a request came through, with its candidate and CPTS (the link's or the bureau's view). */
type ExportedApplication = Parameters<typeof accessExport>[3] & { organisation_id: number; email: string; org_name: string; org_email: string | null };

const controllerOf = (app: { org_name: string; org_email: string | null }) => ({ name: app.org_name, email: app.org_email });

/** The person's own copy, from their link: drafts of the panel included (they are data kept about them). */
export function exportForCandidate(db: DB, app: ExportedApplication) {
  const person = personOfApplication(db, app);
  return { person, data: accessExport(db, person, controllerOf(app), app, { evaluationsVisible: () => true, drafts: true }) };
}

/**
 * The bureau's copy to hand to the person. Evaluations follow the independence rule: a bureau
 * member sees submitted ones only where they may see the panel's results; drafts never.
 */
export function exportForBureau(db: DB, actor: Actor, applicationId: number, ip: string) {
  const app = gdprApplication(db, actor, applicationId);
  const person = personOfApplication(db, app);
  audit(db, { actorUserId: actor.id, actorLabel: actor.email, action: 'application.exported_by_bureau', organisationId: app.organisation_id, targetType: 'application', targetId: app.id, ip });
  const data = accessExport(db, person, controllerOf(app), app, { evaluationsVisible: (id) => applicationResultsVisible(db, actor, id), drafts: false });
  return { app, person, data };
}
