import type { DB } from '../../core/db.js';
import { NotFound } from '../../core/errors.js';
import { authorize, can, type Action, type Actor, type OrgRef } from '../../core/policy.js';
import * as q from './queries.js';

export type { MailContext } from '../../core/mail-locale.js';

export const orgRef = (row: { organisation_id: number; region_id: number }): OrgRef => ({ id: row.organisation_id, region_id: row.region_id });

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

export function mayMoveIn(db: DB, actor: Actor, row: { organisation_id: number; region_id: number; posting_id: number }): boolean {
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
