/** A posting with candidates at several stages and a panel, for the evaluation tests. */
import type { Express } from 'express';
import type { DB } from '../../server/core/db.js';
import { nowIso } from '../../server/core/db.js';
import { csrfOf, login, type Agent } from '../helpers/agent.js';
import { createWorld, TEST_PASSWORD } from '../helpers/factories.js';
import { createApplication, createPosting, stagesOf } from '../pipeline/fixtures.js';

export async function evaluationWorld(db: DB, uploadDir?: string) {
  const world = await createWorld(db);
  const posting = createPosting(db, world.orgA.id, { title: 'Coordinateur·rice CPTS Alpha' });
  const a1 = createApplication(db, posting, { firstName: 'Élodie', lastName: 'Martin', status: 'interview', ...(uploadDir ? { document: { uploadDir } } : {}) });
  const a2 = createApplication(db, posting, { firstName: 'Yann', lastName: 'Le Bihan', status: 'interview' });
  const early = createApplication(db, posting, { firstName: 'Inès', lastName: 'Précoce', status: 'in_review' });
  const other = createPosting(db, world.orgA.id, { title: 'Gestionnaire de cas Alpha' });
  const b1 = createApplication(db, other, { firstName: 'Bruno', lastName: 'Autre', status: 'interview' });
  const foreign = createPosting(db, world.orgB.id, { title: 'Coordinateur Bravo' });
  const c1 = createApplication(db, foreign, { firstName: 'Chloé', lastName: 'Bravo', status: 'interview' });
  return { ...world, posting, other, foreign, a1, a2, early, b1, c1, stages: stagesOf(db, posting.id) };
}

export function seatPanel(db: DB, postingId: number, organisationId: number, members: { id: number; kind?: string; chair?: boolean }[]) {
  for (const m of members) {
    db.prepare('INSERT INTO panel_members (organisation_id, posting_id, user_id, kind, is_chair, created_at) VALUES (?, ?, ?, ?, ?, ?)').run(
      organisationId,
      postingId,
      m.id,
      m.kind ?? 'member',
      m.chair ? 1 : 0,
      nowIso(),
    );
  }
}

export const criteriaIds = (db: DB, postingId: number) =>
  (db.prepare('SELECT c.id FROM scorecard_criteria c JOIN scorecards s ON s.id = c.scorecard_id WHERE s.posting_id = ? ORDER BY c.position').all(postingId) as { id: number }[]).map((r) => r.id);

/** A complete kit form: every criterion at the given level, a recommendation and a summary. */
export function fullForm(ids: number[], level: string, opts: { intent?: 'save' | 'submit'; version?: number; recommendation?: string; comment?: string; summary?: string } = {}) {
  const form: Record<string, string> = {
    intent: opts.intent ?? 'submit',
    version: String(opts.version ?? 1),
    recommendation: opts.recommendation ?? 'yes',
    summary: opts.summary ?? 'Synthèse de test.',
  };
  for (const id of ids) {
    form[`rating_${id}`] = level;
    form[`comment_${id}`] = opts.comment ?? '';
  }
  return form;
}

export async function as(app: Express, email: string): Promise<Agent> {
  return login(app, email, TEST_PASSWORD);
}

export async function post(agent: Agent, path: string, fields: Record<string, unknown>, tokenPage = '/tableau-de-bord') {
  const token = await csrfOf(agent, tokenPage);
  return agent.post(path).type('form').send({ _csrf: token, ...fields });
}
