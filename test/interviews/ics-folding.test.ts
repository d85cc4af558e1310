import { expect } from 'chai';
import ICAL from 'ical.js';
import { foldIcs } from '../../server/core/ics.js';
import { interviewIcs } from '../../server/features/interviews/ics.js';
import { networkEventIcs } from '../../server/features/network/ics.js';

const longFrench =
  'Entretien de recrutement de Hélène Désirée Lefèvre-Bénéteau pour le poste « Coordinateur·rice de la CPTS Sud-Loire Vignoble » (CPTS Sud-Loire Vignoble). Lieu : maison de santé pluriprofessionnelle, 2 rue de l’Église, Vertou — salle « Émeraude » 🩺';

function physicalLines(ics: string): string[] {
  expect(ics).not.to.match(/[^\r]\n/, 'every line ends with CRLF');
  return ics.split('\r\n');
}

function expectFoldedAt75Octets(ics: string) {
  for (const line of physicalLines(ics)) {
    expect(Buffer.byteLength(line, 'utf8'), line).to.be.at.most(75);
    // No line was cut inside a UTF-8 sequence: each line decodes to itself.
    expect(Buffer.from(line, 'utf8').toString('utf8')).to.equal(line);
    expect(line).not.to.contain('\uFFFD');
  }
}

describe('calendar files: lines folded at 75 octets', () => {
  it('when a line has accented and 4-byte characters then every physical line is at most 75 octets and unfolds to the same text', () => {
    const line = `DESCRIPTION:${longFrench}`;
    const folded = foldIcs(`BEGIN:VCALENDAR\r\n${line}\r\nEND:VCALENDAR\r\n`);
    expectFoldedAt75Octets(folded);
    expect(folded.split('\r\n').length).to.be.greaterThan(4);
    expect(folded.replace(/\r\n /g, '')).to.equal(`BEGIN:VCALENDAR\r\n${line}\r\nEND:VCALENDAR\r\n`);
  });

  it('when a line is exactly 75 octets then it stays whole; at 76 it folds', () => {
    const exact = 'X'.repeat(75);
    expect(foldIcs(exact)).to.equal(exact);
    expect(foldIcs(`${exact}é`)).to.equal(`${exact}\r\n é`);
    // "é" is two octets: 74 + 2 > 75, so it moves whole to the next line.
    expect(foldIcs(`${'X'.repeat(74)}é`)).to.equal(`${'X'.repeat(74)}\r\n é`);
  });

  it('when an interview invitation carries long French text then its lines fit 75 octets and ical.js reads the text back intact', () => {
    const ics = interviewIcs({
      uid: 'entretien-1@coordo',
      sequence: 0,
      method: 'REQUEST',
      start: new Date('2030-12-03T13:30:00Z'),
      durationMinutes: 45,
      title: 'Entretien – Coordinateur·rice de la CPTS Sud-Loire Vignoble (CPTS Sud-Loire Vignoble)',
      description: longFrench,
      location: 'Maison de santé pluriprofessionnelle, 2 rue de l’Église, 44120 Vertou — salle « Émeraude »',
      organizer: { name: 'Dr Hélène Moreau-Lefèvre', email: 'bureau@demo.coordo.test' },
      attendees: [{ name: 'Élodie Martin-Dupré de la Châtaigneraie', email: 'elodie@example.test' }],
    });
    expectFoldedAt75Octets(ics);
    const event = new ICAL.Component(ICAL.parse(ics)).getFirstSubcomponent('vevent')!;
    expect(event.getFirstPropertyValue('description')).to.equal(longFrench);
  });

  it('when a network event carries long French text then its lines fit 75 octets too', () => {
    const ics = networkEventIcs(
      {
        id: 1,
        region_id: 1,
        region_name: 'Pays de la Loire',
        kind: 'meeting',
        title: 'Réunion régionale des coordinatrices et coordinateurs — échanges de pratiques',
        starts_at: '2030-12-03T13:30:00.000Z',
        duration_minutes: 120,
        place: 'Hôtel de région, salle « Émeraude », Nantes',
        agenda: longFrench,
        uid: 'event-1@coordo',
        sequence: 0,
        video_url: '',
        cancelled_at: null,
        audience: 'region',
        organiser_name: 'Anne-Sophie Le Goff',
        organiser_email: 'mission@demo.coordo.test',
      },
      { url: 'https://coordo.test/reseau/evenements/1', method: 'REQUEST', attendee: { name: 'Élodie Bénéteau', email: 'elodie@exemple.test' }, videoLabel: 'Visio :' },
    );
    expectFoldedAt75Octets(ics);
    const event = new ICAL.Component(ICAL.parse(ics)).getFirstSubcomponent('vevent')!;
    expect(event.getFirstPropertyValue('description')).to.equal(longFrench);
  });
});
