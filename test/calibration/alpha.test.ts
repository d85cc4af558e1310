import { expect } from 'chai';
import { bootstrapAlpha, coincidencesOf, krippendorffAlpha } from '../../server/features/calibration/alpha.js';
import { median, raterStats } from '../../server/features/calibration/panelists.js';

// The reliability data of Krippendorff's "Computing Krippendorff's Alpha-Reliability" (2011),
// section C: four observers, twelve units, values 1-5, with missing values (null).
const _ = null;
const A = [1, 2, 3, 3, 2, 1, 4, 1, 2, _, _, _];
const B = [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, _, 3];
const C = [_, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, _];
const D = [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, _];
const WORKED = A.map((_v, i) => [A[i], B[i], C[i], D[i]]);

describe('calibration: Krippendorff’s alpha against the worked example', () => {
  it('when the worked example is computed then nominal, ordinal and interval alpha match the paper (0.743, 0.815, 0.849)', () => {
    const nominal = krippendorffAlpha(WORKED, 'nominal');
    expect(nominal.alpha!).to.be.closeTo(0.743, 0.0005);
    expect(krippendorffAlpha(WORKED, 'ordinal').alpha!).to.be.closeTo(0.815, 0.0005);
    expect(krippendorffAlpha(WORKED, 'interval').alpha!).to.be.closeTo(0.849, 0.0005);
    // Unit 12 has a single value: it is not pairable. 40 pairable values in 11 units, as in the paper.
    expect(nominal).to.include({ pairable: 40, units: 11 });
  });

  it('when ratings are missing in any pattern then only units with two values or more count', () => {
    const withGaps = [...WORKED, [_, _, _, 4], [_, _, _, _], [undefined, 2, null, undefined]];
    expect(krippendorffAlpha(withGaps, 'ordinal').alpha).to.equal(krippendorffAlpha(WORKED, 'ordinal').alpha);
    expect(krippendorffAlpha([[1], [2, null]], 'ordinal')).to.deep.equal({ alpha: undefined, pairable: 0, units: 0 });
  });

  it('when raters agree perfectly then alpha is 1; when they never agree systematically it falls to 0 or below; one value throughout gives none', () => {
    expect(krippendorffAlpha([[1, 1], [2, 2], [3, 3], [4, 4]], 'ordinal').alpha).to.equal(1);
    expect(krippendorffAlpha([[1, 4], [4, 1], [2, 3], [3, 2]], 'interval').alpha!).to.be.below(0);
    expect(krippendorffAlpha([[3, 3], [3, 3]], 'ordinal').alpha).to.equal(undefined);
  });

  it('when the units are bootstrapped then the 95 % interval holds alpha, is reproducible with its seed, and narrows with more data', () => {
    const c = coincidencesOf(WORKED);
    const alpha = krippendorffAlpha(WORKED, 'ordinal').alpha!;
    const small = bootstrapAlpha(c, 'ordinal', { seed: 42 })!;
    expect(small.low).to.be.at.most(alpha);
    expect(small.high).to.be.at.least(alpha);
    expect(bootstrapAlpha(c, 'ordinal', { seed: 42 })).to.deep.equal(small);
    const many = Array.from({ length: 20 }, () => WORKED).flat();
    const large = bootstrapAlpha(coincidencesOf(many), 'ordinal', { seed: 42 })!;
    expect(large.high - large.low).to.be.below(small.high - small.low);
  });
});

describe('calibration: panelists’ leniency and spread', () => {
  it('when a panelist rates one level above the others on the same units then their leniency is +1 and the others’ negative', () => {
    const ratings = [];
    for (let u = 0; u < 12; u++) {
      const base = 1 + (u % 3);
      ratings.push({ rater: 1, unit: `u${u}`, value: base + 1 }, { rater: 2, unit: `u${u}`, value: base }, { rater: 3, unit: `u${u}`, value: base });
    }
    // A unit nobody else rated is not a comparison.
    ratings.push({ rater: 1, unit: 'alone', value: 4 });
    const stats = new Map(raterStats(ratings).map((s) => [s.rater, s]));
    expect(stats.get(1)).to.include({ compared: 12, leniency: 1 });
    expect(stats.get(2)!.leniency).to.equal(-0.5);
    expect(stats.get(1)!.spread).to.be.greaterThan(0);
    expect(median([3, 1, 2])).to.equal(2);
    expect(median([])).to.equal(undefined);
  });
});
