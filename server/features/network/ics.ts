import { createEvent } from 'ics';
import { foldIcs } from '../../core/ics.js';
import type { EventRow } from './queries.js';

export type IcsPerson = { name: string; email: string };

function utcParts(d: Date): [number, number, number, number, number] {
  return [d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate(), d.getUTCHours(), d.getUTCMinutes()];
}

/**
 * A network event as RFC 5545, with UTC times so no VTIMEZONE is needed. With a method, it is
 * an invitation (REQUEST) or a cancellation (CANCEL) addressed to one attendee; the UID is stable
 * and SEQUENCE grows with each change, so calendars update the event they already have.
 */
export function networkEventIcs(event: EventRow, opts: { url: string; method?: 'REQUEST' | 'CANCEL'; attendee?: IcsPerson; videoLabel: string }): string {
  const cancelled = opts.method === 'CANCEL' || event.cancelled_at !== null;
  const description = [event.agenda, event.video_url ? `${opts.videoLabel} ${event.video_url}` : ''].filter(Boolean).join('\n\n');
  const { error, value } = createEvent({
    uid: event.uid,
    sequence: event.sequence,
    ...(opts.method ? { method: opts.method } : {}),
    status: cancelled ? 'CANCELLED' : 'CONFIRMED',
    start: utcParts(new Date(event.starts_at)),
    startInputType: 'utc',
    startOutputType: 'utc',
    duration: { minutes: event.duration_minutes },
    title: event.title,
    description,
    location: event.place || event.video_url,
    url: event.video_url || opts.url,
    productId: 'coordo/network',
    ...(event.organiser_email ? { organizer: { name: event.organiser_name ?? '', email: event.organiser_email } } : {}),
    ...(opts.attendee ? { attendees: [{ name: opts.attendee.name, email: opts.attendee.email, rsvp: true, partstat: 'NEEDS-ACTION', role: 'REQ-PARTICIPANT' }] } : {}),
  });
  if (error || !value) throw error ?? new Error('could not build the calendar file');
  return foldIcs(value);
}
