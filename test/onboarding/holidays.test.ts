import { expect } from 'chai';
import { easterSunday, isPublicHoliday, isWorkingDay, nextWorkingDay, publicHolidays } from '../../server/features/onboarding/holidays.js';
import { relativeDue } from '../../server/features/onboarding/dates.js';

describe('onboarding: French public holidays and working days', () => {
  it('when Easter is computed then it matches the published dates, earliest and latest included', () => {
    const known: Record<number, string> = {
      1818: '1818-03-22', // earliest possible
      1943: '1943-04-25', // latest possible
      2000: '2000-04-23',
      2019: '2019-04-21',
      2024: '2024-03-31',
      2025: '2025-04-20',
      2026: '2026-04-05',
      2027: '2027-03-28',
      2028: '2028-04-16',
      2038: '2038-04-25',
      2285: '2285-03-22',
    };
    for (const [year, date] of Object.entries(known)) expect(easterSunday(Number(year)), year).to.equal(date);
  });

  it('when the holidays of 2026 are listed then there are the eleven of the Code du travail, with Easter Monday, Ascension and Whit Monday', () => {
    expect([...publicHolidays(2026)].sort()).to.deep.equal([
      '2026-01-01', '2026-04-06', '2026-05-01', '2026-05-08', '2026-05-14', '2026-05-25', '2026-07-14', '2026-08-15', '2026-11-01', '2026-11-11', '2026-12-25',
    ]);
    expect(isPublicHoliday('2025-06-09')).to.equal(true); // Whit Monday 2025
    expect(isPublicHoliday('2025-05-29')).to.equal(true); // Ascension 2025
    expect(isPublicHoliday('2025-04-21')).to.equal(true); // Easter Monday 2025
    expect(isPublicHoliday('2025-04-20')).to.equal(false); // Easter Sunday is a Sunday, not a listed holiday
  });

  it('when a date is a weekend or a holiday then the next working day follows it, across several in a row', () => {
    expect(isWorkingDay('2026-03-09')).to.equal(true);
    expect(nextWorkingDay('2026-03-09')).to.equal('2026-03-09');
    expect(nextWorkingDay('2026-03-07')).to.equal('2026-03-09');
    expect(nextWorkingDay('2026-05-23')).to.equal('2026-05-26'); // Saturday, Sunday, Whit Monday
    expect(nextWorkingDay('2027-12-25')).to.equal('2027-12-27');
    expect(nextWorkingDay('2026-12-31')).to.equal('2026-12-31');
    expect(nextWorkingDay('2027-01-01')).to.equal('2027-01-04'); // Friday 1 January, then the weekend
  });

  it('when a due date is written relatively then it says today, in n days or overdue by n days', () => {
    expect(relativeDue('2026-03-09', '2026-03-09')).to.deep.equal({ key: 'today', days: 0 });
    expect(relativeDue('2026-03-10', '2026-03-09')).to.deep.equal({ key: 'tomorrow', days: 1 });
    expect(relativeDue('2026-03-12', '2026-03-09')).to.deep.equal({ key: 'in', days: 3 });
    expect(relativeDue('2026-03-08', '2026-03-09')).to.deep.equal({ key: 'yesterday', days: 1 });
    expect(relativeDue('2026-03-02', '2026-03-09')).to.deep.equal({ key: 'late', days: 7 });
  });
});
