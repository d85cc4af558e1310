import type { DB } from '../../core/db.js';
import type { Actor } from '../../core/policy.js';
import { chargeOnPanel, orgRef, permissionsFor, viewablePosting } from './access.js';
import * as q from './queries.js';

/** Board: the stages with their counts and every card of the posting (two queries). */
/**
 * Cards shown per column of the board. A posting with hundreds of candidates in one stage
 * would otherwise render hundreds of cards and forms (the benchmark's 500-candidate posting:
 * 720 KB, ~100 ms of rendering); past this, the column links to the list filtered by stage,
 * which pages, sorts and moves in bulk.
 */
export const BOARD_COLUMN_LIMIT = 25;

export function boardOf(db: DB, actor: Actor, postingId: number, perStage = BOARD_COLUMN_LIMIT) {
  const posting = viewablePosting(db, actor, postingId);
  const stages = q.stagesOfPosting(db, postingId);
  const cards = q.cardsOfPosting(db, postingId, actor.id, perStage);
  const byStage = new Map<number, q.CardRow[]>(stages.map((s) => [s.id, []]));
  for (const card of cards) byStage.get(card.stage_id)?.push(card);
  const columns = stages.map((s) => {
    const shown = byStage.get(s.id) ?? [];
    const total = s.count;
    return { stage: s, cards: shown, total, more: total - shown.length };
  });
  return { posting, stages, columns, ...permissionsFor(actor, orgRef(posting), chargeOnPanel(db, actor, posting.id)) };
}
