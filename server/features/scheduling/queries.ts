import type { DB } from '../../core/db.js';
import type { PostingLabelRow } from '../../core/posting-label.js';

/*
 * Scheduling writes only its own tables (migration 021) and reads panel_members, interviews,
 * interview_attendees, network events, pipeline cards and stages (migrations 003, 004, 006).
 */

export type PollRow = { posting_id: number; organisation_id: number; quorum: number; chair_required: number; deadline_hours: number };

export const pollOf = (db: DB, postingId: number) =>
  db.prepare('SELECT posting_id, organisation_id, quorum, chair_required, deadline_hours FROM scheduling_polls WHERE posting_id = ?').get(postingId) as PollRow | undefined;

export const upsertPoll = (db: DB, p: { postingId: number; organisationId: number; quorum: number; chairRequired: boolean; deadlineHours: number }, now: string) =>
  db
    .prepare(
      `INSERT INTO scheduling_polls (posting_id, organisation_id, quorum, chair_required, deadline_hours, updated_at) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT(posting_id) DO UPDATE SET quorum = excluded.quorum, chair_required = excluded.chair_required, deadline_hours = excluded.deadline_hours, updated_at = excluded.updated_at`,
    )
    .run(p.postingId, p.organisationId, p.quorum, p.chairRequired ? 1 : 0, p.deadlineHours, now);

export type SlotRow = {
  id: number;
  organisation_id: number;
  posting_id: number;
  starts_at: string;
  ends_at: string;
  duration_minutes: number;
  mode: 'place' | 'video';
  location: string;
  video_url: string;
  status: 'open' | 'removed';
  booked_invitation_id: number | null;
  booked_interview_id: number | null;
};

/**
 * A booking counts while its interview is scheduled: one the bureau cancelled from the
 * interviews pages frees the slot (the stale row is replaced at the next booking).
 */
const SLOT_COLUMNS = `s.id, s.organisation_id, s.posting_id, s.starts_at, s.ends_at, s.duration_minutes, s.mode, s.location, s.video_url, s.status,
  b.invitation_id AS booked_invitation_id, b.interview_id AS booked_interview_id`;
const SLOT_FROM = `FROM scheduling_slots s LEFT JOIN scheduling_bookings b ON b.slot_id = s.id
  AND (b.interview_id IS NULL OR EXISTS (SELECT 1 FROM interviews iv WHERE iv.id = b.interview_id AND iv.status = 'scheduled'))`;

export const openSlotsOf = (db: DB, postingId: number) =>
  db.prepare(`SELECT ${SLOT_COLUMNS} ${SLOT_FROM} WHERE s.posting_id = ? AND s.status = 'open' ORDER BY s.starts_at, s.id`).all(postingId) as SlotRow[];

export const slotById = (db: DB, id: number) => db.prepare(`SELECT ${SLOT_COLUMNS} ${SLOT_FROM} WHERE s.id = ?`).get(id) as SlotRow | undefined;

export type SlotInput = { startsAt: string; endsAt: string; duration: number; mode: string; location: string; videoUrl: string };

export const insertSlot = (db: DB, s: SlotInput & { organisationId: number; postingId: number; userId: number }, now: string) =>
  Number(
    db
      .prepare(
        `INSERT INTO scheduling_slots (organisation_id, posting_id, starts_at, ends_at, duration_minutes, mode, location, video_url, created_by, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(s.organisationId, s.postingId, s.startsAt, s.endsAt, s.duration, s.mode, s.location, s.videoUrl, s.userId, now).lastInsertRowid,
  );

export const removeSlot = (db: DB, id: number, now: string) => db.prepare("UPDATE scheduling_slots SET status = 'removed', removed_at = ? WHERE id = ? AND status = 'open'").run(now, id);

export type AnswerRow = { slot_id: number; user_id: number; answer: 'yes' | 'maybe' | 'no' };

/** Answers of the posting's current panel members only: someone taken off the panel no longer counts. */
export const currentAnswersOf = (db: DB, postingId: number) =>
  db
    .prepare(
      `SELECT a.slot_id, a.user_id, a.answer FROM scheduling_answers a
       JOIN scheduling_slots s ON s.id = a.slot_id
       JOIN panel_members pm ON pm.posting_id = s.posting_id AND pm.user_id = a.user_id
       WHERE s.posting_id = ? AND s.status = 'open'`,
    )
    .all(postingId) as AnswerRow[];

export const upsertAnswer = (db: DB, slotId: number, userId: number, answer: string, now: string) =>
  db
    .prepare(
      `INSERT INTO scheduling_answers (slot_id, user_id, answer, updated_at) VALUES (?, ?, ?, ?)
       ON CONFLICT(slot_id, user_id) DO UPDATE SET answer = excluded.answer, updated_at = excluded.updated_at`,
    )
    .run(slotId, userId, answer, now);

// ---- clashes -------------------------------------------------------------------------------

export type BusyRow = { kind: 'interview' | 'event'; id: number; starts_at: string; ends_at: string; title: string };

/** The member's scheduled interviews (of any posting) and the network events of their regions they have not declined, in [from, to). */
export const busyTimesOf = (db: DB, userId: number, regionIds: number[], from: string, to: string) =>
  db
    .prepare(
      `SELECT 'interview' AS kind, i.id, i.starts_at, i.ends_at, p.title AS title
         FROM interviews i JOIN interview_attendees a ON a.interview_id = i.id JOIN postings p ON p.id = i.posting_id
        WHERE a.user_id = @userId AND i.status = 'scheduled' AND i.starts_at < @to AND i.ends_at > @from
       UNION ALL
       SELECT 'event', e.id, e.starts_at, strftime('%Y-%m-%dT%H:%M:%fZ', e.starts_at, '+' || e.duration_minutes || ' minutes'), e.title
         FROM network_events e
        WHERE e.region_id IN (SELECT value FROM json_each(@regions)) AND e.starts_at < @to
          AND strftime('%Y-%m-%dT%H:%M:%fZ', e.starts_at, '+' || e.duration_minutes || ' minutes') > @from
          AND NOT EXISTS (SELECT 1 FROM network_event_rsvps r WHERE r.event_id = e.id AND r.user_id = @userId AND r.response = 'no')
       ORDER BY 3`,
    )
    .all({ userId, regions: JSON.stringify(regionIds), from, to }) as BusyRow[];

// ---- panel links ---------------------------------------------------------------------------

export type PanelLinkRow = { id: number; posting_id: number; user_id: number; expires_at: string; revoked_at: string | null };

export const panelLinkByHash = (db: DB, hash: string) =>
  db.prepare('SELECT id, posting_id, user_id, expires_at, revoked_at FROM scheduling_panel_links WHERE token_hash = ?').get(hash) as PanelLinkRow | undefined;

export const revokePanelLinksOf = (db: DB, postingId: number, userId: number, now: string) =>
  db.prepare('UPDATE scheduling_panel_links SET revoked_at = ? WHERE posting_id = ? AND user_id = ? AND revoked_at IS NULL').run(now, postingId, userId);

export const insertPanelLink = (db: DB, l: { organisationId: number; postingId: number; userId: number; hash: string; expiresAt: string }, now: string) =>
  db
    .prepare('INSERT INTO scheduling_panel_links (organisation_id, posting_id, user_id, token_hash, expires_at, created_at) VALUES (?, ?, ?, ?, ?, ?)')
    .run(l.organisationId, l.postingId, l.userId, l.hash, l.expiresAt, now);

// ---- candidates ----------------------------------------------------------------------------

/** Applications of the posting the panel sees (from its first stage on) still in the running. */
export const shortlistOf = (db: DB, postingId: number, startPosition: number) =>
  (
    db
      .prepare(
        `SELECT c.application_id FROM pipeline_cards c JOIN pipeline_stages s ON s.id = c.stage_id JOIN applications a ON a.id = c.application_id
         WHERE c.posting_id = ? AND s.kind = 'middle' AND s.position >= ? AND a.status NOT IN ('rejected', 'withdrawn', 'hired')
         ORDER BY s.position, c.anon_number`,
      )
      .all(postingId, startPosition) as { application_id: number }[]
  ).map((r) => r.application_id);

export type InvitationRow = {
  id: number;
  organisation_id: number;
  posting_id: number;
  application_id: number;
  invited_by: number | null;
  application_status: string;
  slot_id: number | null;
  interview_id: number | null;
};

const INVITATION_SELECT = `SELECT i.id, i.organisation_id, i.posting_id, i.application_id, i.invited_by, a.status AS application_status,
    b.slot_id, b.interview_id
  FROM scheduling_invitations i JOIN applications a ON a.id = i.application_id LEFT JOIN scheduling_bookings b ON b.invitation_id = i.id
    AND (b.interview_id IS NULL OR EXISTS (SELECT 1 FROM interviews iv WHERE iv.id = b.interview_id AND iv.status = 'scheduled'))`;

/** A booking row whose interview was cancelled elsewhere, still holding its slot or invitation. */
export const deleteStaleBookings = (db: DB, slotId: number, invitationId: number) =>
  db
    .prepare(
      `DELETE FROM scheduling_bookings WHERE (slot_id = ? OR invitation_id = ?)
         AND interview_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM interviews iv WHERE iv.id = scheduling_bookings.interview_id AND iv.status = 'scheduled')`,
    )
    .run(slotId, invitationId);

export const invitationsOf = (db: DB, postingId: number) => db.prepare(`${INVITATION_SELECT} WHERE i.posting_id = ? ORDER BY i.id`).all(postingId) as InvitationRow[];

export const invitationOfApplication = (db: DB, applicationId: number) =>
  db.prepare(`${INVITATION_SELECT} WHERE i.application_id = ? ORDER BY i.id DESC LIMIT 1`).get(applicationId) as InvitationRow | undefined;

export const invitationById = (db: DB, id: number) => db.prepare(`${INVITATION_SELECT} WHERE i.id = ?`).get(id) as InvitationRow | undefined;

export const insertInvitation = (db: DB, i: { organisationId: number; postingId: number; applicationId: number; invitedBy: number }, now: string) =>
  db
    .prepare(
      `INSERT INTO scheduling_invitations (organisation_id, posting_id, application_id, invited_by, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT(posting_id, application_id) DO UPDATE SET invited_by = excluded.invited_by, updated_at = excluded.updated_at`,
    )
    .run(i.organisationId, i.postingId, i.applicationId, i.invitedBy, now, now);

/** Fails on the slot's primary key when someone else has just booked it. */
export const insertBooking = (db: DB, slotId: number, invitationId: number, now: string) =>
  db.prepare('INSERT INTO scheduling_bookings (slot_id, invitation_id, booked_at) VALUES (?, ?, ?)').run(slotId, invitationId, now);

export const setBookingInterview = (db: DB, slotId: number, interviewId: number) => db.prepare('UPDATE scheduling_bookings SET interview_id = ? WHERE slot_id = ?').run(interviewId, slotId);

export const deleteBooking = (db: DB, slotId: number) => db.prepare('DELETE FROM scheduling_bookings WHERE slot_id = ?').run(slotId);

/** The CPTS's bureau members, to organise a candidate's booking when the inviter has left. */
export const bureauMemberIds = (db: DB, organisationId: number) =>
  (db.prepare("SELECT DISTINCT m.user_id FROM memberships m JOIN users u ON u.id = m.user_id WHERE m.organisation_id = ? AND m.role = 'bureau' AND u.disabled_at IS NULL ORDER BY m.user_id").all(organisationId) as { user_id: number }[]).map(
    (r) => r.user_id,
  );

// ---- reminders -----------------------------------------------------------------------------

export type ReminderRow = {
  id: number;
  application_id: number;
  organisation_id: number;
  starts_at: string;
  duration_minutes: number;
  mode: 'place' | 'video';
  location: string;
  video_url: string;
  posting_title: string;
  org_name: string;
  candidate_email: string;
  candidate_name: string;
} & PostingLabelRow;

/** Scheduled interviews starting in [from, to) without a reminder for that start yet. */
export const interviewsToRemind = (db: DB, from: string, to: string) =>
  db
    .prepare(
      `SELECT i.id, i.application_id, i.organisation_id, i.starts_at, i.duration_minutes, i.mode, i.location, i.video_url,
              p.title AS posting_title, p.reference AS posting_reference, p.status AS posting_status, p.published_at AS posting_published_at, p.deadline AS posting_deadline, p.closed_at AS posting_closed_at, o.name AS org_name, c.email AS candidate_email, trim(c.first_name || ' ' || c.last_name) AS candidate_name
       FROM interviews i JOIN postings p ON p.id = i.posting_id JOIN organisations o ON o.id = i.organisation_id
       JOIN applications a ON a.id = i.application_id JOIN candidates c ON c.id = a.candidate_id
       WHERE i.status = 'scheduled' AND i.starts_at >= ? AND i.starts_at < ?
         -- A candidate turned down or who withdrew is not reminded of an interview (nor is the panel).
         AND a.status NOT IN ('rejected', 'withdrawn')
         AND NOT EXISTS (SELECT 1 FROM interview_reminders r WHERE r.interview_id = i.id AND r.starts_at = i.starts_at)
       ORDER BY i.starts_at, i.id`,
    )
    .all(from, to) as ReminderRow[];

export const recordReminder = (db: DB, interviewId: number, startsAt: string, now: string) =>
  db.prepare('INSERT OR IGNORE INTO interview_reminders (interview_id, starts_at, sent_at) VALUES (?, ?, ?)').run(interviewId, startsAt, now);

export const attendeesOf = (db: DB, interviewId: number) =>
  db.prepare('SELECT u.id, u.name, u.email FROM interview_attendees a JOIN users u ON u.id = a.user_id WHERE a.interview_id = ? ORDER BY u.name').all(interviewId) as { id: number; name: string; email: string }[];

// ---- calendar feed -------------------------------------------------------------------------

export const feedOf = (db: DB, userId: number) => db.prepare('SELECT user_id, created_at, last_read_at FROM calendar_feeds WHERE user_id = ?').get(userId) as { user_id: number; created_at: string; last_read_at: string | null } | undefined;

export const feedByHash = (db: DB, hash: string) => db.prepare('SELECT user_id FROM calendar_feeds WHERE token_hash = ?').get(hash) as { user_id: number } | undefined;

export const replaceFeed = (db: DB, userId: number, hash: string, now: string) =>
  db
    .prepare(
      `INSERT INTO calendar_feeds (user_id, token_hash, created_at) VALUES (?, ?, ?)
       ON CONFLICT(user_id) DO UPDATE SET token_hash = excluded.token_hash, created_at = excluded.created_at, last_read_at = NULL`,
    )
    .run(userId, hash, now);

export const deleteFeed = (db: DB, userId: number) => db.prepare('DELETE FROM calendar_feeds WHERE user_id = ?').run(userId);

export const touchFeed = (db: DB, userId: number, now: string) => db.prepare('UPDATE calendar_feeds SET last_read_at = ? WHERE user_id = ?').run(now, userId);

export type FeedInterviewRow = {
  id: number;
  uid: string;
  sequence: number;
  application_id: number;
  starts_at: string;
  ends_at: string;
  mode: 'place' | 'video';
  location: string;
  video_url: string;
  updated_at: string;
  posting_title: string;
  org_name: string;
} & PostingLabelRow;

/** Scheduled interviews the member attends or organised, from a day on. */
export const feedInterviews = (db: DB, userId: number, from: string) =>
  db
    .prepare(
      `SELECT i.id, i.uid, i.sequence, i.application_id, i.starts_at, i.ends_at, i.mode, i.location, i.video_url, i.updated_at,
              p.title AS posting_title, p.reference AS posting_reference, p.status AS posting_status, p.published_at AS posting_published_at, p.deadline AS posting_deadline, p.closed_at AS posting_closed_at, o.name AS org_name
       FROM interviews i JOIN postings p ON p.id = i.posting_id JOIN organisations o ON o.id = i.organisation_id
       WHERE i.status = 'scheduled' AND i.ends_at >= ?
         AND (i.created_by = ? OR EXISTS (SELECT 1 FROM interview_attendees a WHERE a.interview_id = i.id AND a.user_id = ?))
       ORDER BY i.starts_at LIMIT 500`,
    )
    .all(from, userId, userId) as FeedInterviewRow[];

export type FeedEventRow = { id: number; uid: string; sequence: number; title: string; starts_at: string; duration_minutes: number; place: string; agenda: string; updated_at: string };

/** Network events of the member's regions from a day on, except those they declined. */
export const feedEvents = (db: DB, userId: number, regionIds: number[], from: string) =>
  db
    .prepare(
      `SELECT e.id, e.uid, e.sequence, e.title, e.starts_at, e.duration_minutes, e.place, e.agenda, e.updated_at FROM network_events e
       WHERE e.region_id IN (SELECT value FROM json_each(?)) AND e.starts_at >= ?
         AND NOT EXISTS (SELECT 1 FROM network_event_rsvps r WHERE r.event_id = e.id AND r.user_id = ? AND r.response = 'no')
       ORDER BY e.starts_at LIMIT 500`,
    )
    .all(JSON.stringify(regionIds), from, userId) as FeedEventRow[];

export type PanelRow = { user_id: number; name: string; email: string; is_chair: number; kind: string };

/** The posting's current panel. */
export const panelOf = (db: DB, postingId: number) =>
  db
    .prepare('SELECT pm.user_id, u.name, u.email, pm.is_chair, pm.kind FROM panel_members pm JOIN users u ON u.id = pm.user_id WHERE pm.posting_id = ? ORDER BY pm.is_chair DESC, u.name')
    .all(postingId) as PanelRow[];

export const interviewStatus = (db: DB, id: number) => (db.prepare('SELECT status FROM interviews WHERE id = ?').get(id) as { status: string } | undefined)?.status;
