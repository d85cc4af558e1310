import { expect } from 'chai';
import ICAL from 'ical.js';
import { interviewIcs } from '../../server/features/interviews/ics.js';

function parse(ics: string) {
  const calendar = new ICAL.Component(ICAL.parse(ics));
  const event = calendar.getFirstSubcomponent('vevent')!;
  return { calendar, event };
}

const base = {
  uid: 'interview-42@coordo.test',
  start: new Date('2026-12-03T13:30:00Z'), // 14:30 in Paris
  durationMinutes: 45,
  title: 'Entretien : coordinateur·rice de la CPTS Sud-Loire Vignoble',
  description: 'Entretien avec le jury. Lieu : maison de santé de Vertou.',
  location: 'Maison de santé, 2 rue de la Loire, 44120 Vertou',
  organizer: { name: 'Dr Hélène Moreau', email: 'bureau@demo.coordo.test' },
  attendees: [
    { name: 'Élodie Martin', email: 'elodie@example.test' },
    { name: 'Anne-Sophie Le Goff', email: 'mission@demo.coordo.test' },
  ],
};

describe('interviews: calendar files', () => {
  it('when an interview is scheduled then the file is a METHOD:REQUEST event in UTC with its attendees', () => {
    const { calendar, event } = parse(interviewIcs({ ...base, sequence: 0, method: 'REQUEST' }));
    expect(calendar.getFirstPropertyValue('method')).to.equal('REQUEST');
    expect(event.getFirstPropertyValue('uid')).to.equal('interview-42@coordo.test');
    expect(event.getFirstPropertyValue('sequence')).to.equal(0);
    expect(event.getFirstPropertyValue('status')).to.equal('CONFIRMED');
    const start = event.getFirstPropertyValue('dtstart') as ICAL.Time;
    expect(start.toJSDate().toISOString()).to.equal('2026-12-03T13:30:00.000Z');
    expect(String(event.getFirstPropertyValue('summary'))).to.contain('Sud-Loire');
    const attendees = event.getAllProperties('attendee').map((p) => String(p.getFirstValue()).toLowerCase());
    expect(attendees).to.deep.equal(['mailto:elodie@example.test', 'mailto:mission@demo.coordo.test']);
  });

  it('when rescheduled then the UID stays and SEQUENCE grows; when cancelled then METHOD:CANCEL', () => {
    const moved = parse(interviewIcs({ ...base, start: new Date('2026-12-04T08:00:00Z'), sequence: 1, method: 'REQUEST' }));
    expect(moved.event.getFirstPropertyValue('uid')).to.equal('interview-42@coordo.test');
    expect(moved.event.getFirstPropertyValue('sequence')).to.equal(1);
    const cancelled = parse(interviewIcs({ ...base, sequence: 2, method: 'CANCEL' }));
    expect(cancelled.calendar.getFirstPropertyValue('method')).to.equal('CANCEL');
    expect(cancelled.event.getFirstPropertyValue('status')).to.equal('CANCELLED');
    expect(cancelled.event.getFirstPropertyValue('sequence')).to.equal(2);
  });
});
