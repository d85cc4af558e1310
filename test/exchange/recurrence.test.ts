import { expect } from 'chai';
import { isOccurrence, isoWeekday, nextOccurrenceFrom, occurrences, onOrAfterWeekday, previousOccurrences, rrule, weekOfMonth } from '../../server/features/exchange/recurrence.js';
import { seriesIcs } from '../../server/features/exchange/ics.js';
import ICAL from 'ical.js';

describe('exchange: the calendar of a meeting series', () => {
  it('when a series is weekly or every two weeks then its dates follow from the first meeting', () => {
    expect(isoWeekday('2026-03-10')).to.equal(2);
    expect(onOrAfterWeekday('2026-03-05', 2)).to.equal('2026-03-10');
    expect(onOrAfterWeekday('2026-03-10', 2)).to.equal('2026-03-10');
    const weekly = { frequency: 'weekly' as const, weekday: 2, firstDate: '2026-03-10' };
    expect(occurrences(weekly, '2026-03-01', '2026-03-31')).to.deep.equal(['2026-03-10', '2026-03-17', '2026-03-24', '2026-03-31']);
    const biweekly = { frequency: 'biweekly' as const, weekday: 2, firstDate: '2026-03-10' };
    expect(occurrences(biweekly, '2026-03-11', '2026-04-30')).to.deep.equal(['2026-03-24', '2026-04-07', '2026-04-21']);
    expect(isOccurrence(biweekly, '2026-03-17')).to.equal(false);
    expect(isOccurrence(biweekly, '2026-04-07')).to.equal(true);
    expect(nextOccurrenceFrom(biweekly, '2026-03-25')).to.equal('2026-04-07');
    expect(previousOccurrences(biweekly, '2026-04-07', 5)).to.deep.equal(['2026-03-24', '2026-03-10']);
  });

  it('when a series is monthly then it keeps the same week of the month, "the last" from the fifth week', () => {
    const second = { frequency: 'monthly' as const, weekday: 2, firstDate: '2026-03-10' };
    expect(weekOfMonth('2026-03-10')).to.equal(2);
    expect(occurrences(second, '2026-03-01', '2026-06-30')).to.deep.equal(['2026-03-10', '2026-04-14', '2026-05-12', '2026-06-09']);
    const last = { frequency: 'monthly' as const, weekday: 2, firstDate: '2026-03-31' };
    expect(weekOfMonth('2026-03-31')).to.equal(-1);
    expect(occurrences(last, '2026-03-01', '2026-06-30')).to.deep.equal(['2026-03-31', '2026-04-28', '2026-05-26', '2026-06-30']);
    expect(rrule(second)).to.equal('FREQ=MONTHLY;BYDAY=2TU');
    expect(rrule(last)).to.equal('FREQ=MONTHLY;BYDAY=-1TU');
    expect(rrule({ frequency: 'biweekly', weekday: 4, firstDate: '2026-03-12' })).to.equal('FREQ=WEEKLY;INTERVAL=2;BYDAY=TH');
  });

  it('when the series is written as .ics then it is one VEVENT with the RRULE and a Paris DTSTART that survives DST', () => {
    const text = seriesIcs({
      uid: 'exchange-1@coordo',
      sequence: 2,
      method: 'REQUEST',
      recurrence: { frequency: 'monthly', weekday: 2, firstDate: '2026-03-10' },
      startTime: '18:30',
      durationMinutes: 60,
      title: 'Point coordination – bureau',
      description: 'Ordre du jour',
      location: 'Siège de la CPTS',
      url: 'http://coordo.test/organisations/1/echange',
      organizer: { name: 'Présidente', email: 'pres@example.test' },
      attendees: [{ name: 'Coord', email: 'coord@example.test' }],
    });
    expect(text).to.match(/\r\nDTSTART;TZID=Europe\/Paris:20260310T183000\r\n/);
    const cal = new ICAL.Component(ICAL.parse(text));
    expect(cal.getFirstPropertyValue('method')).to.equal('REQUEST');
    const tz = cal.getFirstSubcomponent('vtimezone')!;
    ICAL.TimezoneService.register(new ICAL.Timezone(tz));
    const vevents = cal.getAllSubcomponents('vevent');
    expect(vevents).to.have.length(1);
    const ev = new ICAL.Event(vevents[0]);
    expect(ev.sequence).to.equal(2);
    expect(String(vevents[0].getFirstPropertyValue('rrule'))).to.equal('FREQ=MONTHLY;BYDAY=2TU');
    const it = ev.iterator();
    const paris = (d: Date) => new Intl.DateTimeFormat('fr-FR', { timeZone: 'Europe/Paris', dateStyle: 'short', timeStyle: 'short' }).format(d);
    const first = it.next()!.toJSDate();
    const second = it.next()!.toJSDate(); // 14 April: after the switch to summer time
    expect([paris(first), paris(second)]).to.deep.equal(['10/03/2026 18:30', '14/04/2026 18:30']);
  });
});
