/**
 * Panel calibration over the national dataset (issue 17), measured in process: the service the
 * region's calibration page calls (every current submitted rating of the region, the complete
 * panels, Krippendorff's alpha per criterion and per recruitment with bootstrap intervals, the
 * panelists' leniency), for regions of 10, 77 and 300 CPTS. Two figures each: computed from the
 * data (the first visit after any evaluation or panel changes) and served again while nothing
 * changed (the fingerprint read only).
 */
import { openDatabase } from '../../server/core/db.js';
import type { Actor } from '../../server/core/policy.js';
import { regionCalibration } from '../../server/features/calibration/service.js';

export type CalibrationTiming = { cpts: number; computeMs: number; cachedMs: number; criteria: number; postings: number; candidates: number };

export function measureCalibration(dbPath: string, regions: { regionId: number; cpts: number }[], rounds = 3): CalibrationTiming[] {
  const out: CalibrationTiming[] = [];
  for (const r of regions) {
    const actor: Actor = { id: 0, email: 'bench@coordo.test', name: 'Bench', locale: 'fr', isAdmin: false, memberships: [{ organisationId: null, regionId: r.regionId, role: 'charge_de_mission' }] };
    let compute = Infinity;
    let cached = Infinity;
    let last: ReturnType<typeof regionCalibration> | undefined;
    for (let round = 0; round < rounds; round++) {
      // A fresh connection holds no computed figures: each round computes them once, then reads them again.
      const db = openDatabase(dbPath);
      try {
        const t0 = performance.now();
        last = regionCalibration(db, actor, r.regionId);
        compute = Math.min(compute, performance.now() - t0);
        const t1 = performance.now();
        regionCalibration(db, actor, r.regionId);
        cached = Math.min(cached, performance.now() - t1);
      } finally {
        db.close();
      }
    }
    out.push({ cpts: r.cpts, computeMs: compute, cachedMs: cached, criteria: last!.criteria.length, postings: last!.postings.length, candidates: last!.candidates });
  }
  return out;
}
