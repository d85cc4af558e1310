import type { DB } from '../../core/db.js';
import { nowIso } from '../../core/db.js';
import { Conflict, Invalid, NotFound } from '../../core/errors.js';
import type { Actor } from '../../core/policy.js';
import { viewablePosting } from './access.js';
import * as q from './queries.js';

const KIND_ORDER: Record<q.StageKind, number> = { new: 0, middle: 1, hired: 2, rejected: 3, withdrawn: 4 };

/** Writes positions 1..n: new, the middle stages in their order, then the end states. */
function renumber(db: DB, stages: q.StageRow[]) {
  const sorted = [...stages].sort((a, b) => KIND_ORDER[a.kind] - KIND_ORDER[b.kind] || a.position - b.position || a.id - b.id);
  sorted.forEach((s, i) => {
    if (s.position !== i + 1) q.setStagePosition(db, s.id, i + 1);
  });
}

function configurableStage(db: DB, actor: Actor, postingId: number, stageId: number) {
  const posting = viewablePosting(db, actor, postingId, 'pipeline.configure');
  const stage = q.stageById(db, stageId);
  if (!stage || stage.posting_id !== posting.id) throw new NotFound();
  return { posting, stage };
}

export function addStage(db: DB, actor: Actor, postingId: number, input: { name: string; anonymised: boolean }, form: { view?: string; locals?: Record<string, unknown> }, now = new Date()) {
  return db.transaction(() => {
    const posting = viewablePosting(db, actor, postingId, 'pipeline.configure');
    if (q.stageNameTaken(db, posting.id, input.name)) throw new Invalid({ name: 'pipeline.errors.stageNameTaken' }, form.view, { ...form.locals, values: input });
    const stages = q.stagesOfPosting(db, posting.id);
    const lastMiddle = Math.max(...stages.filter((s) => s.kind === 'new' || s.kind === 'middle').map((s) => s.position));
    const id = q.insertStage(
      db,
      { organisationId: posting.organisation_id, postingId: posting.id, kind: 'middle', key: null, name: input.name, position: lastMiddle + 0.5, anonymised: input.anonymised },
      nowIso(now),
    );
    renumber(db, q.stagesOfPosting(db, posting.id));
    return id;
  })();
}

export function updateStage(db: DB, actor: Actor, postingId: number, stageId: number, input: { name: string; anonymised: boolean }, form: { view?: string; locals?: Record<string, unknown> }, now = new Date()) {
  db.transaction(() => {
    const { posting, stage } = configurableStage(db, actor, postingId, stageId);
    if (stage.kind !== 'middle') throw new Invalid({ [`name_${stage.id}`]: 'pipeline.errors.stageFixed' }, form.view, form.locals);
    if (q.stageNameTaken(db, posting.id, input.name, stage.id)) throw new Invalid({ [`name_${stage.id}`]: 'pipeline.errors.stageNameTaken' }, form.view, form.locals);
    q.updateStage(db, stage.id, input.name, input.anonymised, nowIso(now));
  })();
}

export function reorderStage(db: DB, actor: Actor, postingId: number, stageId: number, direction: 'up' | 'down') {
  db.transaction(() => {
    const { posting, stage } = configurableStage(db, actor, postingId, stageId);
    if (stage.kind !== 'middle') throw new NotFound();
    const middles = q.stagesOfPosting(db, posting.id).filter((s) => s.kind === 'middle');
    const i = middles.findIndex((s) => s.id === stage.id);
    const j = direction === 'up' ? i - 1 : i + 1;
    if (j < 0 || j >= middles.length) return;
    q.setStagePosition(db, middles[i].id, middles[j].position);
    q.setStagePosition(db, middles[j].id, middles[i].position);
  })();
}

/** Only an empty middle stage goes away: no candidate is ever lost with a stage. */
export function deleteStage(db: DB, actor: Actor, postingId: number, stageId: number) {
  db.transaction(() => {
    const { posting, stage } = configurableStage(db, actor, postingId, stageId);
    if (stage.kind !== 'middle') throw new NotFound();
    if (stage.count > 0) throw new Conflict('stage not empty');
    q.deleteStage(db, stage.id);
    renumber(db, q.stagesOfPosting(db, posting.id));
  })();
}
