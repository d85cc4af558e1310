import fs from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import type { DB } from '../../server/core/db.js';
import { loadConfig } from '../../server/core/config.js';
import { addMonths, retentionPreview, runRetention } from '../../server/features/privacy/retention.js';
import { retentionJob } from '../../server/jobs/retention.js';
import { postingScope } from '../../server/features/evaluation/queries.js';
import { ensureScorecard } from '../../server/features/evaluation/service.js';
import { login, pageText, submitForm } from '../helpers/agent.js';
import { createTestContext, type TestContext } from '../helpers/app.js';
import { binary, unzip } from '../helpers/zip.js';
import { createWorld } from '../helpers/factories.js';
import { createApplication, createPosting, stagesOf, type ApplicationFixture } from '../pipeline/fixtures.js';

const SETTINGS = { retentionMonths: 3, talentPoolMonths: 24 };

function moveTo(db: DB, applicationId: number, postingId: number, kind: string, at: string) {
  const stage = stagesOf(db, postingId).find((s) => s.kind === kind || s.stage_key === kind)!;
  db.prepare('UPDATE pipeline_cards SET stage_id = ?, entered_at = ? WHERE application_id = ?').run(stage.id, at, applicationId);
  db.prepare(
    `INSERT INTO pipeline_moves (organisation_id, application_id, to_stage_id, to_name, actor_name, comment, created_at)
     SELECT organisation_id, application_id, ?, ?, 'Bureau A', 'Camille Dupont ne maîtrise pas le territoire', ? FROM pipeline_cards WHERE application_id = ?`,
  ).run(stage.id, stage.name, at, applicationId);
}

/** Every TEXT value of every row tied to the application, in every table that has an application_id. */
function textsOfApplication(db: DB, applicationId: number): string[] {
  const tables = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[]).map((t) => t.name);
  const out: string[] = [];
  for (const table of tables) {
    const cols = db.prepare(`PRAGMA table_info("${table}")`).all() as { name: string; type: string }[];
    const key = table === 'applications' ? 'id' : cols.some((c) => c.name === 'application_id') ? 'application_id' : undefined;
    if (!key) continue;
    const textCols = cols.filter((c) => c.type.toUpperCase() === 'TEXT').map((c) => `"${c.name}"`);
    if (!textCols.length) continue;
    for (const row of db.prepare(`SELECT ${textCols.join(', ')} FROM "${table}" WHERE "${key}" = ?`).all(applicationId) as Record<string, unknown>[]) {
      for (const v of Object.values(row)) if (typeof v === 'string') out.push(`${table}: ${v}`);
    }
  }
  const cand = db.prepare('SELECT c.* FROM candidates c JOIN applications a ON a.candidate_id = c.id WHERE a.id = ?').get(applicationId) as Record<string, unknown> | undefined;
  for (const v of Object.values(cand ?? {})) if (typeof v === 'string') out.push(`candidates: ${v}`);
  return out;
}

describe('privacy: retention of non-hired candidates', () => {
  let ctx: TestContext;
  let world: Awaited<ReturnType<typeof createWorld>>;
  const t0 = new Date('2026-01-10T10:00:00.000Z');
  let rejected: ApplicationFixture;
  let pooled: ApplicationFixture;
  let hired: ApplicationFixture;
  let running: ApplicationFixture;
  let onClosed: ApplicationFixture;
  let otherRegion: ApplicationFixture;

  before(async () => {
    ctx = createTestContext();
    world = await createWorld(ctx.db);
    const db = ctx.db;
    const open = createPosting(db, world.orgA.id);
    const closed = createPosting(db, world.orgA.id, { status: 'closed' });
    db.prepare('UPDATE postings SET closed_at = ? WHERE id = ?').run('2026-01-20T09:00:00.000Z', closed.id);
    const bravo = createPosting(db, world.orgB.id);
    const at = t0.toISOString();
    rejected = createApplication(db, open, { firstName: 'Camille', lastName: 'Dupont', email: 'camille.dupont@example.test', message: 'Je vis à Clisson depuis dix ans.', createdAt: at, document: { uploadDir: ctx.config.uploadDir } });
    moveTo(db, rejected.id, open.id, 'rejected', '2026-02-01T08:00:00.000Z');
    db.prepare("UPDATE pipeline_cards SET rejection_reason = 'experience', rejection_text = 'Camille Dupont manque d’expérience' WHERE application_id = ?").run(rejected.id);
    db.prepare("INSERT INTO pipeline_notes (organisation_id, application_id, author_name, body, created_at) VALUES (?, ?, 'Bureau A', 'Appeler Camille Dupont au 06 12 34 56 78', ?)").run(world.orgA.id, rejected.id, at);
    db.prepare(
      `INSERT INTO decisions (organisation_id, posting_id, application_id, outcome, from_stage_name, to_stage_name, rationale, decider_name, decided_at)
       VALUES (?, ?, ?, 'rejected', 'Entretien', 'Non retenu(e)', 'Camille Dupont : critères de gestion de projet non atteints.', 'Bureau A', ?)`,
    ).run(world.orgA.id, open.id, rejected.id, at);
    pooled = createApplication(db, open, { firstName: 'Léa', lastName: 'Vivier', createdAt: at });
    moveTo(db, pooled.id, open.id, 'rejected', '2026-02-01T08:00:00.000Z');
    db.prepare("UPDATE applications SET talent_pool_consent = 1, talent_pool_at = ?, last_contact_at = '2026-03-01T08:00:00.000Z' WHERE id = ?").run(at, pooled.id);
    hired = createApplication(db, open, { lastName: 'Recrutée', createdAt: at });
    moveTo(db, hired.id, open.id, 'hired', '2026-02-01T08:00:00.000Z');
    running = createApplication(db, open, { lastName: 'EnCours', createdAt: at });
    onClosed = createApplication(db, closed, { lastName: 'Close', createdAt: at });
    otherRegion = createApplication(db, bravo, { lastName: 'Bravo', createdAt: at });
    moveTo(db, otherRegion.id, bravo.id, 'withdrawn', '2026-02-01T08:00:00.000Z');
  });
  after(() => ctx.close());

  it('when months are added then the day is kept, clamped to the end of a short month', () => {
    expect(addMonths('2026-01-31T10:00:00.000Z', 1)).to.equal('2026-02-28T10:00:00.000Z');
    expect(addMonths('2026-02-01T08:00:00.000Z', 3)).to.equal('2026-05-01T08:00:00.000Z');
    expect(addMonths('2026-03-01T08:00:00.000Z', 24)).to.equal('2028-03-01T08:00:00.000Z');
  });

  it('when the preview is computed then only ended, non-hired applications due within 30 days appear', () => {
    const orgs = [world.orgA.id];
    expect(retentionPreview(ctx.db, orgs, SETTINGS, new Date('2026-03-01T00:00:00.000Z'))).to.deep.equal([]);
    const soon = retentionPreview(ctx.db, orgs, SETTINGS, new Date('2026-04-10T00:00:00.000Z'));
    expect(soon.map((r) => r.application_id)).to.deep.equal([onClosed.id, rejected.id]);
    expect(soon.map((r) => r.due_at)).to.deep.equal(['2026-04-20T09:00:00.000Z', '2026-05-01T08:00:00.000Z']);
    expect(soon.map((r) => r.reason)).to.deep.equal(['process_ended', 'process_ended']);
  });

  it('when a chargé de mission or the bureau opens the preview then it lists the due applications; others get 404', async () => {
    const bureau = await login(ctx.app, world.bureauA.email, world.bureauA.password);
    const res = await bureau.get(`/organisations/${world.orgA.id}/conservation`);
    expect(res.status).to.equal(200);
    expect(pageText(res.text)).to.contain('Anonymisations à venir');
    const charge = await login(ctx.app, world.chargeA.email, world.chargeA.password);
    expect((await charge.get(`/regions/${world.regionA.id}/conservation`)).status).to.equal(200);
    expect((await charge.get(`/organisations/${world.orgA.id}/conservation`)).status).to.equal(200);
    expect((await charge.get(`/regions/${world.regionB.id}/conservation`)).status).to.equal(404);
    expect((await bureau.get(`/organisations/${world.orgB.id}/conservation`)).status).to.equal(404);
    expect((await bureau.get(`/regions/${world.regionA.id}/conservation`)).status).to.equal(404);
    const coord = await login(ctx.app, world.coordinatorA.email, world.coordinatorA.password);
    expect((await coord.get(`/organisations/${world.orgA.id}/conservation`)).status).to.equal(404);
    expect((await bureau.get('/organisations/abc/conservation')).status).to.equal(404);
  });

  it('when the job runs before the due date then nothing changes; on the due date the rejected candidate is anonymised', () => {
    expect(runRetention(ctx.db, { ...SETTINGS, uploadDir: ctx.config.uploadDir }, new Date('2026-04-30T00:00:00.000Z')).anonymised).to.equal(1); // the closed posting's
    const stored = (ctx.db.prepare('SELECT stored_name FROM application_documents WHERE application_id = ?').all(rejected.id) as { stored_name: string }[]).map((d) =>
      path.join(ctx.config.uploadDir, 'applications', d.stored_name),
    );
    expect(stored).to.have.length(1);
    expect(fs.existsSync(stored[0]!)).to.equal(true);
    const job = retentionJob(ctx.db, { ...loadConfig({ NODE_ENV: 'test', DATA_DIR: ctx.dir }), uploadDir: ctx.config.uploadDir, retentionMonths: 3, talentPoolMonths: 24 }, undefined, () => new Date('2026-05-01T09:00:00.000Z'));
    expect(job.name).to.equal('retention.anonymise');
    expect(job.run()).to.equal(2); // and the withdrawn candidate of region B, due the same morning
    expect(fs.existsSync(stored[0]!)).to.equal(false);
    const texts = textsOfApplication(ctx.db, rejected.id);
    for (const personal of ['Camille', 'Dupont', 'camille.dupont@example.test', '06 12 34 56 78', 'Clisson', 'manque d’expérience']) {
      expect(texts.filter((v) => v.includes(personal)), personal).to.deep.equal([]);
    }
    expect(ctx.db.prepare('SELECT 1 FROM candidates WHERE email = ?').get('camille.dupont@example.test')).to.equal(undefined);
    // Kept as anonymous statistics: the stage history, the rejection reason and the decision.
    expect((ctx.db.prepare('SELECT COUNT(*) AS n FROM pipeline_moves WHERE application_id = ?').get(rejected.id) as { n: number }).n).to.equal(1);
    expect((ctx.db.prepare('SELECT rejection_reason FROM pipeline_cards WHERE application_id = ?').get(rejected.id) as { rejection_reason: string }).rejection_reason).to.equal('experience');
    expect((ctx.db.prepare('SELECT rationale FROM decisions WHERE application_id = ?').get(rejected.id) as { rationale: string }).rationale).to.contain('critères de gestion de projet');
    // Running again changes nothing; hired, running and pooled candidates are untouched.
    expect(job.run()).to.equal(0);
    for (const a of [hired, running, pooled]) {
      expect(ctx.db.prepare('SELECT 1 FROM applications a JOIN candidates c ON c.id = a.candidate_id WHERE a.id = ? AND c.last_name <> ?').get(a.id, '')).to.not.equal(undefined);
    }
    expect(textsOfApplication(ctx.db, otherRegion.id).join(' ')).not.to.contain('Bravo');
  });

  it('when a submitted panel evaluation speaks of the person then its summary and comments are blanked, the levels kept', () => {
    const target = createApplication(ctx.db, { id: rejected.postingId, organisation_id: world.orgA.id, title: '' }, { firstName: 'Camille', lastName: 'Evalue', email: 'camille.evalue@example.test' });
    moveTo(ctx.db, target.id, rejected.postingId, 'rejected', '2026-01-21T10:00:00.000Z');
    const scope = postingScope(ctx.db, rejected.postingId)!;
    const scorecard = ensureScorecard(ctx.db, scope);
    const criterionId = (ctx.db.prepare('SELECT id FROM scorecard_criteria WHERE scorecard_id = ? LIMIT 1').get(scorecard.id) as { id: number }).id;
    const at = '2026-01-20T10:00:00.000Z';
    const evaluationId = Number(
      ctx.db
        .prepare(
          `INSERT INTO evaluations (organisation_id, posting_id, application_id, panelist_user_id, panelist_name, status, recommendation, summary, submitted_at, created_at, updated_at)
           VALUES (?, ?, ?, ?, 'Bureau A', 'draft', 'no', 'Camille Dupont hésite sur le territoire', NULL, ?, ?)`,
        )
        .run(scope.organisation_id, scope.id, target.id, world.bureauA.id, at, at).lastInsertRowid,
    );
    ctx.db.prepare("INSERT INTO evaluation_ratings (evaluation_id, criterion_id, level, comment) VALUES (?, ?, 2, 'Camille cite peu d’exemples')").run(evaluationId, criterionId);
    ctx.db.prepare("UPDATE evaluations SET status = 'submitted', submitted_at = ? WHERE id = ?").run(at, evaluationId);
    // Still final for anything but blanking.
    expect(() => ctx.db.prepare("UPDATE evaluation_ratings SET level = 4 WHERE evaluation_id = ?").run(evaluationId)).to.throw(/final/);
    expect(() => ctx.db.prepare("UPDATE evaluations SET summary = 'autre' WHERE id = ?").run(evaluationId)).to.throw(/final/);
    expect(runRetention(ctx.db, { ...SETTINGS, uploadDir: ctx.config.uploadDir }, new Date('2026-05-01T09:00:00.000Z')).anonymised).to.equal(1);
    expect(ctx.db.prepare('SELECT summary, recommendation, status FROM evaluations WHERE id = ?').get(evaluationId)).to.deep.equal({ summary: '', recommendation: 'no', status: 'submitted' });
    expect(ctx.db.prepare('SELECT level, comment FROM evaluation_ratings WHERE evaluation_id = ?').get(evaluationId)).to.deep.equal({ level: 2, comment: '' });
  });

  it('when the talent-pool period after the last contact is over then the pooled candidate is anonymised too', () => {
    expect(runRetention(ctx.db, { ...SETTINGS, uploadDir: ctx.config.uploadDir }, new Date('2028-02-29T00:00:00.000Z')).anonymised).to.equal(0);
    expect(runRetention(ctx.db, { ...SETTINGS, uploadDir: ctx.config.uploadDir }, new Date('2028-03-01T09:00:00.000Z')).anonymised).to.equal(1);
    expect(textsOfApplication(ctx.db, pooled.id).join(' ')).not.to.contain('Vivier');
    expect((ctx.db.prepare('SELECT reason FROM retention_anonymisations WHERE application_id = ?').get(pooled.id) as { reason: string }).reason).to.equal('talent_pool_expired');
  });

  it('when a mail left the outbox over a year ago then the job deletes it; recent and pending ones stay', () => {
    const now = new Date('2028-06-01T09:00:00.000Z');
    const queue = (status: string, createdAt: string) =>
      Number(
        ctx.db
          .prepare("INSERT INTO outbox (template, to_address, subject, text_body, html_body, status, next_attempt_at, created_at) VALUES ('auth.reset', 'staff@example.test', 's', 't', 'h', ?, ?, ?)")
          .run(status, createdAt, createdAt).lastInsertRowid,
      );
    const old = [queue('sent', '2027-05-20T09:00:00.000Z'), queue('failed', '2027-05-31T09:00:00.000Z')];
    const kept = [queue('sent', '2027-06-02T09:00:00.000Z'), queue('pending', '2027-01-01T09:00:00.000Z')];
    expect(runRetention(ctx.db, { ...SETTINGS, uploadDir: ctx.config.uploadDir }, now).mailsPurged).to.be.at.least(2);
    const left = ctx.db.prepare('SELECT id FROM outbox WHERE id IN (SELECT value FROM json_each(?))').pluck().all(JSON.stringify([...old, ...kept]));
    expect(left).to.deep.equal(kept);
  });

  it('when the retention setting is below the minimum then the configuration is refused with a clear message', () => {
    expect(() => loadConfig({ NODE_ENV: 'test', RETENTION_MONTHS: '0' })).to.throw(/RETENTION_MONTHS: must be at least 1/);
    expect(() => loadConfig({ NODE_ENV: 'test', TALENT_POOL_MONTHS: '0' })).to.throw(/TALENT_POOL_MONTHS: must be at least 1/);
    expect(() => loadConfig({ NODE_ENV: 'test', TALENT_POOL_MONTHS: '36' })).to.throw(/TALENT_POOL_MONTHS/);
  });
});

describe('privacy: the bureau exports and erases a candidate’s data on request', () => {
  let ctx: TestContext;
  let world: Awaited<ReturnType<typeof createWorld>>;
  let app: ApplicationFixture;

  before(async () => {
    ctx = createTestContext();
    world = await createWorld(ctx.db);
    const posting = createPosting(ctx.db, world.orgA.id);
    app = createApplication(ctx.db, posting, { firstName: 'Noé', lastName: 'Martin', email: 'noe.martin@example.test', document: { uploadDir: ctx.config.uploadDir } });
  });
  after(() => ctx.close());

  it('when the bureau exports then the ZIP holds the JSON and the documents, and the export is audited', async () => {
    const bureau = await login(ctx.app, world.bureauA.email, world.bureauA.password);
    const page = await bureau.get(`/recrutement/candidatures/${app.id}`);
    expect(page.text).to.contain(`/recrutement/candidatures/${app.id}/donnees.zip`);
    const res = await bureau.get(`/recrutement/candidatures/${app.id}/donnees.zip`).buffer(true).parse(binary);
    expect(res.status).to.equal(200);
    expect(res.headers['content-disposition']).to.match(/^attachment/);
    const files = await unzip(res.body as Buffer);
    const json = JSON.parse(files.get('candidature.json')!.toString('utf8'));
    expect(json.candidate.email).to.equal('noe.martin@example.test');
    const docs = [...files.keys()].filter((k) => k.startsWith('documents/'));
    expect(docs).to.have.length(1);
    expect(files.get(docs[0]!)!.subarray(0, 4).toString()).to.equal('%PDF');
    const entry = ctx.db.prepare("SELECT actor_user_id FROM audit_log WHERE action = 'application.exported_by_bureau' AND target_id = ?").get(app.id) as { actor_user_id: number };
    expect(entry.actor_user_id).to.equal(world.bureauA.id);
  });

  it('when someone outside the CPTS’s bureau asks then export and erasure are 404', async () => {
    for (const u of [world.bureauB, world.coordinatorA, world.chargeB]) {
      const agent = await login(ctx.app, u.email, u.password);
      expect((await agent.get(`/recrutement/candidatures/${app.id}/donnees.zip`)).status, u.email).to.equal(404);
      expect((await agent.get(`/recrutement/candidatures/${app.id}/effacer`)).status, u.email).to.equal(404);
    }
    const bureauB = await login(ctx.app, world.bureauB.email, world.bureauB.password);
    const res = await submitForm(bureauB, `/recrutement/candidatures/${app.id}/effacer`, { confirm: '1' }, '/tableau-de-bord');
    expect(res.status).to.equal(404);
    expect(ctx.db.prepare('SELECT 1 FROM applications WHERE id = ?').get(app.id)).to.not.equal(undefined);
  });

  it('when the bureau erases without confirming then the form says so; confirmed, no row or file remains and a replay is 404', async () => {
    const bureau = await login(ctx.app, world.bureauA.email, world.bureauA.password);
    const files = (ctx.db.prepare('SELECT stored_name FROM application_documents WHERE application_id = ?').all(app.id) as { stored_name: string }[]).map((d) =>
      path.join(ctx.config.uploadDir, 'applications', d.stored_name),
    );
    const form = `/recrutement/candidatures/${app.id}/effacer`;
    const refused = await submitForm(bureau, form, {}, form);
    expect(refused.status).to.equal(422);
    expect(pageText(refused.text)).to.contain('Cochez la case');
    const done = await submitForm(bureau, form, { confirm: '1' }, form);
    expect(done.status).to.equal(302);
    expect(files.every((f) => !fs.existsSync(f))).to.equal(true);
    expect(textsOfApplication(ctx.db, app.id)).to.deep.equal([]);
    expect(ctx.db.prepare('SELECT 1 FROM candidates WHERE email = ?').get('noe.martin@example.test')).to.equal(undefined);
    const entry = ctx.db.prepare("SELECT actor_user_id, details FROM audit_log WHERE action = 'application.erased_by_bureau' AND target_id = ?").get(app.id) as { actor_user_id: number; details: string };
    expect(entry.actor_user_id).to.equal(world.bureauA.id);
    expect(entry.details).not.to.contain('Martin');
    expect((await submitForm(bureau, form, { confirm: '1' }, '/tableau-de-bord')).status).to.equal(404);
  });
});
