import type { DB } from '../../core/db.js';

export type OutboxListRow = { id: number; template: string; to_address: string; subject: string; status: string; attempts: number; created_at: string; sent_at: string | null; last_error: string | null };
export type OutboxRow = OutboxListRow & { text_body: string; html_body: string; next_attempt_at: string };

export const countOutbox = (db: DB, status: string | undefined) =>
  (db.prepare('SELECT COUNT(*) AS n FROM outbox WHERE (@status IS NULL OR status = @status)').get({ status: status ?? null }) as { n: number }).n;

export const pageOfOutbox = (db: DB, status: string | undefined, limit: number, offset: number) =>
  db
    .prepare(
      `SELECT id, template, to_address, subject, status, attempts, created_at, sent_at, last_error FROM outbox
       WHERE (@status IS NULL OR status = @status) ORDER BY id DESC LIMIT @limit OFFSET @offset`,
    )
    .all({ status: status ?? null, limit, offset }) as OutboxListRow[];

export const outboxById = (db: DB, id: number) => db.prepare('SELECT * FROM outbox WHERE id = ?').get(id) as OutboxRow | undefined;

export const requeue = (db: DB, id: number, now: string) =>
  db.prepare(`UPDATE outbox SET status = 'pending', attempts = 0, next_attempt_at = ?, last_error = NULL WHERE id = ? AND status = 'failed'`).run(now, id);
