import { expect } from 'chai';
import { addDays, daysBetween, dueDate, isCalendarDate, isFarFrom, nextOccurrence, todayInParis } from '../../server/features/onboarding/dates.js';

describe('onboarding: due-date computation', () => {
  it('when a step has an offset then its due date is the start date plus that many calendar days, moved off weekends', () => {
    expect(dueDate('2026-03-02', 0)).to.equal('2026-03-02');
    expect(dueDate('2026-03-02', 14)).to.equal('2026-03-16');
    expect(dueDate('2026-03-02', 90)).to.equal('2026-06-01'); // 31 May 2026 is a Sunday
  });

  it('when the offset is negative then the step falls before the start date, across month and year ends', () => {
    expect(dueDate('2026-03-02', -7)).to.equal('2026-02-23');
    expect(dueDate('2026-01-05', -21)).to.equal('2025-12-15');
  });

  it('when the period crosses a leap day or a DST change then no day is lost or doubled', () => {
    expect(dueDate('2028-02-28', 1)).to.equal('2028-02-29');
    expect(dueDate('2027-02-28', 1)).to.equal('2027-03-01');
    expect(addDays('2026-03-28', 1)).to.equal('2026-03-29'); // Paris switches to summer time on the 29th
    expect(dueDate('2026-03-27', 1)).to.equal('2026-03-30'); // Saturday 28th -> Monday 30th
    expect(dueDate('2026-10-24', 2)).to.equal('2026-10-26');
    expect(daysBetween('2026-01-01', '2026-12-31')).to.equal(364);
  });

  it('when the due date falls on a weekend or a public holiday then it moves to the next working day', () => {
    expect(dueDate('2026-03-06', 1)).to.equal('2026-03-09'); // Saturday -> Monday
    expect(dueDate('2026-04-05', 1)).to.equal('2026-04-07'); // Easter Monday 2026 -> Tuesday
    expect(dueDate('2026-05-13', 1)).to.equal('2026-05-15'); // Ascension 2026 (Thursday 14 May) -> Friday
    expect(dueDate('2026-05-22', 3)).to.equal('2026-05-26'); // Monday 25 May is Whit Monday
    expect(dueDate('2026-12-24', 1)).to.equal('2026-12-28'); // Christmas Friday, then the weekend
  });

  it('when a step recurs then the next occurrence is the first due date or the first multiple of the period on or after today', () => {
    expect(nextOccurrence('2026-03-09', 14, '2026-03-01')).to.equal('2026-03-09');
    expect(nextOccurrence('2026-03-09', 14, '2026-03-09')).to.equal('2026-03-09');
    expect(nextOccurrence('2026-03-09', 14, '2026-03-10')).to.equal('2026-03-23');
    expect(nextOccurrence('2026-03-09', 14, '2026-03-23')).to.equal('2026-03-23');
    expect(nextOccurrence('2026-03-09', 30, '2026-12-31')).to.equal('2027-01-03');
    expect(() => nextOccurrence('2026-03-09', 0, '2026-03-10')).to.throw(RangeError);
  });

  it('when a date is checked then only real calendar dates pass', () => {
    expect(isCalendarDate('2026-02-28')).to.equal(true);
    expect(isCalendarDate('2026-02-30')).to.equal(false);
    expect(isCalendarDate('2026-2-3')).to.equal(false);
    expect(isCalendarDate('hier')).to.equal(false);
    expect(() => addDays('2026-13-01', 1)).to.throw(RangeError);
  });

  it('when a start date is more than six months from today then it is far', () => {
    expect(isFarFrom('2027-06-01', '2026-11-01')).to.equal(true);
    expect(isFarFrom('2025-01-01', '2026-11-01')).to.equal(true);
    expect(isFarFrom('2026-12-01', '2026-11-01')).to.equal(false);
  });

  it('when it is 23:30 UTC on 31 December then today in Paris is already 1 January', () => {
    expect(todayInParis(new Date('2026-12-31T23:30:00Z'))).to.equal('2027-01-01');
    expect(todayInParis(new Date('2026-07-01T21:59:00Z'))).to.equal('2026-07-01');
  });
});
