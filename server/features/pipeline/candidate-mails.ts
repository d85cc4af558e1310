/**
 * When a mail to a candidate leaves. Published beside the pipeline's service, as anonymity.ts.
 * - Every mail a member's action sends to a candidate waits CANDIDATE_MAIL_UNDO_MS in the
 *   outbox (next_attempt_at) and is recorded in pipeline_mails; until then the member may
 *   cancel the sending ("Annuler l'envoi"): the action (a move, a rejection, an interview)
 *   stays as it is, the outbox row goes, and the record says the mail was not sent.
 * - A runner-up's rejection may be held "to send when the post is filled": it is recorded
 *   without an outbox row and rendered when the offer is accepted (releaseHeldMails).
 */
import { audit } from '../../core/audit.js';
import type { DB } from '../../core/db.js';
import { nowIso } from '../../core/db.js';
import { Conflict, NotFound } from '../../core/errors.js';
import { CANDIDATE_MAIL_UNDO_MS, enqueueMail, type Mail } from '../../core/mailer.js';
import { can, type Actor } from '../../core/policy.js';

export type MailActor = { id: number | null; name: string };

/** A candidate mail with its undo window; returns the pipeline_mails id. */
export function queueCandidateMail(
  db: DB,
  m: { applicationId: number; key: string; actor: MailActor; mail: Mail },
  now = new Date(),
): number {
  const outboxId = enqueueMail(db, m.mail, now, { delayMs: CANDIDATE_MAIL_UNDO_MS });
  return Number(
    db
      .prepare(
        `INSERT INTO pipeline_mails (organisation_id, application_id, outbox_id, template_key, subject, actor_user_id, actor_name, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(m.mail.organisationId ?? null, m.applicationId, outboxId, m.key, m.mail.subject, m.actor.id, m.actor.name, nowIso(now)).lastInsertRowid,
  );
}

/** A mail kept back until the post is filled: no outbox row yet, nothing leaves. */
export function holdCandidateMail(db: DB, m: { organisationId: number; applicationId: number; key: string; subject: string; actor: MailActor }, now = new Date()): number {
  return Number(
    db
      .prepare(
        `INSERT INTO pipeline_mails (organisation_id, application_id, outbox_id, template_key, subject, actor_user_id, actor_name, created_at, held_until_filled)
         VALUES (?, ?, NULL, ?, ?, ?, ?, ?, 1)`,
      )
      .run(m.organisationId, m.applicationId, m.key, m.subject, m.actor.id, m.actor.name, nowIso(now)).lastInsertRowid,
  );
}

export type PendingMailRow = {
  id: number;
  organisation_id: number;
  application_id: number;
  posting_id: number;
  posting_title: string;
  template_key: string;
  subject: string;
  actor_user_id: number | null;
  actor_name: string;
  created_at: string;
  held: number;
  leaves_at: string | null;
};

const PENDING_FROM = `FROM pipeline_mails m
  JOIN applications a ON a.id = m.application_id
  JOIN postings p ON p.id = a.posting_id
  LEFT JOIN outbox o ON o.id = m.outbox_id
  WHERE m.cancelled_at IS NULL
    AND ((m.held_until_filled = 1 AND m.released_at IS NULL AND m.outbox_id IS NULL)
         OR (o.status = 'pending' AND o.attempts = 0 AND o.next_attempt_at > @now))`;

/** Mails that have not left yet: held ones and those still in their undo window. */
export function pendingMails(db: DB, f: { organisationIds: number[]; applicationId?: number }, now = new Date()): PendingMailRow[] {
  if (!f.organisationIds.length) return [];
  return db
    .prepare(
      `SELECT m.id, m.organisation_id, m.application_id, a.posting_id, p.title AS posting_title, p.reference AS posting_reference, p.status AS posting_status, p.published_at AS posting_published_at, p.deadline AS posting_deadline, p.closed_at AS posting_closed_at, m.template_key, m.subject, m.actor_user_id, m.actor_name, m.created_at,
              CASE WHEN m.outbox_id IS NULL THEN 1 ELSE 0 END AS held, o.next_attempt_at AS leaves_at
       ${PENDING_FROM}
         AND m.organisation_id IN (SELECT value FROM json_each(@orgs))
         AND (@app IS NULL OR m.application_id = @app)
       ORDER BY held, o.next_attempt_at, m.id`,
    )
    .all({ now: nowIso(now), orgs: JSON.stringify(f.organisationIds), app: f.applicationId ?? null }) as PendingMailRow[];
}

/** How many mails in their undo window, for the notice every recruitment page shows. */
export function undoableCount(db: DB, organisationIds: number[], now = new Date()): { count: number; leavesAt: string | null } {
  if (!organisationIds.length) return { count: 0, leavesAt: null };
  const row = db
    .prepare(
      `SELECT COUNT(*) AS count, MIN(o.next_attempt_at) AS leavesAt
       FROM pipeline_mails m JOIN outbox o ON o.id = m.outbox_id
       WHERE m.cancelled_at IS NULL AND o.status = 'pending' AND o.attempts = 0 AND o.next_attempt_at > ?
         AND m.organisation_id IN (SELECT value FROM json_each(?))`,
    )
    .get(nowIso(now), JSON.stringify(organisationIds)) as { count: number; leavesAt: string | null };
  return row;
}

type MailScope = { id: number; organisation_id: number; region_id: number; application_id: number; actor_user_id: number | null; outbox_id: number | null; held_until_filled: number; released_at: string | null; cancelled_at: string | null };

function mailScope(db: DB, actor: Actor, mailId: number): MailScope {
  const row = db
    .prepare(
      `SELECT m.id, m.organisation_id, o.region_id, m.application_id, m.actor_user_id, m.outbox_id, m.held_until_filled, m.released_at, m.cancelled_at
       FROM pipeline_mails m JOIN organisations o ON o.id = m.organisation_id WHERE m.id = ?`,
    )
    .get(mailId) as MailScope | undefined;
  if (!row) throw new NotFound();
  const org = { id: row.organisation_id, region_id: row.region_id };
  // The bureau, or whoever caused the mail while they may still see the application.
  if (!can(actor, 'pipeline.move', org) && !(row.actor_user_id === actor.id && can(actor, 'pipeline.view', org))) throw new NotFound();
  return row;
}

/** The organisations whose pending mails this actor may act on. */
export function mayActOn(actor: Actor, org: { id: number; region_id: number }, mail: { actor_user_id: number | null }): boolean {
  return can(actor, 'pipeline.move', org) || (mail.actor_user_id === actor.id && can(actor, 'pipeline.view', org));
}

/**
 * Cancels a mail that has not left. Throws Conflict when it is too late (sent, being sent, or
 * its window is over); the action that caused it is never undone here.
 */
export function cancelCandidateMail(db: DB, actor: Actor, mailId: number, ip?: string, now = new Date()): { applicationId: number } {
  return db.transaction(() => {
    const m = mailScope(db, actor, mailId);
    if (m.cancelled_at) throw new Conflict('already cancelled');
    const held = m.held_until_filled === 1 && m.released_at === null && m.outbox_id === null;
    if (!held) {
      if (m.outbox_id === null) throw new Conflict('already left');
      const removed = db.prepare("DELETE FROM outbox WHERE id = ? AND status = 'pending' AND attempts = 0 AND next_attempt_at > ?").run(m.outbox_id, nowIso(now)).changes;
      if (removed !== 1) throw new Conflict('already left');
    }
    db.prepare('UPDATE pipeline_mails SET cancelled_at = ?, cancelled_by_name = ? WHERE id = ?').run(nowIso(now), actor.name, m.id);
    audit(db, { actorUserId: actor.id, actorLabel: actor.email, action: 'pipeline.mail_cancelled', organisationId: m.organisation_id, targetType: 'application', targetId: m.application_id, ip, details: { mail: m.id, held } });
    return { applicationId: m.application_id };
  })();
}

export type RenderHeld = (applicationId: number, key: string) => Mail;

function release(db: DB, mailId: number, render: RenderHeld, key: string, applicationId: number, now: Date) {
  const mail = render(applicationId, key);
  const outboxId = enqueueMail(db, mail, now, { delayMs: CANDIDATE_MAIL_UNDO_MS });
  db.prepare('UPDATE pipeline_mails SET outbox_id = ?, subject = ?, released_at = ? WHERE id = ?').run(outboxId, mail.subject, nowIso(now), mailId);
}

/** Held mails of a posting, released when its offer is accepted (each with its undo window). */
export function releaseHeldMails(db: DB, postingId: number, render: RenderHeld, now = new Date()): number {
  const held = db
    .prepare(
      `SELECT m.id, m.application_id, m.template_key FROM pipeline_mails m JOIN applications a ON a.id = m.application_id
       WHERE a.posting_id = ? AND m.held_until_filled = 1 AND m.released_at IS NULL AND m.cancelled_at IS NULL AND m.outbox_id IS NULL`,
    )
    .all(postingId) as { id: number; application_id: number; template_key: string }[];
  for (const h of held) release(db, h.id, render, h.template_key, h.application_id, now);
  return held.length;
}

/** A held mail sent now rather than when the post is filled (the bureau's choice). */
export function sendHeldNow(db: DB, actor: Actor, mailId: number, render: RenderHeld, ip?: string, now = new Date()): { applicationId: number } {
  return db.transaction(() => {
    const m = mailScope(db, actor, mailId);
    if (!(m.held_until_filled === 1 && m.released_at === null && m.outbox_id === null && m.cancelled_at === null)) throw new Conflict('not held');
    const key = (db.prepare('SELECT template_key FROM pipeline_mails WHERE id = ?').get(m.id) as { template_key: string }).template_key;
    release(db, m.id, render, key, m.application_id, now);
    audit(db, { actorUserId: actor.id, actorLabel: actor.email, action: 'pipeline.mail_released', organisationId: m.organisation_id, targetType: 'application', targetId: m.application_id, ip, details: { mail: m.id } });
    return { applicationId: m.application_id };
  })();
}
