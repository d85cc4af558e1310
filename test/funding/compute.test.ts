import { expect } from 'chai';
import { checkFunding, committedTotal, marginOf, verdictOf, workingTimeOf, yearlyPostCost, type CheckInput, type Envelope } from '../../server/features/funding/compute.js';

const ENVELOPE: Envelope = { amount: 105_000, source: 'Avenant test', sourceDate: '2021-12-20', origin: 'region' };
const PROFILE = { aciSize: 2, aciStartYear: 2023, newPostRatePercent: 45 };
const COORDINATOR = { kind: 'post' as const, grossSalary: 38_000, ftePercent: 100, employerRatePercent: 45 };

function input(overrides: Partial<CheckInput> = {}): CheckInput {
  return {
    year: 2026,
    profile: PROFILE,
    envelope: ENVELOPE,
    commitments: [COORDINATOR],
    post: { salaryMin: 27_000, salaryMax: 36_000, ftePercent: 80 },
    ...overrides,
  };
}

describe('funding computation (pure)', () => {
  describe('the yearly cost of a post', () => {
    it('when a post is full time then its cost is the salary plus the employer contributions', () => {
      expect(yearlyPostCost(38_000, { num: 100, den: 100 }, 45)).to.equal(55_100);
    });

    it('when a post is part time then the salary is prorated before the contributions', () => {
      expect(yearlyPostCost(27_000, { num: 80, den: 100 }, 45)).to.equal(31_320);
      expect(yearlyPostCost(24_000, { num: 50, den: 100 }, 0)).to.equal(12_000);
    });

    it('when the working time is given in hours then it is a fraction of the 35-hour week', () => {
      expect(workingTimeOf({ ftePercent: null, hoursPerWeek: 28 })).to.deep.equal({ num: 28, den: 35 });
      expect(yearlyPostCost(35_000, workingTimeOf({ ftePercent: 100, hoursPerWeek: 28 })!, 40)).to.equal(39_200);
    });

    it('when the result is not a whole euro then it is rounded to the nearest euro', () => {
      expect(yearlyPostCost(33_333, { num: 33, den: 100 }, 42)).to.equal(Math.round((33_333 * 33 * 142) / 10_000));
    });
  });

  describe('the margin', () => {
    it('when posts and other costs are committed then the margin is the envelope minus their total', () => {
      const commitments = [COORDINATOR, { kind: 'other' as const, amount: 12_000 }];
      expect(committedTotal(commitments)).to.equal(67_100);
      expect(marginOf(ENVELOPE, commitments)).to.deep.include({ committed: 67_100, available: 37_900 });
    });

    it('when there is no envelope then there is no margin, rather than a margin of zero', () => {
      expect(marginOf(undefined, [COORDINATOR])).to.equal(undefined);
    });
  });

  describe('the verdict', () => {
    it('when the margin pays the upper salary then it covers the post at its upper salary', () => {
      const r = checkFunding(input());
      expect(r.missing).to.deep.equal([]);
      expect(r.cost).to.deep.include({ low: 31_320, high: 41_760, workingTimePercent: 80, ratePercent: 45 });
      expect(r.margin?.available).to.equal(49_900);
      expect(r.verdict).to.equal('covers_high');
      expect(r.spareHigh).to.equal(8_140);
      expect(r.spareLow).to.equal(18_580);
      expect(r.contractYear).to.equal(4);
    });

    it('when the margin pays the lower salary only then it covers the post at its lower salary and says what the upper one lacks', () => {
      const r = checkFunding(input({ commitments: [COORDINATOR, { kind: 'other', amount: 15_000 }] }));
      expect(r.verdict).to.equal('covers_low');
      expect(r.spareLow).to.equal(3_580);
      expect(r.spareHigh).to.equal(-6_860);
    });

    it('when the margin is below the lower salary then the post is short by the difference', () => {
      const r = checkFunding(input({ commitments: [COORDINATOR, { kind: 'other', amount: 30_000 }] }));
      expect(r.verdict).to.equal('short');
      expect(r.spareLow).to.equal(-11_420);
    });

    it('when the commitments already exceed the envelope then it is over-committed, whatever the post', () => {
      const r = checkFunding(input({ commitments: [COORDINATOR, COORDINATOR] }));
      expect(r.margin?.available).to.equal(-5_200);
      expect(r.verdict).to.equal('over_committed');
      expect(verdictOf(-1, { low: 0, high: 0 })).to.equal('over_committed');
    });

    it('when the margin equals the upper cost exactly then it still covers it, with nothing to spare', () => {
      expect(verdictOf(41_760, { low: 31_320, high: 41_760 })).to.equal('covers_high');
      expect(verdictOf(31_320, { low: 31_320, high: 41_760 })).to.equal('covers_low');
    });
  });

  describe('missing data', () => {
    it('when the posting has no salary then the check asks for one and gives no verdict', () => {
      const r = checkFunding(input({ post: { salaryMin: null, salaryMax: null, ftePercent: 80 } }));
      expect(r.missing).to.deep.equal(['salary']);
      expect(r.verdict).to.equal(undefined);
      expect(r.cost).to.equal(undefined);
      expect(r.margin?.available).to.equal(49_900);
    });

    it('when only one bound of the salary is given then it is both the lower and the upper salary', () => {
      const r = checkFunding(input({ post: { salaryMin: null, salaryMax: 30_000, ftePercent: 100 } }));
      expect(r.cost).to.deep.include({ low: 43_500, high: 43_500 });
    });

    it('when the size has no amount for the year then the check says the envelope is missing instead of guessing', () => {
      const r = checkFunding(input({ envelope: undefined }));
      expect(r.missing).to.deep.equal(['envelope']);
      expect(r.margin).to.equal(undefined);
      expect(r.verdict).to.equal(undefined);
      expect(r.cost?.high).to.equal(41_760);
    });

    it('when the CPTS recorded no contract then the check asks for it first', () => {
      const r = checkFunding(input({ profile: undefined, envelope: undefined }));
      expect(r.missing).to.deep.equal(['profile']);
      expect(r.verdict).to.equal(undefined);
    });

    it('when the contract starts after the year of the check then there is no envelope that year', () => {
      const r = checkFunding(input({ year: 2022 }));
      expect(r.missing).to.deep.equal(['contract_not_started']);
      expect(r.margin).to.equal(undefined);
    });

    it('when the posting has no working time then the check asks for it', () => {
      const r = checkFunding(input({ post: { salaryMin: 27_000, salaryMax: 36_000, ftePercent: null, hoursPerWeek: null } }));
      expect(r.missing).to.deep.equal(['working_time']);
      expect(r.verdict).to.equal(undefined);
    });
  });
});
