/**
 * The demo coordinator's own recruitment, so the demo holds a hire end to end: a filled
 * coordinator posting of CPTS Sud-Loire Vignoble, Julien Péan's application in Recruté(e)
 * with the panel's decision, and his accepted offer linked to his onboarding plan (seeded by
 * the onboarding demo).
 */
import type { DB } from '../core/db.js';
import { nowIso } from '../core/db.js';

export function seedHiringDemo(db: DB, opts: { now?: Date } = {}): void {
  const now = opts.now ?? new Date();
  const daysAgo = (n: number) => nowIso(new Date(now.getTime() - n * 86_400_000));
  const org = db.prepare("SELECT id FROM organisations WHERE slug = 'cpts-sud-loire-vignoble'").get() as { id: number } | undefined;
  const julien = db.prepare("SELECT id, name FROM users WHERE email = 'coordination@demo.coordo.test'").get() as { id: number; name: string } | undefined;
  const president = db.prepare("SELECT id, name FROM users WHERE email = 'bureau@demo.coordo.test'").get() as { id: number; name: string } | undefined;
  const plan = julien && (db.prepare('SELECT id, start_date FROM onboarding_plans WHERE user_id = ? ORDER BY id LIMIT 1').get(julien.id) as { id: number; start_date: string } | undefined);
  if (!org || !julien || !president || !plan) return;

  db.transaction(() => {
    const postingId = Number(
      db
        .prepare(
          `INSERT INTO postings (organisation_id, slug, kind, template_key, title, location, contract_type, fte_percent, salary_min, salary_max,
             start_date, deadline, summary, description_md, contact_name, contact_email, status, published_at, closed_at, created_by, created_at, updated_at)
           VALUES (?, 'coordinateur-cpts-sud-loire-vignoble-2026-pourvu', 'coordinator', 'coordinator', 'Coordinateur ou coordinatrice de CPTS (H/F)',
             'Vertou (44)', 'CDI', 100, 34000, 40000, ?, ?, 'Premier poste de coordination de la CPTS.',
             'Poste pourvu : Julien Péan a rejoint la CPTS comme coordinateur.', 'Dr Hélène Moreau', 'bureau@demo.coordo.test', 'filled', ?, ?, ?, ?, ?)`,
        )
        .run(org.id, plan.start_date, daysAgo(75).slice(0, 10), daysAgo(110), daysAgo(40), president.id, daysAgo(115), daysAgo(40)).lastInsertRowid,
    );
    const candidateId = Number(
      db
        .prepare("INSERT INTO candidates (organisation_id, email, first_name, last_name, phone, created_at, updated_at) VALUES (?, 'coordination@demo.coordo.test', 'Julien', 'Péan', '', ?, ?)")
        .run(org.id, daysAgo(90), daysAgo(40)).lastInsertRowid,
    );
    const applicationId = Number(
      db
        .prepare(
          `INSERT INTO applications (posting_id, organisation_id, candidate_id, status, message, source, last_contact_at, created_at, updated_at)
           VALUES (?, ?, ?, 'hired', 'Candidature au poste de coordination.', 'network', ?, ?, ?)`,
        )
        .run(postingId, org.id, candidateId, daysAgo(40), daysAgo(90), daysAgo(40)).lastInsertRowid,
    );
    const stage = (key: string) => db.prepare('SELECT id, name FROM pipeline_stages WHERE posting_id = ? AND stage_key = ?').get(postingId, key) as { id: number; name: string };
    const offerStage = stage('offer');
    const hiredStage = stage('hired');
    db.prepare(
      `INSERT INTO decisions (organisation_id, posting_id, application_id, outcome, from_stage_name, to_stage_name, rationale, score_snapshot, decided_by, decider_name, decided_at)
       VALUES (?, ?, ?, 'hired', ?, ?, ?, '{}', ?, ?, ?)`,
    ).run(
      org.id,
      postingId,
      applicationId,
      offerStage.name,
      hiredStage.name,
      'Offre acceptée. Meilleur score du jury sur la prise d’initiative et la maîtrise de l’organisation sanitaire territoriale ; expérience de gestion de projet pluriprofessionnel.',
      president.id,
      president.name,
      daysAgo(40),
    );
    db.prepare(
      `INSERT INTO offers (organisation_id, posting_id, application_id, start_date, contract_type, fte_percent, salary_gross_yearly, status,
         hired_user_id, onboarding_plan_id, created_by, created_at, answered_by, answered_at)
       VALUES (?, ?, ?, ?, 'CDI', 100, 38000, 'accepted', ?, ?, ?, ?, ?, ?)`,
    ).run(org.id, postingId, applicationId, plan.start_date, julien.id, plan.id, president.id, daysAgo(45), president.id, daysAgo(40));
  })();
}
