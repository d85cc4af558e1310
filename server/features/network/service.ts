import crypto from 'node:crypto';
import { createEvent } from 'ics';
import type { DB } from '../../core/db.js';
import { nowIso } from '../../core/db.js';
import { audit } from '../../core/audit.js';
import { foldIcs } from '../../core/ics.js';
import { Invalid, NotFound } from '../../core/errors.js';
import { organisationIdsOf, type Actor } from '../../core/policy.js';
import * as q from './queries.js';
import type { CorrespondentInput, EventInput } from './schemas.js';
import { parisToUtc } from './time.js';

type Form = { view: string; locals: Record<string, unknown> };

export function isChargeOf(actor: Actor, regionId: number): boolean {
  return actor.memberships.some((m) => m.role === 'charge_de_mission' && m.regionId === regionId);
}

/** The regions whose network an actor belongs to: as chargé de mission or as a member of one of its CPTS. */
export function networkRegionIds(db: DB, actor: Actor): number[] {
  const ids = new Set<number>(actor.memberships.filter((m) => m.role === 'charge_de_mission').map((m) => m.regionId as number));
  for (const id of q.regionIdsOfOrganisations(db, organisationIdsOf(actor))) ids.add(id);
  return [...ids];
}

export function networkRegion(db: DB, actor: Actor, regionId: number): q.RegionRow {
  const region = q.regionById(db, regionId);
  if (!region || !networkRegionIds(db, actor).includes(region.id)) throw new NotFound();
  return region;
}

export function managedRegion(db: DB, actor: Actor, regionId: number): q.RegionRow {
  const region = q.regionById(db, regionId);
  if (!region || !isChargeOf(actor, region.id)) throw new NotFound();
  return region;
}

export function networkRegions(db: DB, actor: Actor): q.RegionRow[] {
  return q.regionsByIds(db, networkRegionIds(db, actor));
}

/** The region's directory: CPTS with their coordinators and case managers, correspondents, events. */
export function directory(db: DB, actor: Actor, regionId: number, now = new Date()) {
  const region = networkRegion(db, actor, regionId);
  const staff = q.staffOfRegion(db, region.id);
  const organisations = q.organisationsOfRegion(db, region.id).map((o) => ({ ...o, staff: staff.filter((s) => s.organisation_id === o.id) }));
  const mayManage = isChargeOf(actor, region.id);
  return {
    region,
    organisations,
    correspondents: q.correspondentsOfRegion(db, region.id),
    events: q.upcomingEventsOfRegion(db, region.id, nowIso(now)),
    pairings: mayManage ? q.activePairingsOfRegion(db, region.id) : q.activePairingsOfUser(db, actor.id).filter((p) => p.region_id === region.id),
    mayManage,
  };
}

// ---- correspondents -------------------------------------------------------------------------

function checkDepartment(db: DB, regionId: number, input: CorrespondentInput, form?: Form) {
  if (!q.departmentsOfRegion(db, regionId).includes(input.department)) throw new Invalid({ department: 'errors.choice' }, form?.view, { ...form?.locals, values: input });
}

export function addCorrespondent(db: DB, actor: Actor, regionId: number, input: CorrespondentInput, form?: Form, now = new Date()): number {
  return db.transaction(() => {
    const region = managedRegion(db, actor, regionId);
    checkDepartment(db, region.id, input, form);
    const id = q.insertCorrespondent(db, region.id, input, nowIso(now));
    audit(db, { actorUserId: actor.id, actorLabel: actor.email, action: 'network.correspondent.added', targetType: 'correspondent', targetId: id });
    return id;
  })();
}

export function managedCorrespondent(db: DB, actor: Actor, id: number): q.CorrespondentRow {
  const c = q.correspondentById(db, id);
  if (!c || !isChargeOf(actor, c.region_id)) throw new NotFound();
  return c;
}

export function updateCorrespondent(db: DB, actor: Actor, id: number, input: CorrespondentInput, form?: Form, now = new Date()): q.CorrespondentRow {
  return db.transaction(() => {
    const c = managedCorrespondent(db, actor, id);
    checkDepartment(db, c.region_id, input, form);
    q.updateCorrespondent(db, c.id, input, nowIso(now));
    return c;
  })();
}

export function removeCorrespondent(db: DB, actor: Actor, id: number): q.CorrespondentRow {
  return db.transaction(() => {
    const c = managedCorrespondent(db, actor, id);
    q.deleteCorrespondent(db, c.id);
    audit(db, { actorUserId: actor.id, actorLabel: actor.email, action: 'network.correspondent.removed', targetType: 'correspondent', targetId: c.id });
    return c;
  })();
}

/** For the onboarding plan: the ARS, CPAM, DAC... contacts of the CPTS's department. */
export function correspondentsOfDepartment(db: DB, regionId: number, department: string): q.CorrespondentRow[] {
  return q.correspondentsOfDepartment(db, regionId, department);
}

export function nextEventOfRegion(db: DB, regionId: number, now = new Date()): q.EventRow | undefined {
  return q.upcomingEventsOfRegion(db, regionId, nowIso(now), 1)[0];
}

// ---- mentors ----------------------------------------------------------------------------------

/**
 * Pairs a new coordinator with an experienced coordinator of another CPTS of the same region.
 * A new pairing replaces the mentee's previous one.
 */
export function pairMentor(db: DB, actor: Actor, regionId: number, input: { mentee: { userId: number; organisationId: number }; mentor: { userId: number; organisationId: number } }, form?: Form, now = new Date()): number {
  return db.transaction(() => {
    const region = managedRegion(db, actor, regionId);
    const fail = (fields: Record<string, string>) => {
      throw new Invalid(fields, form?.view, { ...form?.locals, values: { mentee: `${input.mentee.userId}:${input.mentee.organisationId}`, mentor: `${input.mentor.userId}:${input.mentor.organisationId}` } });
    };
    const mentee = q.coordinatorMembership(db, input.mentee.userId, input.mentee.organisationId);
    const mentor = q.coordinatorMembership(db, input.mentor.userId, input.mentor.organisationId);
    if (!mentee || mentee.region_id !== region.id) return fail({ mentee: 'errors.choice' });
    if (!mentor) return fail({ mentor: 'errors.choice' });
    if (mentor.region_id !== region.id) return fail({ mentor: 'network.errors.mentorOtherRegion' });
    if (mentor.organisation_id === mentee.organisation_id) return fail({ mentor: 'network.errors.mentorSameCpts' });
    if (mentor.user_id === mentee.user_id) return fail({ mentor: 'network.errors.mentorSameCpts' });
    q.endActivePairing(db, mentee.user_id, mentee.organisation_id, nowIso(now));
    const id = q.insertPairing(
      db,
      { regionId: region.id, menteeId: mentee.user_id, menteeOrgId: mentee.organisation_id, mentorId: mentor.user_id, mentorOrgId: mentor.organisation_id, createdBy: actor.id },
      nowIso(now),
    );
    audit(db, { actorUserId: actor.id, actorLabel: actor.email, action: 'network.mentor.paired', organisationId: mentee.organisation_id, targetType: 'mentor_pairing', targetId: id });
    return id;
  })();
}

export function endMentorPairing(db: DB, actor: Actor, pairingId: number, now = new Date()): number {
  return db.transaction(() => {
    const p = q.pairingById(db, pairingId);
    if (!p || !isChargeOf(actor, p.region_id)) throw new NotFound();
    q.endPairing(db, p.id, nowIso(now));
    return p.region_id;
  })();
}

export function pairingChoices(db: DB, actor: Actor, regionId: number) {
  const region = managedRegion(db, actor, regionId);
  return { region, coordinators: q.coordinatorsOfRegion(db, region.id) };
}

export function pairingsOf(db: DB, actor: Actor): q.PairingRow[] {
  return q.activePairingsOfUser(db, actor.id);
}

// ---- events ---------------------------------------------------------------------------------

export function createNetworkEvent(db: DB, actor: Actor, regionId: number, input: EventInput, form?: Form, now = new Date()): number {
  return db.transaction(() => {
    const region = managedRegion(db, actor, regionId);
    const start = parisToUtc(input.date, input.time);
    if (!start) throw new Invalid({ date: 'network.errors.date' }, form?.view, { ...form?.locals, values: input });
    const uid = `event-${crypto.randomUUID()}@coordo`;
    const id = q.insertEvent(
      db,
      region.id,
      { kind: input.kind, title: input.title, startsAt: nowIso(start), durationMinutes: input.duration_minutes, place: input.place, agenda: input.agenda },
      uid,
      actor.id,
      nowIso(now),
    );
    audit(db, { actorUserId: actor.id, actorLabel: actor.email, action: 'network.event.created', targetType: 'network_event', targetId: id });
    return id;
  })();
}

export function viewableEvent(db: DB, actor: Actor, eventId: number): q.EventRow {
  const e = q.eventById(db, eventId);
  if (!e || !networkRegionIds(db, actor).includes(e.region_id)) throw new NotFound();
  return e;
}

export function eventPage(db: DB, actor: Actor, eventId: number, now = new Date()) {
  const event = viewableEvent(db, actor, eventId);
  const isOrganiser = isChargeOf(actor, event.region_id);
  return {
    event,
    isPast: event.starts_at < nowIso(now),
    isOrganiser,
    myResponse: q.rsvpOf(db, event.id, actor.id) ?? '',
    attendees: isOrganiser ? q.rsvpsOfEvent(db, event.id) : [],
  };
}

/** RSVP; an event that has started can no longer be answered. */
export function respondToEvent(db: DB, actor: Actor, eventId: number, response: 'yes' | 'no' | 'maybe', form: (locals: Record<string, unknown>) => Form, now = new Date()): void {
  db.transaction(() => {
    const page = eventPage(db, actor, eventId, now);
    if (page.isPast) {
      const f = form(page);
      throw new Invalid({ response: 'network.errors.pastEvent' }, f.view, { ...f.locals, values: { response } }, 409);
    }
    q.upsertRsvp(db, page.event.id, actor.id, response, nowIso(now));
  })();
}

function utcParts(d: Date): [number, number, number, number, number] {
  return [d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate(), d.getUTCHours(), d.getUTCMinutes()];
}

/** An RFC 5545 event with UTC times, so no VTIMEZONE is needed. */
export function eventIcs(event: q.EventRow, url: string): string {
  const { error, value } = createEvent({
    uid: event.uid,
    sequence: event.sequence,
    start: utcParts(new Date(event.starts_at)),
    startInputType: 'utc',
    startOutputType: 'utc',
    duration: { minutes: event.duration_minutes },
    title: event.title,
    description: event.agenda,
    location: event.place,
    url,
    productId: 'coordo/network',
    ...(event.organiser_email ? { organizer: { name: event.organiser_name ?? '', email: event.organiser_email } } : {}),
  });
  if (error || !value) throw error ?? new Error('could not build the calendar file');
  return foldIcs(value);
}
