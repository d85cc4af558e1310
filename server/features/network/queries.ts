import type { DB } from '../../core/db.js';

export type RegionRow = { id: number; name: string };
export type DirectoryOrg = { id: number; name: string; department: string; territory: string; email: string | null; population: number };
export type DirectoryPerson = { organisation_id: number; user_id: number; name: string; email: string; role: 'coordinator' | 'case_manager'; title: string; start_date: string };
export type CorrespondentRow = {
  id: number;
  region_id: number;
  department: string;
  institution: 'ars' | 'cpam' | 'dac' | 'other';
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
  organiser_name: string | null;
  organiser_email: string | null;
};
export type PairingRow = {
  id: number;
  region_id: number;
  mentee_user_id: number;
  mentee_name: string;
  mentee_organisation: string;
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

export const departmentsOfRegion = (db: DB, regionId: number) =>
  (db.prepare('SELECT DISTINCT department FROM organisations WHERE region_id = ? ORDER BY department').all(regionId) as { department: string }[]).map((r) => r.department);

// ---- correspondents -------------------------------------------------------------------------

const INSTITUTION_ORDER = `CASE institution WHEN 'ars' THEN 0 WHEN 'cpam' THEN 1 WHEN 'dac' THEN 2 ELSE 3 END`;

export const correspondentsOfRegion = (db: DB, regionId: number) =>
  db.prepare(`SELECT * FROM network_correspondents WHERE region_id = ? ORDER BY department, ${INSTITUTION_ORDER}, name`).all(regionId) as CorrespondentRow[];

export const correspondentsOfDepartment = (db: DB, regionId: number, department: string) =>
  db
    .prepare(`SELECT * FROM network_correspondents WHERE region_id = ? AND department = ? ORDER BY ${INSTITUTION_ORDER}, name`)
    .all(regionId, department) as CorrespondentRow[];

export const correspondentById = (db: DB, id: number) => db.prepare('SELECT * FROM network_correspondents WHERE id = ?').get(id) as CorrespondentRow | undefined;

export type CorrespondentFields = { department: string; institution: string; name: string; role: string; email: string; phone: string };

export const insertCorrespondent = (db: DB, regionId: number, c: CorrespondentFields, now: string) =>
  Number(
    db
      .prepare(
        `INSERT INTO network_correspondents (region_id, department, institution, name, role, email, phone, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(regionId, c.department, c.institution, c.name, c.role, c.email, c.phone, now, now).lastInsertRowid,
  );

export const updateCorrespondent = (db: DB, id: number, c: CorrespondentFields, now: string) =>
  db
    .prepare('UPDATE network_correspondents SET department = ?, institution = ?, name = ?, role = ?, email = ?, phone = ?, updated_at = ? WHERE id = ?')
    .run(c.department, c.institution, c.name, c.role, c.email, c.phone, now, id);

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
    mp.mentor_user_id, mr.name AS mentor_name, mro.name AS mentor_organisation, mp.created_at
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
    u.name AS organiser_name, u.email AS organiser_email
  FROM network_events e JOIN regions r ON r.id = e.region_id LEFT JOIN users u ON u.id = e.created_by`;

export const eventById = (db: DB, id: number) => db.prepare(`${EVENT_SELECT} WHERE e.id = ?`).get(id) as EventRow | undefined;

export const upcomingEventsOfRegion = (db: DB, regionId: number, now: string, limit = 20) =>
  db.prepare(`${EVENT_SELECT} WHERE e.region_id = ? AND e.starts_at >= ? ORDER BY e.starts_at LIMIT ?`).all(regionId, now, limit) as EventRow[];

export const pastEventsOfRegion = (db: DB, regionId: number, now: string, limit = 10) =>
  db.prepare(`${EVENT_SELECT} WHERE e.region_id = ? AND e.starts_at < ? ORDER BY e.starts_at DESC LIMIT ?`).all(regionId, now, limit) as EventRow[];

export type EventFields = { kind: string; title: string; startsAt: string; durationMinutes: number; place: string; agenda: string };

export const insertEvent = (db: DB, regionId: number, e: EventFields, uid: string, createdBy: number, now: string) =>
  Number(
    db
      .prepare(
        `INSERT INTO network_events (region_id, kind, title, starts_at, duration_minutes, place, agenda, uid, created_by, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(regionId, e.kind, e.title, e.startsAt, e.durationMinutes, e.place, e.agenda, uid, createdBy, now, now).lastInsertRowid,
  );

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
