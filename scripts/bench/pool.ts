/**
 * The regional pool's search over the national dataset (issue 17), measured in process: the
 * service the pool page calls (regionPool: the FTS5 match in the region, runner-ups first, the
 * count, the open postings and the proposals), one search at a time, over a set of queries a
 * chargée would type (common and rare words, prefixes, two words) in the regions of 10, 77 and
 * 300 CPTS. OpenCATS users report a 17 s count query at 150,000 candidates (OpenCATS #538).
 */
import { openDatabase } from '../../server/core/db.js';
import { createI18n } from '../../server/core/i18n.js';
import type { Actor } from '../../server/core/policy.js';
import { messages as pipelineMessages } from '../../server/features/pipeline/messages.js';
import { regionPool } from '../../server/features/pool/service.js';
import type { Measure } from './measure.js';

export const POOL_QUERIES = [
  'coordination', 'gériatrie', 'santé publique', 'parcours', 'addictologie', 'coordin', 'pluripro', 'EHESP', 'master santé',
  'soins palliatifs', 'diabète', 'animation réseau', 'gestion projet', 'ARS', 'psychiatrie', 'ergothérapeute', 'audioprothésiste',
  'Mayenne', 'subvention FIR', 'télémédecine', 'insuffisance cardiaque', 'mentorat', 'vaccination dépistage', 'rural',
];

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

export function measurePoolSearch(dbPath: string, regions: { regionId: number; cpts: number }[], rounds = 5): { m: Measure; searches: number; matched: number } {
  const db = openDatabase(dbPath);
  const t = createI18n([pipelineMessages]).translator('fr');
  const latencies: number[] = [];
  let matched = 0;
  try {
    const actors = regions.map((r): Actor => ({ id: 0, email: 'bench@coordo.test', name: 'Bench', locale: 'fr', isAdmin: false, memberships: [{ organisationId: null, regionId: r.regionId, role: 'charge_de_mission' }] }));
    // Warm the page cache and the statement cache once, as a running server would be.
    for (const [i, r] of regions.entries()) for (const q of POOL_QUERIES) regionPool(db, actors[i]!, r.regionId, q, t);
    const started = performance.now();
    for (let round = 0; round < rounds; round++) {
      for (const [i, r] of regions.entries()) {
        for (const q of [...POOL_QUERIES, '']) {
          const t0 = performance.now();
          const found = regionPool(db, actors[i]!, r.regionId, q, t);
          latencies.push(performance.now() - t0);
          matched += found.total;
        }
      }
    }
    const seconds = (performance.now() - started) / 1000;
    latencies.sort((a, b) => a - b);
    return {
      m: { rps: latencies.length / seconds, p50: percentile(latencies, 50), p95: percentile(latencies, 95), p99: percentile(latencies, 99), requests: latencies.length, errors: 0, non2xx: 0 },
      searches: latencies.length,
      matched: Math.round(matched / rounds),
    };
  } finally {
    db.close();
  }
}
