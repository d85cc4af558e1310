import { createEvent } from 'ics';
import { foldIcs, PARIS_VTIMEZONE } from '../../core/ics.js';
import { rrule, type Recurrence } from './recurrence.js';

export type IcsPerson = { name: string; email: string };

const CRLF = '\r\n';

/** Europe/Paris rules since 1996 (last Sunday of March / October). */
const PARIS_TIMEZONE = PARIS_VTIMEZONE.join(CRLF);

export type SeriesIcsInput = {
  uid: string;
  sequence: number;
  method: 'REQUEST' | 'CANCEL' | 'PUBLISH';
  recurrence: Recurrence;
  /** Paris wall-clock time of each meeting, "HH:MM". */
  startTime: string;
  durationMinutes: number;
  title: string;
  description: string;
  location: string;
  url: string;
  organizer: IcsPerson;
  attendees: IcsPerson[];
};

/**
 * One recurring event (RRULE) for the whole series, built with the same `ics` package as the
 * other calendar files. A series must follow Paris time across DST, which UTC times cannot do:
 * DTSTART is rewritten with TZID=Europe/Paris and the matching VTIMEZONE is added.
 */
export function seriesIcs(input: SeriesIcsInput): string {
  const [y, m, d] = input.recurrence.firstDate.split('-').map(Number);
  const [hh, mm] = input.startTime.split(':').map(Number);
  const { error, value } = createEvent({
    uid: input.uid,
    sequence: input.sequence,
    method: input.method,
    status: input.method === 'CANCEL' ? 'CANCELLED' : 'CONFIRMED',
    start: [y, m, d, hh, mm],
    startInputType: 'utc',
    startOutputType: 'utc',
    duration: { minutes: input.durationMinutes },
    recurrenceRule: rrule(input.recurrence),
    title: input.title,
    description: input.description,
    location: input.location,
    url: input.url,
    productId: 'coordo/exchange',
    organizer: { name: input.organizer.name, email: input.organizer.email },
    attendees: input.attendees.map((a) => ({ name: a.name, email: a.email, rsvp: true, partstat: 'NEEDS-ACTION', role: 'REQ-PARTICIPANT' })),
  });
  if (error || !value) throw error ?? new Error('could not build the calendar file');
  const pad = (n: number) => String(n).padStart(2, '0');
  const local = `${y}${pad(m)}${pad(d)}T${pad(hh)}${pad(mm)}00`;
  return foldIcs(
    value.replace(/^DTSTART:\d{8}T\d{6}Z$/m, `DTSTART;TZID=Europe/Paris:${local}`).replace(`${CRLF}BEGIN:VEVENT`, `${CRLF}${PARIS_TIMEZONE}${CRLF}BEGIN:VEVENT`),
  );
}
