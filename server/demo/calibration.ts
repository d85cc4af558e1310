/**
 * Demo data of panel calibration: the 2025 coordinator recruitment of CPTS Baugeois-Vallée,
 * closed, with twelve candidates interviewed by a panel of three (the president, the regional
 * chargée de mission and a peer coordinator from Sud-Loire as outside evaluator), every
 * evaluation submitted. The ratings agree well on most criteria, poorly on "Diplomatie" (the
 * anchors leave room), and the peer coordinator rates about half a level above the others, so
 * the region's calibration page shows real figures and readings.
 */
import { loadActor } from '../core/auth.js';
import type { DB } from '../core/db.js';
import { nowIso } from '../core/db.js';
import { createI18n } from '../core/i18n.js';
import { commonMessages } from '../core/messages.js';
import { ensureScorecard } from '../features/evaluation/service.js';
import * as eq from '../features/evaluation/queries.js';
import { createPostingFromTemplate, transitionPosting } from '../features/jobs/service.js';
import { messages as pipelineMessages } from '../features/pipeline/messages.js';
import { moveApplication } from '../features/pipeline/service.js';

const DAY = 86_400_000;

const CANDIDATES = [
  ['Camille', 'Texier'],
  ['Baptiste', 'Royer'],
  ['Élise', 'Marchand'],
  ['Hugo', 'Lebreton'],
  ['Justine', 'Pasquier'],
  ['Mehdi', 'Amrani'],
  ['Océane', 'Ferrand'],
  ['Grégoire', 'Moulin'],
  ['Laure', 'Vasseur'],
  ['Nicolas', 'Charpentier'],
  ['Anaïs', 'Brunet'],
  ['Rémi', 'Jolly'],
] as const;

/** A candidate's "true" level per criterion (1-4), from their index and the criterion's. */
const base = (candidate: number, criterion: number) => 1 + ((candidate * 7 + criterion * 3) % 4);

export function seedCalibrationDemo(db: DB, opts: { now?: Date } = {}): void {
  const now = opts.now ?? new Date();
  const userId = (email: string) => (db.prepare('SELECT id FROM users WHERE email = ?').get(email) as { id: number } | undefined)?.id;
  const presidentId = userId('bureau.baugeois@demo.coordo.test');
  const chargeId = userId('mission@demo.coordo.test');
  const peerId = userId('coordination@demo.coordo.test');
  const org = db.prepare("SELECT id FROM organisations WHERE slug = 'cpts-baugeois-vallee'").get() as { id: number } | undefined;
  if (!presidentId || !chargeId || !peerId || !org) return;
  const president = loadActor(db, presidentId)!;
  const panel = [
    { id: presidentId, name: 'Isabelle Chauvin', kind: 'member', lenient: 0 },
    { id: chargeId, name: 'Anne-Sophie Le Goff', kind: 'charge', lenient: 0 },
    { id: peerId, name: 'Julien Péan', kind: 'external', lenient: 1 },
  ];
  const t = createI18n([commonMessages, pipelineMessages]).translator('fr');
  // The demo is written in French.
  const mailCtx = { translator: () => t, baseUrl: 'http://localhost:3000' };
  const opened = new Date(now.getTime() - 400 * DAY);

  db.transaction(() => {
    const posting = createPostingFromTemplate(db, president, org.id, 'coordinator', opened);
    db.prepare('UPDATE postings SET deadline = ?, location = ? WHERE id = ?').run(new Date(opened.getTime() + 30 * DAY).toISOString().slice(0, 10), 'Baugé-en-Anjou (49)', posting.id);
    transitionPosting(db, president, posting.id, 'publish', () => ({}), opened);
    const scope = eq.postingScope(db, posting.id)!;
    const scorecard = ensureScorecard(db, scope, opened);
    const criteria = eq.criteriaOf(db, scorecard.id);
    const stage = (key: string) => (db.prepare('SELECT id FROM pipeline_stages WHERE posting_id = ? AND stage_key = ?').get(posting.id, key) as { id: number }).id;
    const at = (days: number) => nowIso(new Date(opened.getTime() + days * DAY));

    for (const p of panel) {
      db.prepare('INSERT INTO panel_members (organisation_id, posting_id, user_id, kind, is_chair, added_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)').run(
        org.id,
        posting.id,
        p.id,
        p.kind,
        p.id === presidentId ? 1 : 0,
        presidentId,
        at(1),
      );
    }
    CANDIDATES.forEach(([first, last], n) => {
      const email = `${first}.${last}`.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase() + '@exemple.test';
      const candidateId = Number(
        db.prepare('INSERT INTO candidates (organisation_id, email, first_name, last_name, phone, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)').run(org.id, email, first, last, '', at(3 + n), at(3 + n)).lastInsertRowid,
      );
      const applicationId = Number(
        db
          .prepare(
            `INSERT INTO applications (posting_id, organisation_id, candidate_id, message, source, notified_at, last_contact_at, created_at, updated_at)
             VALUES (?, ?, ?, ?, 'board', ?, ?, ?, ?)`,
          )
          .run(posting.id, org.id, candidateId, 'Candidature au poste de coordination de la CPTS (recrutement 2025).', at(3 + n), at(40), at(3 + n), at(3 + n)).lastInsertRowid,
      );
      db.prepare("INSERT INTO application_events (application_id, organisation_id, action, at) VALUES (?, ?, 'submitted', ?)").run(applicationId, org.id, at(3 + n));
      moveApplication(db, president, { applicationId, stageId: stage('screening'), expectedStageId: stage('new'), comment: '', sendMail: false }, mailCtx, {}, new Date(opened.getTime() + 32 * DAY));
      moveApplication(db, president, { applicationId, stageId: stage('interview'), expectedStageId: stage('screening'), comment: '', sendMail: false }, mailCtx, {}, new Date(opened.getTime() + 35 * DAY));
      for (const p of panel) {
        const evaluationId = Number(
          db
            .prepare(
              `INSERT INTO evaluations (organisation_id, posting_id, application_id, panelist_user_id, panelist_name, status, recommendation, summary, submitted_at, created_at, updated_at)
               VALUES (?, ?, ?, ?, ?, 'submitted', ?, '', ?, ?, ?)`,
            )
            .run(org.id, posting.id, applicationId, p.id, p.name, base(n, 0) >= 3 ? 'yes' : 'no', at(42), at(42), at(42)).lastInsertRowid,
        );
        criteria.forEach((c, ci) => {
          const diplomatie = c.criterion_key === 'diplomatie';
          // Diplomatie: each panelist reads the anchors their own way; elsewhere the panel agrees,
          // one level apart now and then, and the peer coordinator is more generous.
          const level = diplomatie ? 1 + ((n * 5 + panel.indexOf(p) * 3 + ci) % 4) : base(n, ci) + ((n + ci + panel.indexOf(p)) % 9 === 0 ? 1 : 0) + (p.lenient && (n + ci) % 3 === 0 ? 1 : 0);
          db.prepare('INSERT INTO evaluation_ratings (evaluation_id, criterion_id, level, comment) VALUES (?, ?, ?, ?)').run(evaluationId, c.id, Math.max(1, Math.min(4, level)), '');
        });
      }
    });
    db.prepare("UPDATE postings SET status = 'filled', closed_at = ?, updated_at = ? WHERE id = ?").run(at(60), at(60), posting.id);
  })();
}
