import type { DB } from '../../core/db.js';
import { departementsOfRegionName } from './departements.js';

export type RegionRow = { id: number; name: string };
export type DirectoryOrg = { id: number; name: string; department: string; territory: string; email: string | null; population: number };
export type DirectoryPerson = { organisation_id: number; user_id: number; name: string; email: string; role: 'coordinator' | 'case_manager'; title: string; start_date: string };
export type CorrespondentRow = {
  id: number;
  region_id: number;
  department: string;
  institution: 'ars' | 'cpam' | 'dac' | 'cls' | 'ght' | 'other';
  institution_other: string;
  name: string;
  role: string;
  email: string;
  phone: string;
};
export type EventRow = {
  id: number;
  region_id: number;
  region_name: string;
  kind: 'meeting' | 'training';
  title: string;
  starts_at: string;
  duration_minutes: number;
  place: string;
  agenda: string;
  uid: string;
  sequence: number;
  video_url: string;
  cancelled_at: string | null;
  audience: 'region' | 'organisations';
  organiser_name: string | null;
  organiser_email: string | null;
};
export type PairingRow = {
  id: number;
  region_id: number;
  mentee_user_id: number;
  mentee_name: string;
  mentee_organisation: string;
  mentee_organisation_id: number;
  mentor_organisation_id: number;
  mentor_user_id: number;
  mentor_name: string;
  mentor_organisation: string;
  created_at: string;
};

export const regionById = (db: DB, id: number) => db.prepare('SELECT id, name FROM regions WHERE id = ?').get(id) as RegionRow | undefined;

export const regionsByIds = (db: DB, ids: number[]) =>
  db.prepare('SELECT id, name FROM regions WHERE id IN (SELECT value FROM json_each(?)) ORDER BY name').all(JSON.stringify(ids)) as RegionRow[];

/** Regions of the CPTS an actor belongs to. */
export const regionIdsOfOrganisations = (db: DB, orgIds: number[]) =>
  (db.prepare('SELECT DISTINCT region_id FROM organisations WHERE id IN (SELECT value FROM json_each(?))').all(JSON.stringify(orgIds)) as { region_id: number }[]).map(
    (r) => r.region_id,
  );

export const organisationsOfRegion = (db: DB, regionId: number) =>
  db
    .prepare('SELECT id, name, department, territory, email, population FROM organisations WHERE region_id = ? ORDER BY department, name')
    .all(regionId) as DirectoryOrg[];

/**
 * Coordinators and case managers of every CPTS of a region, one query. The start date is their
 * onboarding plan's start date when there is one, else the day their role was given.
 */
export const staffOfRegion = (db: DB, regionId: number) =>
  db
    .prepare(
      `SELECT m.organisation_id, u.id AS user_id, u.name, u.email, m.role, m.title,
         COALESCE((SELECT MIN(p.start_date) FROM onboarding_plans p WHERE p.user_id = u.id AND p.organisation_id = m.organisation_id AND p.kind = m.role),
                  substr(m.created_at, 1, 10)) AS start_date
       FROM memberships m JOIN users u ON u.id = m.user_id JOIN organisations o ON o.id = m.organisation_id
       WHERE o.region_id = ? AND m.role IN ('coordinator', 'case_manager') AND u.disabled_at IS NULL
       ORDER BY m.role, u.name`,
    )
    .all(regionId) as DirectoryPerson[];

/** Every département of the region (reference list by region name), plus any a CPTS gives. */
export function departmentsOfRegion(db: DB, regionId: number): string[] {
  const region = regionById(db, regionId);
  const fromOrgs = (db.prepare('SELECT DISTINCT department FROM organisations WHERE region_id = ?').all(regionId) as { department: string }[]).map((r) => r.department);
  return [...new Set([...(region ? departementsOfRegionName(region.name) : []), ...fromOrgs])].sort((a, b) => a.localeCompare(b, 'fr'));
}

// ---- correspondents -------------------------------------------------------------------------

const INSTITUTION_ORDER = `CASE institution WHEN 'ars' THEN 0 WHEN 'cpam' THEN 1 WHEN 'dac' THEN 2 WHEN 'cls' THEN 3 WHEN 'ght' THEN 4 ELSE 5 END`;

export const correspondentsOfRegion = (db: DB, regionId: number) =>
  db.prepare(`SELECT * FROM network_correspondents WHERE region_id = ? ORDER BY department, ${INSTITUTION_ORDER}, name`).all(regionId) as CorrespondentRow[];

export const correspondentsOfDepartment = (db: DB, regionId: number, department: string) =>
  db
    .prepare(`SELECT * FROM network_correspondents WHERE region_id = ? AND department = ? ORDER BY ${INSTITUTION_ORDER}, name`)
    .all(regionId, department) as CorrespondentRow[];

export const correspondentById = (db: DB, id: number) => db.prepare('SELECT * FROM network_correspondents WHERE id = ?').get(id) as CorrespondentRow | undefined;

export type CorrespondentFields = { department: string; institution: string; institution_other: string; name: string; role: string; email: string; phone: string };

export const insertCorrespondent = (db: DB, regionId: number, c: CorrespondentFields, now: string) =>
  Number(
    db
      .prepare(
        `INSERT INTO network_correspondents (region_id, department, institution, institution_other, name, role, email, phone, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(regionId, c.department, c.institution, c.institution === 'other' ? c.institution_other : '', c.name, c.role, c.email, c.phone, now, now).lastInsertRowid,
  );

export const updateCorrespondent = (db: DB, id: number, c: CorrespondentFields, now: string) =>
  db
    .prepare('UPDATE network_correspondents SET department = ?, institution = ?, institution_other = ?, name = ?, role = ?, email = ?, phone = ?, updated_at = ? WHERE id = ?')
    .run(c.department, c.institution, c.institution === 'other' ? c.institution_other : '', c.name, c.role, c.email, c.phone, now, id);

export const deleteCorrespondent = (db: DB, id: number) => db.prepare('DELETE FROM network_correspondents WHERE id = ?').run(id);

// ---- mentors ----------------------------------------------------------------------------------

export type CoordinatorOption = { user_id: number; name: string; organisation_id: number; organisation_name: string; region_id: number };

/** A coordinator membership, with the CPTS and region it is in. */
export const coordinatorMembership = (db: DB, userId: number, organisationId: number) =>
  db
    .prepare(
      `SELECT u.id AS user_id, u.name, o.id AS organisation_id, o.name AS organisation_name, o.region_id
       FROM memberships m JOIN users u ON u.id = m.user_id JOIN organisations o ON o.id = m.organisation_id
       WHERE m.user_id = ? AND m.organisation_id = ? AND m.role = 'coordinator' AND u.disabled_at IS NULL`,
    )
    .get(userId, organisationId) as CoordinatorOption | undefined;

export const coordinatorsOfRegion = (db: DB, regionId: number) =>
  db
    .prepare(
      `SELECT u.id AS user_id, u.name, o.id AS organisation_id, o.name AS organisation_name, o.region_id
       FROM memberships m JOIN users u ON u.id = m.user_id JOIN organisations o ON o.id = m.organisation_id
       WHERE o.region_id = ? AND m.role = 'coordinator' AND u.disabled_at IS NULL ORDER BY o.name, u.name`,
    )
    .all(regionId) as CoordinatorOption[];

const PAIRING_SELECT = `SELECT mp.id, mp.region_id, mp.mentee_user_id, me.name AS mentee_name, meo.name AS mentee_organisation,
    mp.mentor_user_id, mr.name AS mentor_name, mro.name AS mentor_organisation, mp.created_at,
    mp.mentee_organisation_id, mp.mentor_organisation_id
  FROM network_mentor_pairings mp
  JOIN users me ON me.id = mp.mentee_user_id JOIN organisations meo ON meo.id = mp.mentee_organisation_id
  JOIN users mr ON mr.id = mp.mentor_user_id JOIN organisations mro ON mro.id = mp.mentor_organisation_id`;

export const activePairingsOfRegion = (db: DB, regionId: number) =>
  db.prepare(`${PAIRING_SELECT} WHERE mp.region_id = ? AND mp.ended_at IS NULL ORDER BY mp.created_at DESC`).all(regionId) as PairingRow[];

export const activePairingsOfUser = (db: DB, userId: number) =>
  db
    .prepare(`${PAIRING_SELECT} WHERE (mp.mentee_user_id = ? OR mp.mentor_user_id = ?) AND mp.ended_at IS NULL ORDER BY mp.created_at DESC`)
    .all(userId, userId) as PairingRow[];

export const pairingById = (db: DB, id: number) => db.prepare(`${PAIRING_SELECT} WHERE mp.id = ? AND mp.ended_at IS NULL`).get(id) as PairingRow | undefined;

export const endActivePairing = (db: DB, menteeId: number, menteeOrgId: number, now: string) =>
  db.prepare('UPDATE network_mentor_pairings SET ended_at = ? WHERE mentee_user_id = ? AND mentee_organisation_id = ? AND ended_at IS NULL').run(now, menteeId, menteeOrgId);

export const endPairing = (db: DB, id: number, now: string) => db.prepare('UPDATE network_mentor_pairings SET ended_at = ? WHERE id = ? AND ended_at IS NULL').run(now, id);

export const insertPairing = (db: DB, p: { regionId: number; menteeId: number; menteeOrgId: number; mentorId: number; mentorOrgId: number; createdBy: number }, now: string) =>
  Number(
    db
      .prepare(
        `INSERT INTO network_mentor_pairings (region_id, mentee_user_id, mentee_organisation_id, mentor_user_id, mentor_organisation_id, created_by, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(p.regionId, p.menteeId, p.menteeOrgId, p.mentorId, p.mentorOrgId, p.createdBy, now).lastInsertRowid,
  );

// ---- events -------------------------------------------------------------------------------------

const EVENT_SELECT = `SELECT e.id, e.region_id, r.name AS region_name, e.kind, e.title, e.starts_at, e.duration_minutes, e.place, e.agenda, e.uid, e.sequence,
    e.video_url, e.cancelled_at, e.audience, u.name AS organiser_name, u.email AS organiser_email
  FROM network_events e JOIN regions r ON r.id = e.region_id LEFT JOIN users u ON u.id = e.created_by`;

export const eventById = (db: DB, id: number) => db.prepare(`${EVENT_SELECT} WHERE e.id = ?`).get(id) as EventRow | undefined;

export const upcomingEventsOfRegion = (db: DB, regionId: number, now: string, limit = 20) =>
  db.prepare(`${EVENT_SELECT} WHERE e.region_id = ? AND e.starts_at >= ? AND e.cancelled_at IS NULL ORDER BY e.starts_at LIMIT ?`).all(regionId, now, limit) as EventRow[];

export const pastEventsOfRegion = (db: DB, regionId: number, now: string, limit = 10) =>
  db.prepare(`${EVENT_SELECT} WHERE e.region_id = ? AND e.starts_at < ? ORDER BY e.starts_at DESC LIMIT ?`).all(regionId, now, limit) as EventRow[];

export type EventFields = { kind: string; title: string; startsAt: string; durationMinutes: number; place: string; agenda: string; videoUrl: string; audience: 'region' | 'organisations' };

export const insertEvent = (db: DB, regionId: number, e: EventFields, uid: string, createdBy: number, now: string) =>
  Number(
    db
      .prepare(
        `INSERT INTO network_events (region_id, kind, title, starts_at, duration_minutes, place, agenda, video_url, audience, uid, created_by, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(regionId, e.kind, e.title, e.startsAt, e.durationMinutes, e.place, e.agenda, e.videoUrl, e.audience, uid, createdBy, now, now).lastInsertRowid,
  );

export const updateEvent = (db: DB, id: number, e: EventFields, now: string) =>
  db
    .prepare(
      `UPDATE network_events SET kind = ?, title = ?, starts_at = ?, duration_minutes = ?, place = ?, agenda = ?, video_url = ?, audience = ?,
         sequence = sequence + 1, updated_at = ? WHERE id = ?`,
    )
    .run(e.kind, e.title, e.startsAt, e.durationMinutes, e.place, e.agenda, e.videoUrl, e.audience, now, id);

export const cancelEvent = (db: DB, id: number, now: string) =>
  db.prepare('UPDATE network_events SET cancelled_at = ?, sequence = sequence + 1, updated_at = ? WHERE id = ? AND cancelled_at IS NULL').run(now, now, id);

export const eventOrganisationIds = (db: DB, eventId: number) =>
  (db.prepare('SELECT organisation_id FROM network_event_organisations WHERE event_id = ? ORDER BY organisation_id').all(eventId) as { organisation_id: number }[]).map((r) => r.organisation_id);

export function setEventOrganisations(db: DB, eventId: number, orgIds: number[]): void {
  db.prepare('DELETE FROM network_event_organisations WHERE event_id = ?').run(eventId);
  const ins = db.prepare('INSERT INTO network_event_organisations (event_id, organisation_id) VALUES (?, ?)');
  for (const id of orgIds) ins.run(eventId, id);
}

export type Invitee = { user_id: number; name: string; email: string; locale: 'fr' | 'en'; organisation_names: string };

/** The coordinators an event is for: the region's, or those of the CPTS it lists. */
export const audienceOfEvent = (db: DB, eventId: number) =>
  db
    .prepare(
      `SELECT u.id AS user_id, u.name, u.email, u.locale, group_concat(o.name, ', ') AS organisation_names
       FROM network_events e
       JOIN organisations o ON o.region_id = e.region_id
       JOIN memberships m ON m.organisation_id = o.id AND m.role = 'coordinator'
       JOIN users u ON u.id = m.user_id AND u.disabled_at IS NULL
       WHERE e.id = ? AND (e.audience = 'region' OR o.id IN (SELECT organisation_id FROM network_event_organisations WHERE event_id = e.id))
       GROUP BY u.id ORDER BY u.name`,
    )
    .all(eventId) as Invitee[];

export const invitedOf = (db: DB, eventId: number) =>
  db
    .prepare(
      `SELECT u.id AS user_id, u.name, u.email, u.locale,
         COALESCE((SELECT group_concat(o.name, ', ') FROM memberships m JOIN organisations o ON o.id = m.organisation_id WHERE m.user_id = u.id AND m.role = 'coordinator'), '') AS organisation_names
       FROM network_event_invitations i JOIN users u ON u.id = i.user_id WHERE i.event_id = ? ORDER BY u.name`,
    )
    .all(eventId) as Invitee[];

export const insertInvitation = (db: DB, eventId: number, userId: number, now: string) =>
  db.prepare('INSERT OR IGNORE INTO network_event_invitations (event_id, user_id, invited_at) VALUES (?, ?, ?)').run(eventId, userId, now);

export const deleteInvitation = (db: DB, eventId: number, userId: number) =>
  db.prepare('DELETE FROM network_event_invitations WHERE event_id = ? AND user_id = ?').run(eventId, userId);

export const isInvited = (db: DB, eventId: number, userId: number) =>
  db.prepare('SELECT 1 FROM network_event_invitations WHERE event_id = ? AND user_id = ?').get(eventId, userId) !== undefined;

export const insertAnswerToken = (db: DB, hash: string, eventId: number, userId: number, expiresAt: string, now: string) =>
  db.prepare('INSERT INTO network_event_answer_tokens (token_hash, event_id, user_id, expires_at, created_at) VALUES (?, ?, ?, ?, ?)').run(hash, eventId, userId, expiresAt, now);

export type AnswerTokenRow = { event_id: number; user_id: number; user_name: string; expires_at: string };
export const answerToken = (db: DB, hash: string) =>
  db
    .prepare(
      `SELECT t.event_id, t.user_id, u.name AS user_name, t.expires_at FROM network_event_answer_tokens t
       JOIN users u ON u.id = t.user_id AND u.disabled_at IS NULL
       JOIN network_event_invitations i ON i.event_id = t.event_id AND i.user_id = t.user_id
       WHERE t.token_hash = ?`,
    )
    .get(hash) as AnswerTokenRow | undefined;

/** Invitations of events starting in (from, to] not yet reminded, except those who declined. */
export const remindersDue = (db: DB, from: string, to: string) =>
  db
    .prepare(
      `SELECT i.event_id, i.user_id FROM network_event_invitations i JOIN network_events e ON e.id = i.event_id
       WHERE e.cancelled_at IS NULL AND e.starts_at > ? AND e.starts_at <= ? AND i.reminded_at IS NULL
         AND NOT EXISTS (SELECT 1 FROM network_event_rsvps r WHERE r.event_id = i.event_id AND r.user_id = i.user_id AND r.response = 'no')
       ORDER BY e.starts_at, i.user_id`,
    )
    .all(from, to) as { event_id: number; user_id: number }[];

export const markReminded = (db: DB, eventId: number, userId: number, now: string) =>
  db.prepare('UPDATE network_event_invitations SET reminded_at = ? WHERE event_id = ? AND user_id = ? AND reminded_at IS NULL').run(now, eventId, userId).changes === 1;

export const inviteeById = (db: DB, userId: number) =>
  db.prepare('SELECT id AS user_id, name, email, locale, \'\' AS organisation_names FROM users WHERE id = ? AND disabled_at IS NULL').get(userId) as Invitee | undefined;

export type ProfileRow = { user_id: number; phone: string };
export const profileOf = (db: DB, userId: number) =>
  (db.prepare('SELECT phone FROM network_profiles WHERE user_id = ?').get(userId) as { phone: string } | undefined)?.phone ?? '';

export const upsertProfile = (db: DB, userId: number, phone: string, now: string) =>
  db
    .prepare('INSERT INTO network_profiles (user_id, phone, updated_at) VALUES (?, ?, ?) ON CONFLICT(user_id) DO UPDATE SET phone = excluded.phone, updated_at = excluded.updated_at')
    .run(userId, phone, now);

export type PersonContact = { user_id: number; name: string; email: string; locale: 'fr' | 'en'; phone: string; organisation_name: string };
export const contactOf = (db: DB, userId: number, organisationId: number) =>
  db
    .prepare(
      `SELECT u.id AS user_id, u.name, u.email, u.locale, COALESCE(p.phone, '') AS phone, o.name AS organisation_name
       FROM users u JOIN organisations o ON o.id = ? LEFT JOIN network_profiles p ON p.user_id = u.id WHERE u.id = ?`,
    )
    .get(organisationId, userId) as PersonContact;

export type RsvpRow = { user_id: number; name: string; email: string; organisation_names: string | null; response: 'yes' | 'no' | 'maybe'; updated_at: string };

export const rsvpsOfEvent = (db: DB, eventId: number) =>
  db
    .prepare(
      `SELECT r.user_id, u.name, u.email, r.response, r.updated_at,
         (SELECT group_concat(o.name, ', ') FROM memberships m JOIN organisations o ON o.id = m.organisation_id WHERE m.user_id = u.id) AS organisation_names
       FROM network_event_rsvps r JOIN users u ON u.id = r.user_id WHERE r.event_id = ?
       ORDER BY CASE r.response WHEN 'yes' THEN 0 WHEN 'maybe' THEN 1 ELSE 2 END, u.name`,
    )
    .all(eventId) as RsvpRow[];

export const rsvpOf = (db: DB, eventId: number, userId: number) =>
  (db.prepare('SELECT response FROM network_event_rsvps WHERE event_id = ? AND user_id = ?').get(eventId, userId) as { response: string } | undefined)?.response;

export const upsertRsvp = (db: DB, eventId: number, userId: number, response: string, now: string) =>
  db
    .prepare(
      `INSERT INTO network_event_rsvps (event_id, user_id, response, updated_at) VALUES (?, ?, ?, ?)
       ON CONFLICT(event_id, user_id) DO UPDATE SET response = excluded.response, updated_at = excluded.updated_at`,
    )
    .run(eventId, userId, response, now);

/** Coordinators of the region with an onboarding plan and no active peer mentor. */
export const coordinatorsWithoutMentor = (db: DB, regionId: number) =>
  db
    .prepare(
      `SELECT DISTINCT u.id AS user_id, u.name, o.id AS organisation_id, o.name AS organisation_name, o.region_id
       FROM memberships m JOIN users u ON u.id = m.user_id AND u.disabled_at IS NULL JOIN organisations o ON o.id = m.organisation_id
       WHERE o.region_id = ? AND m.role = 'coordinator'
         AND EXISTS (SELECT 1 FROM onboarding_plans p WHERE p.user_id = u.id AND p.organisation_id = o.id AND p.kind = 'coordinator')
         AND NOT EXISTS (SELECT 1 FROM network_mentor_pairings mp WHERE mp.mentee_user_id = u.id AND mp.mentee_organisation_id = o.id AND mp.ended_at IS NULL)
       ORDER BY o.name, u.name`,
    )
    .all(regionId) as CoordinatorOption[];
