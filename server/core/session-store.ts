import session from 'express-session';
import type { DB } from './db.js';

const TOUCH_GRANULARITY_MS = 60_000;

/** express-session store on the app's own SQLite database (table `sessions`). */
export class SqliteSessionStore extends session.Store {
  private readonly getStmt;
  private readonly setStmt;
  private readonly destroyStmt;
  private readonly touchStmt;
  private readonly pruneStmt;
  /** The expiry last read or written per live session id (dropped when the session goes). */
  private readonly written = new Map<string, number>();

  constructor(
    db: DB,
    private readonly defaultTtlMs = 24 * 3600_000,
  ) {
    super();
    this.getStmt = db.prepare('SELECT sess, expires FROM sessions WHERE sid = ? AND expires > ?');
    this.setStmt = db.prepare(
      'INSERT INTO sessions (sid, sess, expires) VALUES (?, ?, ?) ON CONFLICT(sid) DO UPDATE SET sess = excluded.sess, expires = excluded.expires',
    );
    this.destroyStmt = db.prepare('DELETE FROM sessions WHERE sid = ?');
    // A rolling session is touched by every request; writing the new expiry only when it moved
    // by more than a minute keeps page views from each being a database write.
    this.touchStmt = db.prepare('UPDATE sessions SET expires = ? WHERE sid = ? AND expires < ?');
    this.pruneStmt = db.prepare('DELETE FROM sessions WHERE expires <= ?');
  }

  private expiry(sess: session.SessionData): number {
    const exp = sess.cookie?.expires;
    return exp ? new Date(exp).getTime() : Date.now() + this.defaultTtlMs;
  }

  override get(sid: string, cb: (err: unknown, session?: session.SessionData | null) => void): void {
    try {
      const row = this.getStmt.get(sid, Date.now()) as { sess: string; expires: number } | undefined;
      if (row) this.written.set(sid, row.expires);
      else this.written.delete(sid);
      cb(null, row ? (JSON.parse(row.sess) as session.SessionData) : null);
    } catch (err) {
      cb(err);
    }
  }

  override set(sid: string, sess: session.SessionData, cb?: (err?: unknown) => void): void {
    try {
      const expires = this.expiry(sess);
      this.setStmt.run(sid, JSON.stringify(sess), expires);
      this.written.set(sid, expires);
      cb?.();
    } catch (err) {
      cb?.(err);
    }
  }

  override destroy(sid: string, cb?: (err?: unknown) => void): void {
    try {
      this.destroyStmt.run(sid);
      this.written.delete(sid);
      cb?.();
    } catch (err) {
      cb?.(err);
    }
  }

  override touch(sid: string, sess: session.SessionData, cb?: () => void): void {
    try {
      const expires = this.expiry(sess);
      // The expiry read with the session tells whether a write is due without asking SQLite.
      const known = this.written.get(sid);
      if (known !== undefined && expires - known < TOUCH_GRANULARITY_MS) return;
      this.touchStmt.run(expires, sid, expires - TOUCH_GRANULARITY_MS);
      this.written.set(sid, expires);
    } finally {
      cb?.();
    }
  }

  prune(): number {
    const now = Date.now();
    for (const [sid, expires] of this.written) if (expires <= now) this.written.delete(sid);
    return this.pruneStmt.run(now).changes;
  }
}
