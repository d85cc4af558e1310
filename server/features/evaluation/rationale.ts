/**
 * A decision's rationale per scorecard criterion, where it matters. Choosing a candidate
 * (Proposition or Recruté(e)) needs a written reason on each must-have criterion the panel
 * found unmet (the must-have is overridden), and, when candidates ranked higher are still in
 * the running, on at least one criterion (why this candidate rather than the ranking). The
 * reasons are those the decider can see: results the independence rule hides from them ask
 * for nothing. The offer's rationale is carried to the hire (nobody writes it twice).
 */
import { z } from 'zod';
import type { CandidateAggregate } from './aggregate.js';

export type CriterionRef = { id: number; label: string };
export type CriterionRationale = { criterionId: number; criterion: string; text: string; why: 'must_have' | 'rank' | 'note' };

export type RationaleNeeds = {
  /** must-have criteria whose minimum the panel found unmet: each needs a reason */
  mustHave: CriterionRef[];
  /** candidates ranked higher and still in the running; when > 0, a reason on one criterion at least */
  higherRanked: number;
  /** criteria where the best-ranked of them scores above this candidate (where a reason is expected) */
  below: CriterionRef[];
};

export const NO_NEEDS: RationaleNeeds = { mustHave: [], higherRanked: 0, below: [] };

type RankedRow = { application_id: number; rank: number | null; aggregate: CandidateAggregate | null; stage_kind: string };

const RUNNING = new Set(['new', 'middle']);

/** What the decider must justify, criterion by criterion, to choose this candidate. */
export function rationaleNeeds(results: { criteria: CriterionRef[]; ranked: RankedRow[] }, applicationId: number): RationaleNeeds {
  const row = results.ranked.find((r) => r.application_id === applicationId);
  if (!row || !row.aggregate || row.rank === null) return NO_NEEDS;
  const label = (id: number) => results.criteria.find((c) => c.id === id)?.label ?? String(id);
  const mustHave = row.aggregate.mustHaveFailures.map((id) => ({ id, label: label(id) }));
  const rank = row.rank;
  const above = results.ranked.filter((r) => r.application_id !== applicationId && r.rank !== null && r.rank < rank && RUNNING.has(r.stage_kind));
  const best = above.sort((a, b) => (a.rank ?? 0) - (b.rank ?? 0))[0];
  const below = best?.aggregate
    ? results.criteria.filter((c) => {
        const mine = row.aggregate?.criteria.find((x) => x.criterionId === c.id)?.mean ?? null;
        const theirs = best.aggregate?.criteria.find((x) => x.criterionId === c.id)?.mean ?? null;
        return theirs !== null && (mine === null || theirs > mine);
      })
    : [];
  return { mustHave, higherRanked: above.length, below: below.map((c) => ({ id: c.id, label: c.label })) };
}

export const criterionField = (id: number) => `criterion_${id}`;

/** The per-criterion texts of a form (fields criterion_<id>), trimmed; too long is an error on that field. */
export function parseCriterionTexts(body: unknown, criteria: CriterionRef[]): { texts: Map<number, string>; errors: Record<string, string> } {
  const source = (body ?? {}) as Record<string, unknown>;
  const texts = new Map<number, string>();
  const errors: Record<string, string> = {};
  const field = z.string().trim().max(1000, 'evaluation.errors.criterionTooLong');
  for (const c of criteria) {
    const raw = source[criterionField(c.id)];
    if (raw === undefined || raw === '') continue;
    const parsed = field.safeParse(Array.isArray(raw) ? raw[0] : raw);
    if (!parsed.success) errors[criterionField(c.id)] = parsed.error.issues[0]?.message ?? 'errors.tooLong';
    else if (parsed.data) texts.set(c.id, parsed.data);
  }
  return { texts, errors };
}

/** Field errors for what the needs ask and the texts do not give (empty: the decision may go). */
export function missingRationale(needs: RationaleNeeds, texts: Map<number, string>): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const c of needs.mustHave) if (!texts.get(c.id)) errors[criterionField(c.id)] = 'evaluation.errors.mustHaveRationale';
  if (needs.higherRanked > 0 && texts.size === 0) {
    const first = needs.below[0] ?? needs.mustHave[0];
    errors[first ? criterionField(first.id) : '_form'] = 'evaluation.errors.rankRationale';
  }
  return errors;
}

/** The stored list: each text with why it was asked. */
export function rationaleList(needs: RationaleNeeds, texts: Map<number, string>, criteria: CriterionRef[]): CriterionRationale[] {
  return criteria
    .filter((c) => texts.get(c.id))
    .map((c) => ({
      criterionId: c.id,
      criterion: c.label,
      text: texts.get(c.id) as string,
      why: needs.mustHave.some((m) => m.id === c.id) ? 'must_have' : needs.higherRanked > 0 ? 'rank' : 'note',
    }));
}

export function parseStoredRationale(json: string | null | undefined): CriterionRationale[] {
  try {
    const parsed: unknown = JSON.parse(json ?? '[]');
    return Array.isArray(parsed) ? (parsed as CriterionRationale[]) : [];
  } catch {
    return [];
  }
}
