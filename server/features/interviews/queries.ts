import type { DB } from '../../core/db.js';

export type InterviewRow = {
  id: number;
  organisation_id: number;
  posting_id: number;
  application_id: number;
  uid: string;
  sequence: number;
  starts_at: string;
  ends_at: string;
  duration_minutes: number;
  mode: 'place' | 'video';
  location: string;
  video_url: string;
  status: 'scheduled' | 'cancelled';
  organizer_name: string;
  organizer_email: string;
  cancelled_at: string | null;
  cancel_reason: string | null;
};

const COLUMNS = `id, organisation_id, posting_id, application_id, uid, sequence, starts_at, ends_at, duration_minutes, mode, location, video_url,
  status, organizer_name, organizer_email, cancelled_at, cancel_reason`;

export const interviewById = (db: DB, id: number) => db.prepare(`SELECT ${COLUMNS} FROM interviews WHERE id = ?`).get(id) as InterviewRow | undefined;

export const interviewsOfApplication = (db: DB, applicationId: number) =>
  db.prepare(`SELECT ${COLUMNS} FROM interviews WHERE application_id = ? ORDER BY starts_at`).all(applicationId) as InterviewRow[];

export const upcomingOfApplication = (db: DB, applicationId: number, now: string) =>
  db
    .prepare(`SELECT ${COLUMNS} FROM interviews WHERE application_id = ? AND status = 'scheduled' AND ends_at > ? ORDER BY starts_at`)
    .all(applicationId, now) as InterviewRow[];

export type AttendeeRow = { interview_id: number; user_id: number; name: string; email: string };

export const attendeesOf = (db: DB, interviewIds: number[]) =>
  interviewIds.length === 0
    ? []
    : (db
        .prepare(
          `SELECT a.interview_id, a.user_id, u.name, u.email FROM interview_attendees a JOIN users u ON u.id = a.user_id
           WHERE a.interview_id IN (SELECT value FROM json_each(?)) ORDER BY u.name`,
        )
        .all(JSON.stringify(interviewIds)) as AttendeeRow[]);

export type InterviewInput = { startsAt: string; endsAt: string; duration: number; mode: string; location: string; videoUrl: string };

export const insertInterview = (
  db: DB,
  i: InterviewInput & { organisationId: number; postingId: number; applicationId: number; uid: string; userId: number; organizerName: string; organizerEmail: string },
  now: string,
) =>
  Number(
    db
      .prepare(
        `INSERT INTO interviews (organisation_id, posting_id, application_id, uid, starts_at, ends_at, duration_minutes, mode, location, video_url,
           created_by, organizer_name, organizer_email, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(i.organisationId, i.postingId, i.applicationId, i.uid, i.startsAt, i.endsAt, i.duration, i.mode, i.location, i.videoUrl, i.userId, i.organizerName, i.organizerEmail, now, now)
      .lastInsertRowid,
  );

export const rescheduleInterview = (db: DB, id: number, expectedSequence: number, i: InterviewInput, now: string) =>
  db
    .prepare(
      `UPDATE interviews SET starts_at = ?, ends_at = ?, duration_minutes = ?, mode = ?, location = ?, video_url = ?, sequence = sequence + 1, updated_at = ?
       WHERE id = ? AND sequence = ? AND status = 'scheduled'`,
    )
    .run(i.startsAt, i.endsAt, i.duration, i.mode, i.location, i.videoUrl, now, id, expectedSequence);

export const cancelInterview = (db: DB, id: number, reason: string | null, now: string) =>
  db
    .prepare(`UPDATE interviews SET status = 'cancelled', sequence = sequence + 1, cancel_reason = ?, cancelled_at = ?, updated_at = ? WHERE id = ? AND status = 'scheduled'`)
    .run(reason, now, now, id);

/** The slot a candidate booked for this interview is free again (scheduling_bookings). */
export const releaseBookingsOf = (db: DB, interviewId: number) => db.prepare('DELETE FROM scheduling_bookings WHERE interview_id = ?').run(interviewId);

export const setAttendees = (db: DB, interviewId: number, userIds: number[]) => {
  db.prepare('DELETE FROM interview_attendees WHERE interview_id = ?').run(interviewId);
  const insert = db.prepare('INSERT INTO interview_attendees (interview_id, user_id) VALUES (?, ?)');
  for (const u of userIds) insert.run(interviewId, u);
};

export type ConflictRow = { user_id: number; name: string; interview_id: number; starts_at: string; ends_at: string };

/** Scheduled interviews overlapping [start, end) that any of these people attend. */
export const conflictsFor = (db: DB, userIds: number[], start: string, end: string, exceptId: number) =>
  userIds.length === 0
    ? []
    : (db
        .prepare(
          `SELECT a.user_id, u.name, i.id AS interview_id, i.starts_at, i.ends_at
           FROM interviews i JOIN interview_attendees a ON a.interview_id = i.id JOIN users u ON u.id = a.user_id
           WHERE i.status = 'scheduled' AND i.id <> ? AND i.starts_at < ? AND i.ends_at > ?
             AND a.user_id IN (SELECT value FROM json_each(?))
           ORDER BY i.starts_at`,
        )
        .all(exceptId, end, start, JSON.stringify(userIds)) as ConflictRow[]);
