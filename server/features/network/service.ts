import type { DB } from '../../core/db.js';
import { keptWhile, type RevisionedTable } from '../../core/revisions.js';
import { nowIso } from '../../core/db.js';
import { audit } from '../../core/audit.js';
import { Invalid, NotFound } from '../../core/errors.js';
import type { Locale, Translate } from '../../core/i18n.js';
import { enqueueMail, simpleMail } from '../../core/mailer.js';
import { organisationIdsOf, type Actor } from '../../core/policy.js';
import * as q from './queries.js';
import type { CorrespondentInput } from './schemas.js';

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
export function pairMentor(
  db: DB,
  actor: Actor,
  regionId: number,
  input: { mentee: { userId: number; organisationId: number }; mentor: { userId: number; organisationId: number } },
  mail: { baseUrl: string; translator: (locale: Locale) => Translate },
  form?: Form,
  now = new Date(),
): number {
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
    const menteeContact = q.contactOf(db, mentee.user_id, mentee.organisation_id);
    const mentorContact = q.contactOf(db, mentor.user_id, mentor.organisation_id);
    mailPairing(db, mail, menteeContact, mentorContact, 'mentee', now);
    mailPairing(db, mail, mentorContact, menteeContact, 'mentor', now);
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

/** Tells one side of a new pairing who the other is, with their contact details. */
function mailPairing(db: DB, mail: { baseUrl: string; translator: (locale: Locale) => Translate }, to: q.PersonContact, other: q.PersonContact, side: 'mentee' | 'mentor', now: Date): void {
  const t = mail.translator(to.locale);
  const message = simpleMail({
    subject: t(`network.mail.pairing.${side}.subject`, { name: other.name }),
    greeting: t('network.mail.greeting', { name: to.name }),
    paragraphs: [
      t(`network.mail.pairing.${side}.intro`, { name: other.name, org: other.organisation_name }),
      t('network.mail.pairing.email', { email: other.email }),
      ...(other.phone ? [t('network.mail.pairing.phone', { phone: other.phone })] : []),
      t(`network.mail.pairing.${side}.next`),
    ],
    action: { label: t('network.mail.pairing.action'), url: `${mail.baseUrl}/tableau-de-bord#mon-binome` },
    footer: t('mail.footer'),
    lang: to.locale,
  });
  enqueueMail(db, { template: `network.pairing.${side}`, to: to.email, ...message }, now);
}

/** The actor's active pairings, each with the other person's contact details, for the home page. */
export function myPairings(db: DB, actor: Actor) {
  return q.activePairingsOfUser(db, actor.id).map((p) => {
    const mentee = p.mentee_user_id === actor.id;
    const otherId = mentee ? p.mentor_user_id : p.mentee_user_id;
    const otherOrg = mentee ? p.mentor_organisation_id : p.mentee_organisation_id;
    return { id: p.id, side: mentee ? ('mentee' as const) : ('mentor' as const), other: q.contactOf(db, otherId, otherOrg) };
  });
}

/** The phone a member shares with the network. */
export function myProfile(db: DB, actor: Actor) {
  return { phone: q.profileOf(db, actor.id) };
}

export function saveProfile(db: DB, actor: Actor, phone: string, now = new Date()): void {
  q.upsertProfile(db, actor.id, phone, nowIso(now));
}

/** What the region's network needs first: coordinators without a mentor, the next event and its answers. */
/** What coordinatorsWithoutMentor reads. */
const WITHOUT_MENTOR_TABLES = ['memberships', 'users', 'organisations', 'onboarding_plans', 'network_mentor_pairings'] as const satisfies readonly RevisionedTable[];

export function regionNetworkAttention(db: DB, regionId: number, now = new Date()) {
  const next = nextEventOfRegion(db, regionId, now);
  let answers: { yes: number; maybe: number; no: number; none: number; total: number } | undefined;
  if (next) {
    const rsvps = new Map(q.rsvpsOfEvent(db, next.id).map((r) => [r.user_id, r.response]));
    const invited = q.invitedOf(db, next.id);
    const of = (r: string) => invited.filter((i) => rsvps.get(i.user_id) === r).length;
    answers = { yes: of('yes'), maybe: of('maybe'), no: of('no'), none: invited.filter((i) => !rsvps.has(i.user_id)).length, total: invited.length };
  }
  return { withoutMentor: keptWhile(db, 'coordinators-without-mentor', regionId, WITHOUT_MENTOR_TABLES, '', () => q.coordinatorsWithoutMentor(db, regionId)), nextEvent: next, answers };
}
