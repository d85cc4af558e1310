import type { DB } from '../../core/db.js';
import type { Frequency } from './recurrence.js';

export type OrgRow = { id: number; region_id: number; name: string };
export type SeriesRow = {
  id: number;
  organisation_id: number;
  frequency: Frequency;
  weekday: number;
  start_time: string;
  duration_minutes: number;
  first_date: string;
  place: string;
  video_url: string;
  uid: string;
  sequence: number;
  plan_step_id: number | null;
  created_by: number | null;
  created_at: string;
};
export type MemberRow = { user_id: number; name: string; email: string; locale: 'fr' | 'en'; role: 'bureau' | 'coordinator'; title: string };
export type MeetingRow = { id: number; series_id: number; organisation_id: number; starts_at: string; minutes: string; decisions: string; updated_by_name: string | null; updated_at: string | null; reminded_at: string | null };
export type AgendaRow = { id: number; meeting_id: number; author_name: string | null; author_role: string | null; body: string; created_at: string };
export type ActionRow = {
  id: number;
  series_id: number;
  meeting_id: number;
  meeting_starts_at: string;
  title: string;
  owner_user_id: number | null;
  owner_name: string | null;
  due_date: string;
  done_at: string | null;
  done_by_name: string | null;
};

export const organisationById = (db: DB, id: number) => db.prepare('SELECT id, region_id, name FROM organisations WHERE id = ?').get(id) as OrgRow | undefined;

export const seriesOfOrganisation = (db: DB, organisationId: number) => db.prepare('SELECT * FROM exchange_series WHERE organisation_id = ?').get(organisationId) as SeriesRow | undefined;

export const allSeries = (db: DB) => db.prepare('SELECT * FROM exchange_series ORDER BY id').all() as SeriesRow[];

export type SeriesFields = { frequency: Frequency; weekday: number; startTime: string; durationMinutes: number; firstDate: string; place: string; videoUrl: string };

export const insertSeries = (db: DB, organisationId: number, f: SeriesFields, uid: string, planStepId: number | null, createdBy: number, now: string) =>
  Number(
    db
      .prepare(
        `INSERT INTO exchange_series (organisation_id, frequency, weekday, start_time, duration_minutes, first_date, place, video_url, uid, plan_step_id, created_by, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(organisationId, f.frequency, f.weekday, f.startTime, f.durationMinutes, f.firstDate, f.place, f.videoUrl, uid, planStepId, createdBy, now, now).lastInsertRowid,
  );

export const updateSeries = (db: DB, id: number, f: SeriesFields, now: string) =>
  db
    .prepare(
      `UPDATE exchange_series SET frequency = ?, weekday = ?, start_time = ?, duration_minutes = ?, first_date = ?, place = ?, video_url = ?, sequence = sequence + 1, updated_at = ?
       WHERE id = ?`,
    )
    .run(f.frequency, f.weekday, f.startTime, f.durationMinutes, f.firstDate, f.place, f.videoUrl, now, id);

/** Bureau members and coordinators of a CPTS: those who take part in the exchange. */
export const membersOfOrganisation = (db: DB, organisationId: number) =>
  db
    .prepare(
      `SELECT u.id AS user_id, u.name, u.email, u.locale, m.role, m.title FROM memberships m JOIN users u ON u.id = m.user_id
       WHERE m.organisation_id = ? AND m.role IN ('bureau', 'coordinator') AND u.disabled_at IS NULL
       GROUP BY u.id, m.role ORDER BY CASE m.role WHEN 'coordinator' THEN 0 ELSE 1 END, u.name`,
    )
    .all(organisationId) as MemberRow[];

export const participantIds = (db: DB, seriesId: number) =>
  (db.prepare('SELECT user_id FROM exchange_participants WHERE series_id = ? ORDER BY user_id').all(seriesId) as { user_id: number }[]).map((r) => r.user_id);

export function setParticipants(db: DB, seriesId: number, userIds: number[]): void {
  db.prepare('DELETE FROM exchange_participants WHERE series_id = ?').run(seriesId);
  const ins = db.prepare('INSERT INTO exchange_participants (series_id, user_id) VALUES (?, ?)');
  for (const id of userIds) ins.run(seriesId, id);
}

export const usersByIds = (db: DB, ids: number[]) =>
  db
    .prepare("SELECT id AS user_id, name, email, locale, '' AS role, '' AS title FROM users WHERE id IN (SELECT value FROM json_each(?)) AND disabled_at IS NULL ORDER BY name")
    .all(JSON.stringify(ids)) as MemberRow[];

const MEETING_SELECT = `SELECT mt.id, mt.series_id, mt.organisation_id, mt.starts_at, mt.minutes, mt.decisions, u.name AS updated_by_name, mt.updated_at, mt.reminded_at
  FROM exchange_meetings mt LEFT JOIN users u ON u.id = mt.updated_by`;

export const meetingAt = (db: DB, seriesId: number, startsAt: string) => db.prepare(`${MEETING_SELECT} WHERE mt.series_id = ? AND mt.starts_at = ?`).get(seriesId, startsAt) as MeetingRow | undefined;

/** The meeting row held on a Paris calendar day, whatever the series' rule says now. */
export const meetingBetween = (db: DB, seriesId: number, fromIso: string, toIso: string) =>
  db.prepare(`${MEETING_SELECT} WHERE mt.series_id = ? AND mt.starts_at >= ? AND mt.starts_at < ? ORDER BY mt.starts_at LIMIT 1`).get(seriesId, fromIso, toIso) as MeetingRow | undefined;

export const insertMeeting = (db: DB, seriesId: number, organisationId: number, startsAt: string) =>
  db.prepare('INSERT OR IGNORE INTO exchange_meetings (series_id, organisation_id, starts_at) VALUES (?, ?, ?)').run(seriesId, organisationId, startsAt);

export const meetingsOfSeries = (db: DB, seriesId: number) =>
  db.prepare(`${MEETING_SELECT} WHERE mt.series_id = ? ORDER BY mt.starts_at DESC`).all(seriesId) as MeetingRow[];

export const agendaCounts = (db: DB, seriesId: number) =>
  db
    .prepare('SELECT a.meeting_id, COUNT(*) AS n FROM exchange_agenda_items a JOIN exchange_meetings m ON m.id = a.meeting_id WHERE m.series_id = ? GROUP BY a.meeting_id')
    .all(seriesId) as { meeting_id: number; n: number }[];

export const updateMinutes = (db: DB, meetingId: number, minutes: string, decisions: string, userId: number, now: string) =>
  db.prepare('UPDATE exchange_meetings SET minutes = ?, decisions = ?, updated_by = ?, updated_at = ? WHERE id = ?').run(minutes, decisions, userId, now, meetingId);

export const markMeetingReminded = (db: DB, meetingId: number, now: string) =>
  db.prepare('UPDATE exchange_meetings SET reminded_at = ? WHERE id = ? AND reminded_at IS NULL').run(now, meetingId).changes === 1;

export const agendaOfMeeting = (db: DB, meetingId: number) =>
  db
    .prepare(
      `SELECT a.id, a.meeting_id, u.name AS author_name,
         (SELECT m.role FROM memberships m WHERE m.user_id = a.author_id AND m.organisation_id = a.organisation_id AND m.role IN ('coordinator', 'bureau') ORDER BY m.role = 'coordinator' DESC LIMIT 1) AS author_role,
         a.body, a.created_at
       FROM exchange_agenda_items a LEFT JOIN users u ON u.id = a.author_id WHERE a.meeting_id = ? ORDER BY a.created_at, a.id`,
    )
    .all(meetingId) as AgendaRow[];

export const insertAgendaItem = (db: DB, meetingId: number, organisationId: number, authorId: number, body: string, now: string) =>
  Number(db.prepare('INSERT INTO exchange_agenda_items (meeting_id, organisation_id, author_id, body, created_at) VALUES (?, ?, ?, ?, ?)').run(meetingId, organisationId, authorId, body, now).lastInsertRowid);

const ACTION_SELECT = `SELECT a.id, a.series_id, a.meeting_id, mt.starts_at AS meeting_starts_at, a.title, a.owner_user_id, ou.name AS owner_name, a.due_date, a.done_at, du.name AS done_by_name
  FROM exchange_actions a JOIN exchange_meetings mt ON mt.id = a.meeting_id LEFT JOIN users ou ON ou.id = a.owner_user_id LEFT JOIN users du ON du.id = a.done_by`;

/** The actions a meeting deals with: decided there or at an earlier meeting, and still open when it started. */
export const actionsOfMeeting = (db: DB, seriesId: number, startsAt: string) =>
  db
    .prepare(`${ACTION_SELECT} WHERE a.series_id = ? AND mt.starts_at <= ? AND (a.done_at IS NULL OR a.done_at >= ? OR mt.starts_at = ?) ORDER BY a.due_date, a.id`)
    .all(seriesId, startsAt, startsAt, startsAt) as ActionRow[];

export const openActionsOfSeries = (db: DB, seriesId: number) =>
  db.prepare(`${ACTION_SELECT} WHERE a.series_id = ? AND a.done_at IS NULL ORDER BY a.due_date, a.id`).all(seriesId) as ActionRow[];

export const actionById = (db: DB, id: number) => db.prepare(`${ACTION_SELECT} WHERE a.id = ?`).get(id) as ActionRow | undefined;

export const insertAction = (db: DB, a: { seriesId: number; organisationId: number; meetingId: number; title: string; ownerId: number; dueDate: string; createdBy: number }, now: string) =>
  Number(
    db
      .prepare('INSERT INTO exchange_actions (series_id, organisation_id, meeting_id, title, owner_user_id, due_date, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)')
      .run(a.seriesId, a.organisationId, a.meetingId, a.title, a.ownerId, a.dueDate, a.createdBy, now).lastInsertRowid,
  );

export const setActionDone = (db: DB, id: number, done: boolean, userId: number, now: string) =>
  db.prepare('UPDATE exchange_actions SET done_at = ?, done_by = ? WHERE id = ?').run(done ? now : null, done ? userId : null, id);
