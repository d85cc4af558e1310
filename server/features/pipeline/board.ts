import type { DB } from '../../core/db.js';
import type { Actor } from '../../core/policy.js';
import { chargeOnPanel, orgRef, permissionsFor, viewablePosting } from './access.js';
import { computing, deepFreeze } from '../../core/revisions.js';
import * as q from './queries.js';

/** Board: the stages with their counts and every card of the posting (two queries). */
/**
 * Cards shown per column of the board. A posting with hundreds of candidates in one stage
 * would otherwise render hundreds of cards and forms (the benchmark's 500-candidate posting:
 * 720 KB, ~100 ms of rendering); past this, the column links to the list filtered by stage,
 * which pages, sorts and moves in bulk.
 */
export const BOARD_COLUMN_LIMIT = 25;

/** What the board reads, kept per posting and viewer under the posting's revision (migrations 011 and 035). */
export const BOARD_TABLES = ['pipeline_stages', 'pipeline_cards', 'applications', 'application_documents', 'pipeline_settings', 'pipeline_reveals'] as const;

type Kept = { revision: number; stages: readonly q.StageRow[]; slots: readonly q.CardSlot[] };
/** Boards kept per database (posting × viewer × cards per column); the least recently used goes first. */
export const BOARD_CACHE_LIMIT = 500;
const kept = new WeakMap<DB, Map<string, Kept>>();

/**
 * The columns and the cards they show, for this viewer: computed again only when the posting's
 * revision moved (a move, an application, a document, a reveal, the screening setting...), by
 * any process. Per viewer, because the anonymity rule's verdict depends on their reveals; the
 * rule itself is still the one SQL fragment. No candidate's name is kept: names are read for the
 * cards shown, so an erasure or an anonymisation shows at once whatever this holds.
 */
function keptBoard(db: DB, postingId: number, viewerId: number, perStage: number): Kept {
  let cache = kept.get(db);
  if (!cache) kept.set(db, (cache = new Map()));
  const key = `${postingId}|${viewerId}|${perStage}`;
  // Read before the queries: a board is never stored under a newer revision than its data.
  const revision = q.postingRevision(db, postingId);
  const hit = cache.get(key);
  if (hit && hit.revision === revision) {
    cache.delete(key);
    cache.set(key, hit);
    return hit;
  }
  const value = computing({ name: 'pipeline-board', tables: BOARD_TABLES, revision: 'posting' }, () =>
    deepFreeze({ revision, stages: q.stagesOfPosting(db, postingId), slots: q.cardSlotsOfPosting(db, postingId, viewerId, perStage) }),
  );
  cache.delete(key);
  cache.set(key, value);
  if (cache.size > BOARD_CACHE_LIMIT) cache.delete(cache.keys().next().value as string);
  return value;
}

/** Forget the kept boards of this database (tests compare kept and fresh boards). */
export function forgetBoards(db: DB): void {
  kept.delete(db);
}

export function boardOf(db: DB, actor: Actor, postingId: number, perStage = BOARD_COLUMN_LIMIT) {
  const posting = viewablePosting(db, actor, postingId);
  const { stages, slots } = keptBoard(db, postingId, actor.id, perStage);
  const names = q.candidateNames(
    db,
    slots.filter((c) => !c.masked).map((c) => c.application_id),
  );
  // A masked card carries no name at all (the page shows its number).
  const cards: q.CardRow[] = slots.map((c) => ({ ...c, full_name: c.masked ? '' : (names.get(c.application_id) ?? '') }));
  const byStage = new Map<number, q.CardRow[]>(stages.map((s) => [s.id, []]));
  for (const card of cards) byStage.get(card.stage_id)?.push(card);
  const columns = stages.map((s) => {
    const shown = byStage.get(s.id) ?? [];
    const total = s.count;
    return { stage: s, cards: shown, total, more: total - shown.length };
  });
  return { posting, stages, columns, ...permissionsFor(actor, orgRef(posting), chargeOnPanel(db, actor, posting.id)) };
}
