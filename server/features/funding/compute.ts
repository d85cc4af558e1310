/**
 * The funding check, as pure arithmetic: can the ACI operating envelope of a CPTS pay for a
 * post, once what is already committed is paid? Integer euros in, integer euros out; nothing
 * here reads the database or knows any amount: every figure comes from the caller's data.
 */

/** The legal full-time week in France: a posting given in hours is this fraction of a full time. */
export const FULL_TIME_HOURS = 35;

/** Working time as a fraction (numerator / denominator), so the arithmetic stays in integers. */
export type WorkingTime = { num: number; den: number };

export type PostTerms = {
  salaryMin: number | null;
  salaryMax: number | null;
  ftePercent: number | null;
  hoursPerWeek?: number | null;
};

export type Commitment = { kind: 'post'; grossSalary: number; ftePercent: number; employerRatePercent: number } | { kind: 'other'; amount: number };

export type Envelope = { amount: number; source: string; sourceDate: string; origin: 'reference' | 'region' };

export type CheckInput = {
  year: number;
  /** The CPTS's record; undefined when it has recorded nothing yet. */
  profile?: { aciSize: number; aciStartYear: number; newPostRatePercent: number };
  /** The operating amount for the profile's size and the year, when there is one. */
  envelope?: Envelope;
  commitments: Commitment[];
  post: PostTerms;
};

/** What the check needs and does not have, in the order a person would fix it. */
export type Missing = 'profile' | 'contract_not_started' | 'envelope' | 'salary' | 'working_time';

export type Verdict = 'covers_high' | 'covers_low' | 'short' | 'over_committed';

export type Margin = { envelope: Envelope; committed: number; available: number };

export type PostCost = { low: number; high: number; salaryLow: number; salaryHigh: number; workingTimePercent: number; ratePercent: number };

export type CheckResult = {
  year: number;
  missing: Missing[];
  margin?: Margin;
  cost?: PostCost;
  /** Set when both the margin and the cost are known. */
  verdict?: Verdict;
  /** What is left after paying the post: at its lower and at its upper salary (negative: missing). */
  spareLow?: number;
  spareHigh?: number;
  /** Year of the five-year contract the check falls in (1 = the year it started). */
  contractYear?: number;
};

/** Yearly employer cost of a post: salary × working time × (1 + contribution rate), rounded to the euro. */
export function yearlyPostCost(grossSalary: number, time: WorkingTime, ratePercent: number): number {
  return Math.round((grossSalary * time.num * (100 + ratePercent)) / (time.den * 100));
}

export function workingTimeOf(post: Pick<PostTerms, 'ftePercent' | 'hoursPerWeek'>): WorkingTime | undefined {
  if (post.hoursPerWeek) return { num: post.hoursPerWeek, den: FULL_TIME_HOURS };
  if (post.ftePercent) return { num: post.ftePercent, den: 100 };
  return undefined;
}

export function commitmentCost(c: Commitment): number {
  return c.kind === 'post' ? yearlyPostCost(c.grossSalary, { num: c.ftePercent, den: 100 }, c.employerRatePercent) : c.amount;
}

export function committedTotal(commitments: Commitment[]): number {
  return commitments.reduce((sum, c) => sum + commitmentCost(c), 0);
}

/** The margin alone (what the bureau dashboard shows): envelope minus what is committed. */
export function marginOf(envelope: Envelope | undefined, commitments: Commitment[]): Margin | undefined {
  if (!envelope) return undefined;
  const committed = committedTotal(commitments);
  return { envelope, committed, available: envelope.amount - committed };
}

export function verdictOf(available: number, cost: Pick<PostCost, 'low' | 'high'>): Verdict {
  if (available < 0) return 'over_committed';
  if (available >= cost.high) return 'covers_high';
  if (available >= cost.low) return 'covers_low';
  return 'short';
}

export function checkFunding(input: CheckInput): CheckResult {
  const missing: Missing[] = [];
  const { profile, year } = input;
  let contractYear: number | undefined;
  if (!profile) missing.push('profile');
  else if (year < profile.aciStartYear) missing.push('contract_not_started');
  else contractYear = year - profile.aciStartYear + 1;
  if (profile && !missing.includes('contract_not_started') && !input.envelope) missing.push('envelope');

  const { salaryMin, salaryMax } = input.post;
  const salaryLow = salaryMin ?? salaryMax;
  const salaryHigh = salaryMax ?? salaryMin;
  if (salaryLow === null || salaryHigh === null || salaryLow <= 0) missing.push('salary');
  const time = workingTimeOf(input.post);
  if (!time) missing.push('working_time');

  const margin = contractYear !== undefined ? marginOf(input.envelope, input.commitments) : undefined;
  let cost: PostCost | undefined;
  if (profile && time && salaryLow !== null && salaryHigh !== null && salaryLow > 0) {
    const rate = profile.newPostRatePercent;
    cost = {
      low: yearlyPostCost(salaryLow, time, rate),
      high: yearlyPostCost(salaryHigh, time, rate),
      salaryLow,
      salaryHigh,
      workingTimePercent: Math.round((time.num * 100) / time.den),
      ratePercent: rate,
    };
  }
  const result: CheckResult = { year, missing, margin, cost, contractYear };
  if (margin && cost) {
    result.verdict = verdictOf(margin.available, cost);
    result.spareLow = margin.available - cost.low;
    result.spareHigh = margin.available - cost.high;
  }
  return result;
}
