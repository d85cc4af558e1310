import { createEvent } from 'ics';
import { foldIcs } from '../../core/ics.js';

export type IcsPerson = { name: string; email: string };
export type InterviewIcsInput = {
  /** Stable for the life of the interview: calendars match updates and cancellations on it. */
  uid: string;
  /** 0 at creation, incremented on each reschedule and on cancellation. */
  sequence: number;
  method: 'REQUEST' | 'CANCEL';
  start: Date;
  durationMinutes: number;
  title: string;
  description: string;
  location?: string;
  url?: string;
  organizer: IcsPerson;
  attendees: IcsPerson[];
};

function utcParts(d: Date): [number, number, number, number, number] {
  return [d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate(), d.getUTCHours(), d.getUTCMinutes()];
}

/**
 * An RFC 5545 invitation (METHOD:REQUEST) or cancellation (METHOD:CANCEL) with UTC times, so
 * no VTIMEZONE is needed and every calendar shows the Paris time the bureau chose.
 */
export function interviewIcs(input: InterviewIcsInput): string {
  const { error, value } = createEvent({
    uid: input.uid,
    sequence: input.sequence,
    method: input.method,
    status: input.method === 'CANCEL' ? 'CANCELLED' : 'CONFIRMED',
    start: utcParts(input.start),
    startInputType: 'utc',
    startOutputType: 'utc',
    duration: { minutes: input.durationMinutes },
    title: input.title,
    description: input.description,
    location: input.location,
    url: input.url,
    productId: 'coordo/interviews',
    organizer: { name: input.organizer.name, email: input.organizer.email },
    attendees: input.attendees.map((a) => ({ name: a.name, email: a.email, rsvp: true, partstat: 'NEEDS-ACTION', role: 'REQ-PARTICIPANT' })),
  });
  if (error || !value) throw error ?? new Error('could not build the calendar file');
  return foldIcs(value);
}
