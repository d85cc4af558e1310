/**
 * The screening view (issue 13): one application of a stage at a time, its documents beside
 * it, the move, rejection and note at hand, and each action landing on the next application
 * of the same stage, in the board's order.
 */
import type { DB } from '../../core/db.js';
import type { Actor } from '../../core/policy.js';
import { candidatePage } from './candidate.js';
import { decisionNeeded } from './moves.js';
import * as q from './queries.js';

export type ScreeningPosition = { index: number; total: number; previous: number | null; next: number | null };

/** Where this application stands in its stage's queue (1-based), with its neighbours. */
function positionIn(queue: q.QueueRow[], applicationId: number): ScreeningPosition {
  const i = queue.findIndex((r) => r.application_id === applicationId);
  return { index: i + 1, total: queue.length, previous: queue[i - 1]?.application_id ?? null, next: queue[i + 1]?.application_id ?? null };
}

/** The stage a "move on" button goes to: the next working stage (never an end state). */
function advanceStage(stages: q.StageRow[], current: q.StageRow): q.StageRow | null {
  if (current.kind !== 'new' && current.kind !== 'middle') return null;
  return stages.find((s) => s.position > current.position && (s.kind === 'middle' || s.kind === 'hired')) ?? null;
}

export function screeningPage(db: DB, actor: Actor, applicationId: number) {
  const page = candidatePage(db, actor, applicationId);
  const { app, stages } = page;
  const current = stages.find((s) => s.id === app.stage_id) as q.StageRow;
  const rejected = stages.find((s) => s.kind === 'rejected') ?? null;
  const advance = advanceStage(stages, current);
  const open = current.kind === 'new' || current.kind === 'middle';
  return {
    ...page,
    current,
    position: positionIn(q.stageQueue(db, app.posting_id, app.stage_id), applicationId),
    advance,
    /** Proposition or Recruté(e): the evaluation's decision form records the rationale first. */
    advanceNeedsDecision: advance ? decisionNeeded(db, app, advance) !== null : false,
    mayReject: open && rejected !== null,
    rejectNeedsDecision: open && rejected !== null && decisionNeeded(db, app, rejected) !== null,
  };
}

/**
 * Where the screening goes once an application that stood at `stageId` has been dealt with:
 * the next one after it in that stage's order, else the first one left there (those skipped
 * earlier), else null (the stage is done). `from` is the application as it was before the
 * action, so its place in the order is known even after it left the stage.
 */
export function nextInStage(db: DB, postingId: number, stageId: number, from: { application_id: number; entered_at: string }): number | null {
  const rest = q.stageQueue(db, postingId, stageId).filter((r) => r.application_id !== from.application_id);
  const after = rest.find((r) => r.entered_at > from.entered_at || (r.entered_at === from.entered_at && r.application_id > from.application_id));
  return (after ?? rest[0])?.application_id ?? null;
}
