import { expect } from 'chai';
import { parisToUtc, utcToParis } from '../../server/features/interviews/time.js';

describe('interviews: Paris time to UTC', () => {
  it('when a winter time is given then UTC is one hour earlier', () => {
    expect(parisToUtc('2026-12-03', '14:30')?.toISOString()).to.equal('2026-12-03T13:30:00.000Z');
  });
  it('when a summer time is given then UTC is two hours earlier', () => {
    expect(parisToUtc('2026-07-14', '09:00')?.toISOString()).to.equal('2026-07-14T07:00:00.000Z');
  });
  it('when the day of the spring change is given then times before and after 02:00 use their own offset, and 02:30 does not exist', () => {
    expect(parisToUtc('2026-03-29', '01:30')?.toISOString()).to.equal('2026-03-29T00:30:00.000Z');
    expect(parisToUtc('2026-03-29', '03:30')?.toISOString()).to.equal('2026-03-29T01:30:00.000Z');
    expect(parisToUtc('2026-03-29', '02:30')).to.equal(undefined);
  });
  it('when the day of the autumn change is given then the repeated hour is the first one and later times are winter time', () => {
    expect(parisToUtc('2026-10-25', '02:30')?.toISOString()).to.equal('2026-10-25T00:30:00.000Z');
    expect(parisToUtc('2026-10-25', '10:00')?.toISOString()).to.equal('2026-10-25T09:00:00.000Z');
  });
  it('when the date or time is impossible then undefined', () => {
    for (const [d, t] of [['2026-02-30', '10:00'], ['2026-13-01', '10:00'], ['2026-01-01', '24:00'], ['2026-01-01', '9h'], ['demain', '10:00']]) {
      expect(parisToUtc(d, t), `${d} ${t}`).to.equal(undefined);
    }
  });
  it('when converted back then the Paris wall time is found again', () => {
    for (const iso of ['2026-12-03T13:30:00.000Z', '2026-07-14T07:00:00.000Z', '2026-03-29T01:30:00.000Z']) {
      const { date, time } = utcToParis(new Date(iso));
      expect(parisToUtc(date, time)?.toISOString()).to.equal(iso);
    }
  });
});
