import type { DB } from './db.js';
import { nowIso } from './db.js';

/**
 * A fact about this instance written the first time it is needed and never changed afterwards
 * (several processes may race to write it: the first one wins, all read the same value).
 */
export function instanceFact(db: DB, key: string, initial: () => string, now = new Date()): string {
  db.prepare('INSERT OR IGNORE INTO instance_facts (key, value, created_at) VALUES (?, ?, ?)').run(key, initial(), nowIso(now));
  return (db.prepare('SELECT value FROM instance_facts WHERE key = ?').get(key) as { value: string }).value;
}

/** The authority of this instance's tag: URIs (RFC 4151): the host it first ran under and that day. */
export function tagAuthority(db: DB, baseUrl: string, now = new Date()): string {
  return instanceFact(db, 'tag_authority', () => `${new URL(baseUrl).hostname},${now.toISOString().slice(0, 10)}`, now);
}
