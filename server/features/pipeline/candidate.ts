import type { DB } from '../../core/db.js';
import { can, type Actor } from '../../core/policy.js';
import { chargeOnPanel, orgRef, permissionsFor, viewableApplication } from './access.js';
import { mayCrossLink } from './anonymity.js';
import * as q from './queries.js';

export type TimelineEvent =
  | { type: 'received'; at: string }
  | { type: 'move'; at: string; move: q.MoveRow }
  | { type: 'note'; at: string; note: q.NoteRow }
  | { type: 'mail'; at: string; mail: q.MailRow }
  | { type: 'document'; at: string; document: q.DocumentRow }
  | { type: 'reveal'; at: string; reveal: q.RevealRow }
  | { type: 'event'; at: string; event: q.EventRow };

export function candidatePage(db: DB, actor: Actor, applicationId: number) {
  const app = viewableApplication(db, actor, applicationId);
  const documents = q.documentsOf(db, applicationId);
  const moves = q.movesOf(db, applicationId);
  const notes = q.notesOf(db, applicationId);
  const timeline: TimelineEvent[] = [
    { type: 'received' as const, at: app.created_at },
    ...documents.map((d) => ({ type: 'document' as const, at: d.created_at, document: d })),
    ...moves.map((m) => ({ type: 'move' as const, at: m.created_at, move: m })),
    ...notes.map((n) => ({ type: 'note' as const, at: n.created_at, note: n })),
    ...q.mailsOf(db, applicationId).map((m) => ({ type: 'mail' as const, at: m.created_at, mail: m })),
    ...q.revealsOf(db, applicationId).map((r) => ({ type: 'reveal' as const, at: r.created_at, reveal: r })),
    ...q.candidateEventsOf(db, applicationId).map((e) => ({ type: 'event' as const, at: e.at, event: e })),
  ].sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : 0));
  return {
    app,
    stages: q.stagesOfPosting(db, app.posting_id),
    documents,
    timeline,
    // Cross-links tie two applications' identities together: only between visible ones.
    others: q.otherApplications(db, app.email, app.organisation_id, app.application_id, actor.id).filter((o) => mayCrossLink(app, o)),
    members: q.mentionableMembers(db, app.organisation_id, app.region_id),
    ...permissionsFor(actor, orgRef(app), chargeOnPanel(db, actor, app.posting_id)),
    // Decisions (Proposition, Recruté(e), rejection after interview) are the bureau's.
    mayDecide: can(actor, 'evaluation.decide', orgRef(app)),
  };
}
