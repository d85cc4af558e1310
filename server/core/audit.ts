import type { DB } from './db.js';
import { nowIso } from './db.js';

export type AuditEntry = {
  actorUserId?: number | null;
  actorLabel?: string;
  action: string;
  organisationId?: number | null;
  targetType?: string;
  targetId?: number | null;
  ip?: string | null;
  details?: Record<string, unknown>;
};

/** Appends to the audit log; call inside the action's transaction when there is one. */
export function audit(db: DB, entry: AuditEntry): void {
  db.prepare(
    `INSERT INTO audit_log (at, actor_user_id, actor_label, action, organisation_id, target_type, target_id, ip, details)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(
    nowIso(),
    entry.actorUserId ?? null,
    entry.actorLabel ?? '',
    entry.action,
    entry.organisationId ?? null,
    entry.targetType ?? null,
    entry.targetId ?? null,
    entry.ip ?? null,
    JSON.stringify(entry.details ?? {}),
  );
}
