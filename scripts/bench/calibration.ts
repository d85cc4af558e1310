/**
 * Panel calibration over the national dataset (issue 17), measured in process: the service the
 * region's calibration page calls, for regions of 10, 77 and 300 CPTS. Each recruitment's share
 * of the figures is kept between visits (migration 031) and computed again only after it
 * changed, so four figures each:
 * - cold: every recruitment's summary computed (once after the migration, or on a new copy);
 * - after a change on a typical recruitment (the region's median by submitted evaluations): what
 *   the first visit after a panelist submits costs, the region's figures merged again;
 * - after a change on the region's largest recruitment (the worst case of the same);
 * - served again while nothing changed (the fingerprint read only).
 * A change is a real write that fires the triggers: a submitted evaluation's row is updated.
 */
import { migrate, openDatabase } from '../../server/core/db.js';
import type { DB } from '../../server/core/db.js';
import type { Actor } from '../../server/core/policy.js';
import { regionCalibration } from '../../server/features/calibration/service.js';

export type CalibrationTiming = {
  cpts: number;
  coldMs: number;
  typicalMs: number;
  largestMs: number;
  cachedMs: number;
  typicalEvaluations: number;
  largestEvaluations: number;
  criteria: number;
  postings: number;
  candidates: number;
};

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1];

/** The region's recruitments by their submitted evaluations, fewest first. */
function recruitments(db: DB, regionId: number) {
  return db
    .prepare(
      `SELECT e.posting_id AS id, COUNT(*) AS evaluations, MIN(e.id) AS evaluation FROM evaluations e JOIN organisations o ON o.id = e.organisation_id
       WHERE o.region_id = ? AND e.status = 'submitted' GROUP BY e.posting_id ORDER BY evaluations, e.posting_id`,
    )
    .all(regionId) as { id: number; evaluations: number; evaluation: number }[];
}

/** A write that changes nothing but moves the recruitment's revision on, through the triggers. */
const touch = (db: DB, evaluationId: number) => db.prepare('UPDATE evaluations SET updated_at = updated_at WHERE id = ?').run(evaluationId);

export function measureCalibration(dbPath: string, regions: { regionId: number; cpts: number }[], rounds = 7): CalibrationTiming[] {
  const out: CalibrationTiming[] = [];
  // A reused dataset may predate the latest migrations (the app applies them when it starts).
  const setup = openDatabase(dbPath);
  migrate(setup);
  setup.close();
  for (const r of regions) {
    const actor: Actor = { id: 0, email: 'bench@coordo.test', name: 'Bench', locale: 'fr', isAdmin: false, memberships: [{ organisationId: null, regionId: r.regionId, role: 'charge_de_mission' }] };
    let cold = Infinity;
    let last: ReturnType<typeof regionCalibration> | undefined;
    for (let round = 0; round < 2; round++) {
      const db = openDatabase(dbPath);
      try {
        db.prepare('UPDATE calibration_postings SET summary_revision = NULL WHERE organisation_id IN (SELECT id FROM organisations WHERE region_id = ?)').run(r.regionId);
        const t0 = performance.now();
        last = regionCalibration(db, actor, r.regionId);
        cold = Math.min(cold, performance.now() - t0);
      } finally {
        db.close();
      }
    }
    const db = openDatabase(dbPath);
    try {
      const list = recruitments(db, r.regionId);
      const typical = list[list.length >> 1];
      const largest = list[list.length - 1];
      const timed = (before: () => void) => {
        const times: number[] = [];
        for (let round = 0; round < rounds; round++) {
          before();
          const t0 = performance.now();
          last = regionCalibration(db, actor, r.regionId);
          times.push(performance.now() - t0);
        }
        return median(times);
      };
      regionCalibration(db, actor, r.regionId);
      const typicalMs = timed(() => touch(db, typical.evaluation));
      const largestMs = timed(() => touch(db, largest.evaluation));
      const cachedMs = timed(() => undefined);
      out.push({
        cpts: r.cpts,
        coldMs: cold,
        typicalMs,
        largestMs,
        cachedMs,
        typicalEvaluations: typical.evaluations,
        largestEvaluations: largest.evaluations,
        criteria: last!.criteria.length,
        postings: last!.postings.length,
        candidates: last!.candidates,
      });
    } finally {
      db.close();
    }
  }
  return out;
}
