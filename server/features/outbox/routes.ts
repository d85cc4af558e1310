import { Router } from 'express';
import { z } from 'zod';
import type { AppContext } from '../../core/context.js';
import { audit } from '../../core/audit.js';
import { actor, requireAdmin, requireAuth } from '../../core/auth.js';
import { nowIso } from '../../core/db.js';
import { NotFound } from '../../core/errors.js';
import { flash, idParam } from '../../core/http.js';
import { parseInput } from '../../core/validate.js';
import { messages as outboxMessages } from './messages.js';
import * as q from './queries.js';

export const messages = outboxMessages;

const PAGE_SIZE = 30;
const ListQuery = z.object({
  statut: z.enum(['pending', 'sending', 'sent', 'failed']).optional().catch(undefined),
  page: z.coerce.number().int().min(1).max(100_000).catch(1).default(1),
});

/**
 * The admin's window on the mail queue: with no SMTP server configured, this is where
 * invitations and resets can be read, so the app works out of the box.
 */
export function router(ctx: AppContext): Router {
  const { db, config } = ctx;
  const r = Router();
  r.use('/admin/courriels', requireAuth, requireAdmin);

  r.get('/admin/courriels', (req, res) => {
    const query = parseInput(ListQuery, req.query);
    const total = q.countOutbox(db, query.statut);
    const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));
    const page = Math.min(query.page, pages);
    res.render('outbox/index', {
      rows: q.pageOfOutbox(db, query.statut, PAGE_SIZE, (page - 1) * PAGE_SIZE),
      status: query.statut ?? '',
      page,
      pages,
      total,
      smtpConfigured: Boolean(config.smtpUrl),
    });
  });

  const byId = (value: unknown) => {
    const id = idParam(value);
    const row = id === undefined ? undefined : q.outboxById(db, id);
    if (!row) throw new NotFound();
    return row;
  };

  r.get('/admin/courriels/:id', (req, res) => {
    res.render('outbox/show', { mail: byId(req.params.id), smtpConfigured: Boolean(config.smtpUrl) });
  });

  // The HTML body, shown in a sandboxed frame with its own CSP: no script, nothing remote.
  r.get('/admin/courriels/:id/apercu', (req, res) => {
    const mail = byId(req.params.id);
    res.set('Content-Security-Policy', "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'self'; sandbox");
    res.type('html').send(mail.html_body);
  });

  r.post('/admin/courriels/:id/renvoyer', (req, res) => {
    const mail = byId(req.params.id);
    const me = actor(req);
    db.transaction(() => {
      q.requeue(db, mail.id, nowIso());
      audit(db, { actorUserId: me.id, actorLabel: me.email, action: 'outbox.requeued', targetType: 'outbox', targetId: mail.id });
    })();
    flash(req, 'success', 'outbox.requeued');
    res.redirect(`/admin/courriels/${mail.id}`);
  });

  return r;
}
