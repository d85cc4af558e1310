import { Router } from 'express';
import type { AppContext } from '../../core/context.js';
import { actor, requireAuth } from '../../core/auth.js';
import { Forbidden, NotFound } from '../../core/errors.js';
import { idParam } from '../../core/http.js';
import { authorize, regionIdsOf } from '../../core/policy.js';
import { parseInput } from '../../core/validate.js';
import { organisationById, organisationsOfRegions, organisationsSummary } from '../organisations/queries.js';
import { accessMessages } from './access-messages.js';
import { messages as privacyMessages } from './messages.js';
import * as q from './queries.js';
import { retentionMessages } from './retention-messages.js';
import { retentionRoutes } from './retention-routes.js';
import { AuditQuery } from './schemas.js';
import { auditLabels } from './audit-labels.js';

export const messages = {
  fr: { ...privacyMessages.fr, ...retentionMessages.fr, ...accessMessages.fr, ...auditLabels.fr },
  en: { ...privacyMessages.en, ...retentionMessages.en, ...accessMessages.en, ...auditLabels.en },
};
const PAGE_SIZE = 50;

function nextDay(date: string): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString();
}

export function router(ctx: AppContext): Router {
  const { db } = ctx;
  const r = Router();

  /**
   * The audit log, read-only. Admins see everything; a chargé de mission sees the entries of
   * the CPTS of their region. Nothing in the app edits or deletes entries.
   */
  r.get('/journal', requireAuth, (req, res) => {
    const me = actor(req);
    const regions = regionIdsOf(me);
    if (!me.isAdmin && regions.length === 0) throw new Forbidden();
    const orgs = me.isAdmin ? organisationsSummary(db) : organisationsOfRegions(db, regions);
    const query = parseInput(AuditQuery, req.query);
    const filter: q.AuditFilter = {
      organisationIds: me.isAdmin ? null : orgs.map((o) => o.id),
      action: query.action,
      actor: query.acteur,
      from: query.du ? `${query.du}T00:00:00.000Z` : undefined,
      to: query.au ? nextDay(query.au) : undefined,
      organisationId: query.cpts,
    };
    const total = q.countAudit(db, filter);
    const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));
    const page = Math.min(query.page, pages);
    const params = new URLSearchParams();
    for (const [k, v] of Object.entries({ action: query.action, acteur: query.acteur, du: query.du, au: query.au, cpts: query.cpts })) {
      if (v !== undefined) params.set(k, String(v));
    }
    res.render('privacy/audit', {
      rows: q.pageOfAudit(db, filter, PAGE_SIZE, (page - 1) * PAGE_SIZE),
      actions: q.distinctActions(db),
      organisations: orgs,
      query,
      total,
      page,
      pages,
      baseUrl: `/journal?${params.toString()}${params.size ? '&' : ''}`,
    });
  });

  /** The CPTS's GDPR register entry for recruitment, generated from the configuration. */
  r.get('/organisations/:id/registre-rgpd', requireAuth, (req, res) => {
    const id = idParam(req.params.id);
    const org = id === undefined ? undefined : organisationById(db, id);
    if (!org) throw new NotFound();
    authorize(actor(req), 'organisation.edit', org);
    res.render('privacy/register', {
      org,
      retentionMonths: ctx.config.retentionMonths,
      talentPoolMonths: ctx.config.talentPoolMonths,
      generatedAt: new Date().toISOString(),
    });
  });

  retentionRoutes(r, ctx);
  return r;
}
