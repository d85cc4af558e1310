import crypto from 'node:crypto';
import type { DB } from './db.js';
import { nowIso } from './db.js';
import type { Logger } from './logger.js';

export type Job = { name: string; intervalMs: number; run: () => Promise<unknown> | unknown };

/** Takes (or renews) the named lease; false when another live holder has it. */
export function acquireLease(db: DB, name: string, holder: string, ttlMs: number, now = new Date()): boolean {
  const until = nowIso(new Date(now.getTime() + ttlMs));
  const row = db
    .prepare(
      `INSERT INTO job_leases (name, holder, lease_until) VALUES (@name, @holder, @until)
       ON CONFLICT(name) DO UPDATE SET holder = @holder, lease_until = @until
         WHERE job_leases.holder = @holder OR job_leases.lease_until < @now
       RETURNING holder`,
    )
    .get({ name, holder, until, now: nowIso(now) }) as { holder: string } | undefined;
  return row?.holder === holder;
}

export function releaseLease(db: DB, name: string, holder: string): void {
  db.prepare(`UPDATE job_leases SET lease_until = ?, last_run_at = ? WHERE name = ? AND holder = ?`).run(
    nowIso(new Date(0)),
    nowIso(),
    name,
    holder,
  );
}

/** Runs a job once under its lease; returns false when another process holds it. */
export async function runExclusive(db: DB, job: Job, holder: string, logger?: Logger): Promise<boolean> {
  if (!acquireLease(db, job.name, holder, Math.max(job.intervalMs, 60_000) * 2)) return false;
  try {
    await job.run();
  } catch (err) {
    logger?.error('job failed', { job: job.name, error: err instanceof Error ? err.stack : String(err) });
  } finally {
    releaseLease(db, job.name, holder);
  }
  return true;
}

/** In-process interval runner; `stop()` waits for running jobs to finish. */
export function startScheduler(db: DB, jobs: Job[], logger?: Logger) {
  const holder = `${process.pid}-${crypto.randomBytes(4).toString('hex')}`;
  const running = new Set<Promise<unknown>>();
  const timers: NodeJS.Timeout[] = [];
  for (const job of jobs) {
    const tick = () => {
      const p = runExclusive(db, job, holder, logger).finally(() => running.delete(p));
      running.add(p);
    };
    timers.push(setInterval(tick, job.intervalMs).unref(), setTimeout(tick, 1_000).unref());
  }
  return {
    async stop() {
      timers.forEach((t) => clearTimeout(t));
      await Promise.allSettled([...running]);
    },
  };
}
