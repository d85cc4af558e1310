import type { DB } from '../../core/db.js';

export type UserRow = {
  id: number;
  email: string;
  name: string;
  password_hash: string | null;
  locale: 'fr' | 'en';
  is_admin: number;
  disabled_at: string | null;
};

export type InvitationRow = {
  id: number;
  email: string;
  name: string;
  organisation_id: number | null;
  region_id: number | null;
  role: 'bureau' | 'coordinator' | 'case_manager' | 'charge_de_mission' | 'panelist';
  title: string;
  expires_at: string;
  accepted_at: string | null;
  revoked_at: string | null;
  created_at: string;
  target_name: string;
};

export const userByEmail = (db: DB, email: string) =>
  db.prepare('SELECT * FROM users WHERE email = ?').get(email) as UserRow | undefined;

export const userById = (db: DB, id: number) => db.prepare('SELECT * FROM users WHERE id = ?').get(id) as UserRow | undefined;

export const insertUser = (db: DB, u: { email: string; name: string; passwordHash: string | null; locale: string; isAdmin?: boolean }, now: string) =>
  Number(
    db
      .prepare('INSERT INTO users (email, name, password_hash, locale, is_admin, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)')
      .run(u.email, u.name, u.passwordHash, u.locale, u.isAdmin ? 1 : 0, now, now).lastInsertRowid,
  );

export const updatePasswordHash = (db: DB, userId: number, hash: string, now: string) =>
  db.prepare('UPDATE users SET password_hash = ?, updated_at = ? WHERE id = ?').run(hash, now, userId);

export const updateProfile = (db: DB, userId: number, name: string, locale: string, now: string) =>
  db.prepare('UPDATE users SET name = ?, locale = ?, updated_at = ? WHERE id = ?').run(name, locale, now, userId);

/** Ends every session of a user (after a password change or reset), except one to keep. */
export const deleteSessionsOfUser = (db: DB, userId: number, keepSid?: string) =>
  db.prepare("DELETE FROM sessions WHERE json_extract(sess, '$.passport.user') = ? AND sid IS NOT ?").run(userId, keepSid ?? null);

export const insertPasswordReset = (db: DB, userId: number, tokenHash: string, expiresAt: string, now: string) =>
  db.prepare('INSERT INTO password_resets (user_id, token_hash, expires_at, created_at) VALUES (?, ?, ?, ?)').run(userId, tokenHash, expiresAt, now);

/** Reset links issued to a user since a moment: the per-address limit, held in the database so every process sees it. */
export const passwordResetsSince = (db: DB, userId: number, since: string) =>
  db.prepare('SELECT COUNT(*) FROM password_resets WHERE user_id = ? AND created_at >= ?').pluck().get(userId, since) as number;

export const validPasswordReset = (db: DB, tokenHash: string, now: string) =>
  db
    .prepare('SELECT id, user_id FROM password_resets WHERE token_hash = ? AND used_at IS NULL AND expires_at > ?')
    .get(tokenHash, now) as { id: number; user_id: number } | undefined;

export const useAllPasswordResets = (db: DB, userId: number, now: string) =>
  db.prepare('UPDATE password_resets SET used_at = ? WHERE user_id = ? AND used_at IS NULL').run(now, userId);

const INVITATION_COLUMNS = `i.id, i.email, i.name, i.organisation_id, i.region_id, i.role, i.title, i.expires_at,
  i.accepted_at, i.revoked_at, i.created_at, COALESCE(o.name, r.name) AS target_name`;

export const invitationByTokenHash = (db: DB, tokenHash: string) =>
  db
    .prepare(
      `SELECT ${INVITATION_COLUMNS} FROM invitations i
       LEFT JOIN organisations o ON o.id = i.organisation_id LEFT JOIN regions r ON r.id = i.region_id
       WHERE i.token_hash = ?`,
    )
    .get(tokenHash) as InvitationRow | undefined;

export const insertInvitation = (
  db: DB,
  inv: { tokenHash: string; email: string; name: string; organisationId: number | null; regionId: number | null; role: string; title: string; invitedBy: number; expiresAt: string },
  now: string,
) =>
  Number(
    db
      .prepare(
        `INSERT INTO invitations (token_hash, email, name, organisation_id, region_id, role, title, invited_by, expires_at, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(inv.tokenHash, inv.email, inv.name, inv.organisationId, inv.regionId, inv.role, inv.title, inv.invitedBy, inv.expiresAt, now).lastInsertRowid,
  );

export const markInvitationAccepted = (db: DB, id: number, now: string) =>
  db.prepare('UPDATE invitations SET accepted_at = ? WHERE id = ? AND accepted_at IS NULL').run(now, id);

export const invitationsOfOrganisation = (db: DB, organisationId: number) =>
  db
    .prepare(
      `SELECT ${INVITATION_COLUMNS} FROM invitations i
       LEFT JOIN organisations o ON o.id = i.organisation_id LEFT JOIN regions r ON r.id = i.region_id
       WHERE i.organisation_id = ? ORDER BY i.created_at DESC LIMIT 50`,
    )
    .all(organisationId) as InvitationRow[];

export const invitationsOfRegion = (db: DB, regionId: number) =>
  db
    .prepare(
      `SELECT ${INVITATION_COLUMNS} FROM invitations i
       LEFT JOIN organisations o ON o.id = i.organisation_id LEFT JOIN regions r ON r.id = i.region_id
       WHERE i.region_id = ? ORDER BY i.created_at DESC LIMIT 50`,
    )
    .all(regionId) as InvitationRow[];

export const insertMembership = (
  db: DB,
  m: { userId: number; organisationId: number | null; regionId: number | null; role: string; title: string },
  now: string,
) =>
  db
    .prepare(
      `INSERT INTO memberships (user_id, organisation_id, region_id, role, title, created_at) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT DO NOTHING`,
    )
    .run(m.userId, m.organisationId, m.regionId, m.role, m.title, now);
