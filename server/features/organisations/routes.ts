import { Router, type Request } from 'express';
import type { AppContext } from '../../core/context.js';
import { actor, requireAdmin, requireAuth } from '../../core/auth.js';
import { Conflict, NotFound } from '../../core/errors.js';
import { clientIp, flash, idOr404 } from '../../core/http.js';
import { can, grantableRoles } from '../../core/policy.js';
import { parseInput } from '../../core/validate.js';
import { invitationsOfOrganisation, invitationsOfRegion } from '../auth/queries.js';
import { InvitationSchema, RegionInvitationSchema } from '../auth/schemas.js';
import { invitationState } from '../auth/service.js';
import { myEvaluations } from '../evaluation/service.js';
import { myOnboarding } from '../onboarding/service.js';
import { myPairings } from '../network/service.js';
import { myExchanges } from '../exchange/service.js';
import { messages as orgMessages } from './messages.js';
import * as q from './queries.js';
import { NewOrganisationSchema, OrganisationSchema, RegionSchema, RemoveMemberSchema } from './schemas.js';
import * as service from './service.js';

export const messages = orgMessages;


export function router(ctx: AppContext): Router {
  const { db, config } = ctx;
  const r = Router();
  // Invitation mails go to people without an account yet: French, the product's first language.
  const mailCtx = (req: Request) => ({ baseUrl: config.baseUrl, translator: ctx.i18n.translator, ip: clientIp(req) });

  r.get('/tableau-de-bord', requireAuth, (req, res) => {
    const me = actor(req);
    res.render('organisations/home', { ...service.homeFor(db, me), counts: me.isAdmin ? q.counts(db) : null, mySteps: myOnboarding(db, me), myEvaluations: myEvaluations(db, me), myPairs: myPairings(db, me), myExchanges: myExchanges(db, me) });
  });

  r.get('/regions/:id', requireAuth, (req, res) => {
    const region = service.viewableRegion(db, actor(req), idOr404(req.params.id));
    res.render('organisations/region', {
      region,
      organisations: q.organisationsOfRegions(db, [region.id]),
      charges: q.chargesOfRegion(db, region.id),
    });
  });

  r.get('/organisations/:id', requireAuth, (req, res) => {
    const me = actor(req);
    const org = service.viewableOrganisation(db, me, idOr404(req.params.id));
    const mayInvite = can(me, 'organisation.invite', org);
    res.render('organisations/show', {
      org,
      members: q.membersOfOrganisation(db, org.id),
      invitations: mayInvite ? invitationsOfOrganisation(db, org.id).map((i) => ({ ...i, state: invitationState(i) })) : [],
      mayInvite,
      mayEdit: can(me, 'organisation.edit', org),
    });
  });

  r.post('/organisations/:id/membres/:userId/retirer', requireAuth, (req, res) => {
    const orgId = idOr404(req.params.id);
    const input = parseInput(RemoveMemberSchema, req.body);
    try {
      service.removeMember(db, actor(req), orgId, idOr404(req.params.userId), input.role, clientIp(req));
      flash(req, 'success', 'org.members.removed');
    } catch (err) {
      if (!(err instanceof Conflict)) throw err;
      flash(req, 'error', 'org.members.lastBureau');
    }
    res.redirect(`/organisations/${orgId}`);
  });

  r.post('/organisations/:id/invitations/:invitationId/annuler', requireAuth, (req, res) => {
    const orgId = idOr404(req.params.id);
    service.revokeInvitation(db, actor(req), orgId, idOr404(req.params.invitationId), clientIp(req));
    flash(req, 'success', 'org.invitation.revoked');
    res.redirect(`/organisations/${orgId}`);
  });

  const editView = 'organisations/edit';
  r.get('/organisations/:id/modifier', requireAuth, (req, res) => {
    const me = actor(req);
    const org = service.viewableOrganisation(db, me, idOr404(req.params.id));
    if (!can(me, 'organisation.edit', org)) throw new NotFound();
    res.render(editView, { org, values: org });
  });

  r.post('/organisations/:id/modifier', requireAuth, (req, res) => {
    const me = actor(req);
    const org = service.viewableOrganisation(db, me, idOr404(req.params.id));
    if (!can(me, 'organisation.edit', org)) throw new NotFound();
    const input = parseInput(OrganisationSchema, req.body, { view: editView, locals: { org } });
    service.updateOrganisation(db, me, org.id, input);
    flash(req, 'success', 'org.saved');
    res.redirect(`/organisations/${org.id}`);
  });

  const inviteView = 'organisations/invite';
  const inviteLocals = (req: Request) => {
    const me = actor(req);
    const org = service.viewableOrganisation(db, me, idOr404(req.params.id));
    const roles = grantableRoles(me, org);
    if (roles.length === 0) throw new NotFound();
    return { org, roles };
  };

  r.get('/organisations/:id/invitations/nouvelle', requireAuth, (req, res) => {
    res.render(inviteView, { ...inviteLocals(req), values: { role: 'bureau' } });
  });

  r.post('/organisations/:id/invitations', requireAuth, (req, res) => {
    const locals = inviteLocals(req);
    const input = parseInput(InvitationSchema.refine((v) => locals.roles.includes(v.role), { message: 'errors.choice', path: ['role'] }), req.body, {
      view: inviteView,
      locals,
    });
    service.inviteMember(db, actor(req), locals.org.id, input, mailCtx(req));
    flash(req, 'success', 'org.invite.sent');
    res.redirect(`/organisations/${locals.org.id}`);
  });

  // Instance administration: regions, CPTS, and the regional chargés de mission.
  const admin = Router();
  admin.use(requireAuth, requireAdmin);

  admin.get('/', (_req, res) => {
    res.render('organisations/admin', { regions: q.allRegions(db), organisations: q.organisationsSummary(db), counts: q.counts(db) });
  });

  admin.get('/regions/nouvelle', (_req, res) => res.render('organisations/region-new'));
  admin.post('/regions', (req, res) => {
    const input = parseInput(RegionSchema, req.body, { view: 'organisations/region-new' });
    const id = service.createRegion(db, actor(req), input.name, { view: 'organisations/region-new' });
    flash(req, 'success', 'org.region.created');
    res.redirect(`/regions/${id}`);
  });

  const newOrgView = 'organisations/new';
  admin.get('/organisations/nouvelle', (_req, res) => res.render(newOrgView, { regions: q.allRegions(db), values: {} }));
  admin.post('/organisations', (req, res) => {
    const locals = { regions: q.allRegions(db) };
    const input = parseInput(NewOrganisationSchema, req.body, { view: newOrgView, locals });
    const id = service.createOrganisation(db, actor(req), input, { view: newOrgView, locals });
    flash(req, 'success', 'org.created');
    res.redirect(`/organisations/${id}`);
  });

  const chargeView = 'organisations/invite-charge';
  const chargeLocals = (req: Request) => {
    const region = q.regionById(db, idOr404(req.params.id));
    if (!region) throw new NotFound();
    return { region, invitations: invitationsOfRegion(db, region.id).map((i) => ({ ...i, state: invitationState(i) })) };
  };
  admin.get('/regions/:id/invitations/nouvelle', (req, res) => res.render(chargeView, chargeLocals(req)));
  admin.post('/regions/:id/invitations', (req, res) => {
    const locals = chargeLocals(req);
    const input = parseInput(RegionInvitationSchema, req.body, { view: chargeView, locals });
    service.inviteChargeDeMission(db, actor(req), locals.region.id, input, mailCtx(req));
    flash(req, 'success', 'org.invite.sent');
    res.redirect(`/regions/${locals.region.id}`);
  });

  r.use('/admin', admin);
  return r;
}
