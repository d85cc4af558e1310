/**
 * Makes the demo dashboards and reports tell a story: postings published weeks ago, the
 * applications spread over the last weeks with the sources candidates declared.
 * Only rewrites timestamps and sources of what the other demo seeds created.
 */
import type { DB } from '../core/db.js';

const DAY = 86_400_000;
const SOURCES = ['board', 'cpts_site', 'network', 'job_site', 'social', 'word_of_mouth', 'board', 'network'];
const POSTING_AGE_DAYS = [52, 24, 75, 38];

export function seedDashboardsDemo(db: DB, opts: { now?: Date } = {}): void {
  const now = opts.now ?? new Date();
  const iso = (daysAgo: number, hours = 0) => new Date(now.getTime() - daysAgo * DAY - hours * 3_600_000).toISOString();
  db.transaction(() => {
    const postings = db.prepare("SELECT id FROM postings WHERE status IN ('published', 'filled', 'closed') AND published_at IS NOT NULL ORDER BY id").all() as { id: number }[];
    postings.forEach((p, i) => {
      const age = POSTING_AGE_DAYS[i % POSTING_AGE_DAYS.length]!;
      db.prepare('UPDATE postings SET published_at = MIN(published_at, ?) WHERE id = ?').run(iso(age), p.id);
      const apps = db.prepare('SELECT id, source FROM applications WHERE posting_id = ? ORDER BY id').all(p.id) as { id: number; source: string }[];
      apps.forEach((a, n) => {
        // Older applications first, spread from just after the publication to yesterday.
        const daysAgo = 1 + Math.round(((age - 2) * (apps.length - 1 - n)) / Math.max(1, apps.length));
        const at = iso(daysAgo, (n * 5) % 11);
        // Never after the application's first move, so the stage history stays in order.
        db.prepare(
          `UPDATE applications SET created_at = MIN(@at, COALESCE((SELECT MIN(m.created_at) FROM pipeline_moves m WHERE m.application_id = @id), @at))
           WHERE id = @id`,
        ).run({ at, id: a.id });
        db.prepare('UPDATE applications SET last_contact_at = MAX(last_contact_at, created_at) WHERE id = ?').run(a.id);
        db.prepare(
          "UPDATE pipeline_cards SET entered_at = (SELECT created_at FROM applications WHERE id = ?) WHERE application_id = ? AND stage_id IN (SELECT id FROM pipeline_stages WHERE kind = 'new')",
        ).run(a.id, a.id);
        if (a.source === 'board' && n % 3 !== 0) db.prepare('UPDATE applications SET source = ? WHERE id = ?').run(SOURCES[(n + i) % SOURCES.length], a.id);
      });
    });
  })();
}
