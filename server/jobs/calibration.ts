import type { DB } from '../core/db.js';
import type { Job } from '../core/scheduler.js';
import { refreshStaleSummaries } from '../features/calibration/summaries.js';

/**
 * Computes again the calibration summaries of recruitments whose evaluations or panel changed
 * (migration 031), for at most 50 ms a run, so that a region's calibration page only merges
 * them. Cheap when nothing changed (one indexed read); the page computes any still stale itself.
 *   npx tsx server/jobs/cli.ts calibration.refresh
 */
export function calibrationJob(db: DB): Job {
  return { name: 'calibration.refresh', intervalMs: 60_000, run: () => refreshStaleSummaries(db, 50) };
}
