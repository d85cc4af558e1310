import type { DB } from '../../core/db.js';
import { nowIso } from '../../core/db.js';
import { audit } from '../../core/audit.js';
import { Conflict, Invalid, NotFound } from '../../core/errors.js';
import type { MailContext } from '../../core/mail-locale.js';
import { authorize, canViewRegion, organisationIdsOf, regionIdsOf, type Actor } from '../../core/policy.js';
import { slugify, uniqueSlug } from '../../core/slug.js';
import { createInvitation } from '../auth/service.js';
import * as q from './queries.js';
import { sizeClass } from './schemas.js';

export type OrganisationInput = { name: string; department: string; territory: string; population: number; presentation: string; email: string } & q.OrganisationPlace;

export function createRegion(db: DB, admin: Actor, name: string, form: { view: string }, now = new Date()): number {
  return db.transaction(() => {
    if (q.regionNameTaken(db, name)) throw new Invalid({ name: 'org.errors.regionExists' }, form.view, { values: { name } });
    const id = q.insertRegion(db, name, uniqueSlug(slugify(name), (s) => q.regionSlugTaken(db, s)), nowIso(now));
    audit(db, { actorUserId: admin.id, actorLabel: admin.email, action: 'region.created', targetType: 'region', targetId: id });
    return id;
  })();
}

export function createOrganisation(db: DB, admin: Actor, input: OrganisationInput & { region_id: number }, form: { view: string; locals: Record<string, unknown> }, now = new Date()): number {
  return db.transaction(() => {
    if (!q.regionById(db, input.region_id)) throw new Invalid({ region_id: 'errors.choice' }, form.view, { ...form.locals, values: input });
    const id = q.insertOrganisation(
      db,
      {
        regionId: input.region_id,
        name: input.name,
        slug: uniqueSlug(slugify(input.name), (s) => q.organisationSlugTaken(db, s)),
        department: input.department,
        territory: input.territory,
        population: input.population,
        sizeClass: sizeClass(input.population),
        presentation: input.presentation,
        email: input.email || null,
        street_address: input.street_address,
        postal_code: input.postal_code,
        city: input.city,
        website_url: input.website_url,
        logo_url: input.logo_url,
      },
      nowIso(now),
    );
    audit(db, { actorUserId: admin.id, actorLabel: admin.email, action: 'organisation.created', organisationId: id, targetType: 'organisation', targetId: id });
    return id;
  })();
}

/** The slug stays as it was: public links to the CPTS keep working after a rename. */
export function updateOrganisation(db: DB, actor: Actor, id: number, input: OrganisationInput, now = new Date()): void {
  db.transaction(() => {
    const org = q.organisationById(db, id);
    authorize(actor, 'organisation.edit', org);
    q.updateOrganisation(db, id, { ...input, sizeClass: sizeClass(input.population), email: input.email || null }, nowIso(now));
    audit(db, { actorUserId: actor.id, actorLabel: actor.email, action: 'organisation.updated', organisationId: id, targetType: 'organisation', targetId: id });
  })();
}

export function viewableOrganisation(db: DB, actor: Actor, id: number) {
  const org = q.organisationById(db, id);
  authorize(actor, 'organisation.view', org);
  return org;
}

export function viewableRegion(db: DB, actor: Actor, id: number) {
  const region = q.regionById(db, id);
  if (!region || !canViewRegion(actor, id)) throw new NotFound();
  return region;
}

/** What the home page shows: the CPTS of one's regions, then one's own CPTS. */
export function homeFor(db: DB, actor: Actor) {
  const regionIds = regionIdsOf(actor);
  const regionOrgs = q.organisationsOfRegions(db, regionIds);
  const inRegion = new Set(regionOrgs.map((o) => o.id));
  const ownOrgs = q.organisationsByIds(db, organisationIdsOf(actor)).filter((o) => !inRegion.has(o.id));
  const regions = q.allRegions(db).filter((r) => regionIds.includes(r.id));
  return { regions, regionOrgs, ownOrgs };
}

export function inviteMember(
  db: DB,
  actor: Actor,
  orgId: number,
  input: { email: string; name: string; role: 'bureau' | 'coordinator' | 'case_manager'; title: string },
  ctx: MailContext,
): number {
  const org = q.organisationById(db, orgId);
  authorize(actor, 'organisation.invite', org);
  return createInvitation(
    db,
    actor,
    { ...input, organisationId: org.id, regionId: null, targetName: org.name },
    ctx,
  );
}

export function inviteChargeDeMission(
  db: DB,
  admin: Actor,
  regionId: number,
  input: { email: string; name: string; title: string },
  ctx: MailContext,
): number {
  const region = q.regionById(db, regionId);
  if (!region || !admin.isAdmin) throw new NotFound();
  return createInvitation(
    db,
    admin,
    { ...input, role: 'charge_de_mission', organisationId: null, regionId: region.id, targetName: (t) => t('org.invite.regionTarget', { region: region.name }) },
    ctx,
  );
}

/**
 * Removes one role from a member. A CPTS always keeps at least one bureau member, so it can
 * still manage itself; the removal is audited.
 */
export function removeMember(db: DB, actor: Actor, orgId: number, userId: number, role: 'bureau' | 'coordinator' | 'case_manager', ip?: string): void {
  db.transaction(() => {
    const org = q.organisationById(db, orgId);
    authorize(actor, 'organisation.invite', org);
    if (role === 'bureau' && q.countBureau(db, orgId) <= 1) throw new Conflict('last bureau member');
    if (q.deleteMembership(db, orgId, userId, role).changes !== 1) throw new NotFound();
    audit(db, { actorUserId: actor.id, actorLabel: actor.email, action: 'membership.removed', organisationId: orgId, targetType: 'user', targetId: userId, ip, details: { role } });
  })();
}

export function revokeInvitation(db: DB, actor: Actor, orgId: number, invitationId: number, ip?: string, now = new Date()): void {
  db.transaction(() => {
    const org = q.organisationById(db, orgId);
    authorize(actor, 'organisation.invite', org);
    if (q.revokeInvitation(db, orgId, invitationId, nowIso(now)).changes !== 1) throw new NotFound();
    audit(db, { actorUserId: actor.id, actorLabel: actor.email, action: 'invitation.revoked', organisationId: orgId, targetType: 'invitation', targetId: invitationId, ip });
  })();
}
