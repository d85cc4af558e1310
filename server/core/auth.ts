import type { NextFunction, Request, Response } from 'express';
import passport from 'passport';
import { Strategy as LocalStrategy } from 'passport-local';
import type { DB } from './db.js';
import { Forbidden } from './errors.js';
import { verifyPassword } from './password.js';
import type { Actor, Membership } from './policy.js';

declare global {
  namespace Express {
    interface User extends Actor {}
  }
}

type UserRow = { id: number; email: string; name: string; locale: 'fr' | 'en'; is_admin: number; password_hash: string | null; disabled_at: string | null };

export function loadActor(db: DB, userId: number): Actor | undefined {
  const user = db
    .prepare('SELECT id, email, name, locale, is_admin FROM users WHERE id = ? AND disabled_at IS NULL')
    .get(userId) as UserRow | undefined;
  if (!user) return undefined;
  const memberships = db
    .prepare(
      `SELECT organisation_id AS organisationId, region_id AS regionId, role, title
       FROM memberships WHERE user_id = ? ORDER BY id`,
    )
    .all(userId) as Membership[];
  return { id: user.id, email: user.email, name: user.name, locale: user.locale, isAdmin: user.is_admin === 1, memberships };
}

/** One passport instance per app, so tests can build several apps in one process. */
export function createPassport(db: DB, passwordCost: number): passport.PassportStatic {
  const pp = new passport.Passport() as unknown as passport.PassportStatic;
  pp.use(
    new LocalStrategy({ usernameField: 'email', passwordField: 'password' }, (email, password, done) => {
      const row = db
        .prepare('SELECT id, password_hash, disabled_at FROM users WHERE email = ?')
        .get(email.trim()) as UserRow | undefined;
      verifyPassword(password, row?.password_hash, passwordCost)
        .then((ok) => {
          if (!ok || !row || row.disabled_at) return done(null, false);
          done(null, loadActor(db, row.id) ?? false);
        })
        .catch(done);
    }),
  );
  pp.serializeUser((user, done) => done(null, (user as Actor).id));
  pp.deserializeUser((id: number, done) => {
    try {
      // A removed or disabled user simply loses the session.
      done(null, loadActor(db, id) ?? false);
    } catch (err) {
      done(err);
    }
  });
  return pp;
}

export function requireAuth(req: Request, res: Response, next: NextFunction) {
  if (req.user) return next();
  if (req.method === 'GET') return res.redirect(`/connexion?suite=${encodeURIComponent(req.originalUrl)}`);
  res.status(401);
  return res.render('errors/error', { status: 401, titleKey: 'errors.401.title', messageKey: 'errors.401.message' });
}

export function requireAdmin(req: Request, _res: Response, next: NextFunction) {
  if (!req.user?.isAdmin) throw new Forbidden();
  next();
}

/** The logged-in actor; only call behind requireAuth. */
export function actor(req: Request): Actor {
  if (!req.user) throw new Forbidden();
  return req.user;
}
