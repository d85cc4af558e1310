/**
 * The ranking's order, built once per posting revision and shared by every viewer; the viewer's
 * part (which candidates' results they may see) is applied to the rows of the page shown only.
 *
 * Why it is exact. `rankCandidates` sorts the candidates a viewer sees by (must-have failure,
 * score descending, board order) and puts the unscored after them in board order; ranks are
 * shared by equal standing (1, 2, 2, 4). That comparison is a total order that does not depend
 * on the viewer, so the viewer's ranked list is the posting's global order with the others taken
 * out, and a candidate's rank among those the viewer sees is 1 + the number of them before the
 * first candidate of its standing in the global order. Which candidates a viewer sees is decided
 * by the independence rule (access.ts, `resultsClass`); every viewer of one class sees the same,
 * so the filtered list is kept per class, built with the rule's own `sees` (never re-written here).
 * test/evaluation/order.test.ts checks the result against `rankCandidates` on random panels.
 */
import type { CandidateAggregate } from './aggregate.js';

/** What the order needs of a candidate (the cache's CachedApplication). */
export type Orderable = { application_id: number; aggregate: CandidateAggregate; submitters: ReadonlySet<number> };

export type SharedOrder<A extends Orderable> = {
  applications: readonly A[];
  /** board index of each application, by id */
  indexById: Map<number, number>;
  /** board indexes in ranking order: the scored by standing, then the unscored in board order */
  order: Int32Array;
  /** per position of `order`: the first position of the same standing (-1: unscored) */
  standingStart: Int32Array;
  classes: Map<string, ClassView>;
};

/** What one class of viewers sees: positions in `order` whose results they see, and board indexes of the rest. */
export type ClassView = { visible: Int32Array; hidden: Int32Array; sees: Uint8Array };

/** Class views kept per posting revision (panelists and the bureau's panel composition). */
const CLASS_LIMIT = 64;

export function buildOrder<A extends Orderable>(applications: readonly A[]): SharedOrder<A> {
  const n = applications.length;
  const indexById = new Map<number, number>();
  const scored: { index: number; failed: number; score: number }[] = [];
  const unscored: number[] = [];
  applications.forEach((app, index) => {
    indexById.set(app.application_id, index);
    const score = app.aggregate.weightedScore;
    if (score === null) unscored.push(index);
    else scored.push({ index, failed: app.aggregate.mustHaveFailures.length > 0 ? 1 : 0, score });
  });
  // The comparison of rankCandidates (aggregate.ts), on the same keys.
  scored.sort((a, b) => a.failed - b.failed || b.score - a.score || a.index - b.index);
  const order = new Int32Array(n);
  const standingStart = new Int32Array(n).fill(-1);
  scored.forEach((s, i) => {
    order[i] = s.index;
    const prev = scored[i - 1];
    standingStart[i] = prev !== undefined && prev.failed === s.failed && prev.score === s.score ? standingStart[i - 1] : i;
  });
  unscored.forEach((index, k) => {
    order[scored.length + k] = index;
  });
  return { applications, indexById, order, standingStart, classes: new Map() };
}

/** The view of one class of viewers (`sees`: the independence rule for that class), built on first use. */
export function classView<A extends Orderable>(shared: SharedOrder<A>, key: string, sees: (submitted: (userId: number) => boolean) => boolean): ClassView {
  const hit = shared.classes.get(key);
  if (hit) return hit;
  const { applications, order } = shared;
  const n = applications.length;
  const flags = new Uint8Array(n);
  let count = 0;
  for (let i = 0; i < n; i++) {
    const app = applications[i];
    if (sees((id) => app.submitters.has(id))) {
      flags[i] = 1;
      count++;
    }
  }
  const visible = new Int32Array(count);
  const hidden = new Int32Array(n - count);
  for (let p = 0, v = 0; p < n; p++) if (flags[order[p]]) visible[v++] = p;
  for (let i = 0, h = 0; i < n; i++) if (!flags[i]) hidden[h++] = i;
  const view = { visible, hidden, sees: flags };
  if (shared.classes.size >= CLASS_LIMIT) shared.classes.clear();
  shared.classes.set(key, view);
  return view;
}

/** Number of values of a sorted array below `x`. */
function lowerBound(sorted: Int32Array, x: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid] < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export type OrderedItem<A> = { app: A; visible: boolean; rank: number | null };

/**
 * Items `from` to `to` (excluded) of the viewer's list: the candidates whose results they see,
 * ranked, then the others in board order. Costs the rows asked for, not the posting's size.
 */
export function slice<A extends Orderable>(shared: SharedOrder<A>, view: ClassView, from: number, to: number): OrderedItem<A>[] {
  const { applications, order, standingStart } = shared;
  const ranked = view.visible.length;
  const end = Math.min(to, ranked + view.hidden.length);
  const out: OrderedItem<A>[] = [];
  for (let k = Math.max(0, from); k < end; k++) {
    if (k < ranked) {
      const p = view.visible[k];
      const start = standingStart[p];
      out.push({ app: applications[order[p]], visible: true, rank: start < 0 ? null : lowerBound(view.visible, start) + 1 });
    } else {
      out.push({ app: applications[view.hidden[k - ranked]], visible: false, rank: null });
    }
  }
  return out;
}
