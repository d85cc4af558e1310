import { Router, type Request, type Response } from 'express';
import { rateLimit } from 'express-rate-limit';
import type { PassportStatic } from 'passport';
import type { AppContext } from '../../core/context.js';
import { audit } from '../../core/audit.js';
import { actor, requireAuth } from '../../core/auth.js';
import { Invalid } from '../../core/errors.js';
import { clientIp, flash, safeRedirectPath } from '../../core/http.js';
import { LANG_COOKIE } from '../../core/page-cache.js';
import type { Actor } from '../../core/policy.js';
import { parseInput } from '../../core/validate.js';
import { messages as authMessages } from './messages.js';
import * as schemas from './schemas.js';
import * as service from './service.js';
import { feedStatus } from '../scheduling/feed.js';

export const messages = authMessages;

export function router(ctx: AppContext, passport: PassportStatic): Router {
  const { db, config } = ctx;
  const r = Router();
  const cost = config.passwordCost;

  const limiter = (limit: number, name: string, countSuccesses = false) =>
    rateLimit({
      store: ctx.rateLimitStore(name),
      windowMs: 15 * 60_000,
      limit,
      standardHeaders: 'draft-7',
      legacyHeaders: false,
      skipSuccessfulRequests: !countSuccesses,
      handler: (_req, res) => {
        res.status(429).render('errors/error', { status: 429 });
      },
    });
  const loginLimiter = limiter(config.loginRateLimit, 'login');
  const resetLimiter = limiter(config.loginRateLimit, 'reset');
  // Asking for a reset always "succeeds" (the answer is neutral), so every request counts; the
  // limit per address is in the service, counted in the database.
  const resetRequestLimiter = limiter(config.loginRateLimit, 'reset-request', true);

  r.get('/connexion', (req, res) => {
    if (req.user) return res.redirect('/tableau-de-bord');
    res.render('auth/login', { values: { suite: typeof req.query.suite === 'string' ? req.query.suite : '' } });
  });

  r.post('/connexion', loginLimiter, (req, res, next) => {
    const input = parseInput(schemas.LoginSchema, req.body, { view: 'auth/login' });
    passport.authenticate('local', (err: unknown, user: Actor | false) => {
      if (err) return next(err);
      if (!user) {
        audit(db, { actorLabel: input.email, action: 'auth.login_failed', ip: clientIp(req) });
        // Same message and status whether the e-mail is unknown or the password wrong.
        return res.status(401).render('auth/login', { values: { email: input.email, suite: input.suite }, errors: { _form: 'auth.login.failed' } });
      }
      req.login(user, (loginErr) => {
        if (loginErr) return next(loginErr);
        audit(db, { actorUserId: user.id, actorLabel: user.email, action: 'auth.login', ip: clientIp(req) });
        res.redirect(safeRedirectPath(input.suite));
      });
    })(req, res, next);
  });

  r.post('/deconnexion', (req, res, next) => {
    req.logout((err) => {
      if (err) return next(err);
      flash(req, 'success', 'auth.logout.done');
      res.redirect('/connexion');
    });
  });

  // The language switch of visitors without an account (members choose theirs in /compte): a
  // link that stores the choice in a cookie of the browser. It changes no server state, so it
  // needs no session nor CSRF token, and the public pages stay cacheable (core/page-cache.ts).
  r.get('/langue', (req, res) => {
    const input = parseInput(schemas.LocaleSchema, req.query);
    res.cookie(LANG_COOKIE, input.locale, { maxAge: 365 * 86_400_000, httpOnly: true, sameSite: 'lax', secure: config.env === 'production', path: '/' });
    res.redirect(safeRedirectPath(input.retour, '/'));
  });

  r.get('/mot-de-passe-oublie', (_req, res) => res.render('auth/forgot'));

  r.post('/mot-de-passe-oublie', resetRequestLimiter, (req, res) => {
    const input = parseInput(schemas.ForgotSchema, req.body, { view: 'auth/forgot' });
    service.requestPasswordReset(db, input.email, { baseUrl: config.baseUrl, translator: ctx.i18n.translator });
    res.render('auth/forgot-sent', { email: input.email });
  });

  r.get('/reinitialisation/:token', (req, res) => {
    const valid = service.findValidReset(db, String(req.params.token));
    if (!valid) return res.status(404).render('auth/link-invalid', { kind: 'reset' });
    res.render("auth/reset", { token: String(req.params.token) });
  });

  r.post('/reinitialisation/:token', resetLimiter, async (req, res) => {
    const token = String(req.params.token);
    if (!service.findValidReset(db, token)) return res.status(404).render('auth/link-invalid', { kind: 'reset' });
    const input = parseInput(schemas.ResetSchema, req.body, { view: 'auth/reset', locals: { token } });
    await service.resetPassword(db, token, input.password, cost);
    flash(req, 'success', 'auth.reset.done');
    res.redirect('/connexion');
  });

  r.get('/invitation/:token', (req, res) => {
    const inv = service.findInvitation(db, String(req.params.token));
    const state = inv ? service.invitationState(inv) : 'invalid';
    if (!inv || state !== 'valid') return res.status(state === 'invalid' ? 404 : 410).render('auth/link-invalid', { kind: 'invitation', state });
    res.render('auth/accept', { invitation: inv, token: String(req.params.token), values: { name: inv.name } });
  });

  r.post('/invitation/:token', async (req, res) => {
    const token = String(req.params.token);
    const inv = service.findInvitation(db, token);
    const state = inv ? service.invitationState(inv) : 'invalid';
    if (!inv || state !== 'valid') return res.status(state === 'invalid' ? 404 : 410).render('auth/link-invalid', { kind: 'invitation', state });
    const input = parseInput(schemas.AcceptInvitationSchema, req.body, { view: 'auth/accept', locals: { invitation: inv, token } });
    const result = await service.acceptInvitation(db, token, input, cost);
    flash(req, 'success', result.existing ? 'auth.invitation.addedToExisting' : 'auth.invitation.done');
    res.redirect('/connexion');
  });

  const accountLocals = (req: Request) => ({ account: actor(req), calendarFeed: feedStatus(db, actor(req).id) });

  r.get('/compte', requireAuth, (req, res) => {
    const me = actor(req);
    res.render('auth/account', { ...accountLocals(req), values: { name: me.name, locale: me.locale } });
  });

  r.post('/compte', requireAuth, (req, res) => {
    const input = parseInput(schemas.AccountSchema, req.body, { view: 'auth/account', locals: accountLocals(req) });
    service.updateAccount(db, actor(req), input);
    flash(req, 'success', 'auth.account.saved');
    res.redirect('/compte');
  });

  r.post('/compte/mot-de-passe', requireAuth, async (req: Request, res: Response) => {
    const me = actor(req);
    const view = { view: 'auth/account', locals: { ...accountLocals(req), values: { name: me.name, locale: me.locale }, passwordForm: true } };
    const input = parseInput(schemas.ChangePasswordSchema, req.body, view);
    try {
      await service.changePassword(db, me, input, cost, req.sessionID, view);
    } catch (err) {
      if (err instanceof Invalid) audit(db, { actorUserId: me.id, actorLabel: me.email, action: 'auth.password_change_failed', ip: clientIp(req) });
      throw err;
    }
    flash(req, 'success', 'auth.password.changed');
    res.redirect('/compte');
  });

  return r;
}
