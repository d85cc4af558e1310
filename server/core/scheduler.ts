import crypto from 'node:crypto';
import type { DB } from './db.js';
import { nowIso } from './db.js';
import type { Logger } from './logger.js';
import type { Metrics } from './metrics.js';

export type Job = { name: string; intervalMs: number; run: () => Promise<unknown> | unknown };

/**
 * Takes (or renews) the named lease; false when another live holder has it. With `dueAfterMs`,
 * also false while the last run started less than that long ago (whoever ran it): every worker
 * process ticks, one of them runs the job once per interval.
 */
export function acquireLease(db: DB, name: string, holder: string, ttlMs: number, now = new Date(), dueAfterMs?: number): boolean {
  const until = nowIso(new Date(now.getTime() + ttlMs));
  const due = dueAfterMs === undefined ? null : nowIso(new Date(now.getTime() - dueAfterMs));
  const row = db
    .prepare(
      `INSERT INTO job_leases (name, holder, lease_until, last_run_at) VALUES (@name, @holder, @until, @now)
       ON CONFLICT(name) DO UPDATE SET holder = @holder, lease_until = @until, last_run_at = @now
         WHERE (job_leases.holder = @holder OR job_leases.lease_until < @now)
           AND (@due IS NULL OR job_leases.last_run_at IS NULL OR job_leases.last_run_at <= @due)
       RETURNING holder`,
    )
    .get({ name, holder, until, now: nowIso(now), due }) as { holder: string } | undefined;
  return row?.holder === holder;
}

export function releaseLease(db: DB, name: string, holder: string): void {
  db.prepare(`UPDATE job_leases SET lease_until = ? WHERE name = ? AND holder = ?`).run(nowIso(new Date(0)), name, holder);
}

/** The counts a job reports (`{ sent: 2, failed: 0 }`, or a number), for the log and the metrics. */
function countsOf(result: unknown): Record<string, number> {
  if (typeof result === 'number') return { count: result };
  if (result && typeof result === 'object') {
    return Object.fromEntries(Object.entries(result).filter((e): e is [string, number] => typeof e[1] === 'number'));
  }
  return {};
}

export type RunOptions = { logger?: Logger; metrics?: Metrics; dueAfterMs?: number };

/** Runs a job once under its lease; returns false when another process holds it (or it is not due). */
export async function runExclusive(db: DB, job: Job, holder: string, options: RunOptions = {}): Promise<boolean> {
  const { logger, metrics, dueAfterMs } = options;
  if (!acquireLease(db, job.name, holder, Math.max(job.intervalMs, 60_000) * 2, new Date(), dueAfterMs)) {
    logger?.debug('job skipped: running elsewhere or not due', { job: job.name });
    return false;
  }
  const started = process.hrtime.bigint();
  const seconds = () => Number(process.hrtime.bigint() - started) / 1e9;
  try {
    const counts = countsOf(await job.run());
    const s = seconds();
    metrics?.jobRuns.inc({ job: job.name, outcome: 'ok' });
    metrics?.jobDuration.observe({ job: job.name }, s);
    for (const [item, n] of Object.entries(counts)) metrics?.jobItems.inc({ job: job.name, item }, n);
    logger?.info('job run', { job: job.name, ms: Math.round(s * 1000), ...counts });
  } catch (err) {
    metrics?.jobRuns.inc({ job: job.name, outcome: 'failed' });
    metrics?.jobDuration.observe({ job: job.name }, seconds());
    logger?.error('job failed', { job: job.name, error: err instanceof Error ? err.stack : String(err) });
  } finally {
    releaseLease(db, job.name, holder);
  }
  return true;
}

/**
 * In-process interval runner, one per worker process; the leases make each job run once per
 * interval across them. `stop()` waits for running jobs to finish.
 */
export function startScheduler(db: DB, jobs: Job[], options: { logger?: Logger; metrics?: Metrics } = {}) {
  const holder = `${process.pid}-${crypto.randomBytes(4).toString('hex')}`;
  const running = new Set<Promise<unknown>>();
  const timers: NodeJS.Timeout[] = [];
  for (const job of jobs) {
    // Due again a little before a full interval: timers of another process drift against ours.
    const dueAfterMs = Math.floor(job.intervalMs * 0.9);
    const tick = () => {
      const p = runExclusive(db, job, holder, { ...options, dueAfterMs }).finally(() => running.delete(p));
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
