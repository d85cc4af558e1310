import { expect } from 'chai';
import type { DB } from '../../server/core/db.js';
import { nowIso } from '../../server/core/db.js';
import { login, pageText } from '../helpers/agent.js';
import { createTestContext, type TestContext } from '../helpers/app.js';
import { createUser, createWorld } from '../helpers/factories.js';
import { createApplication, createPosting } from '../pipeline/fixtures.js';
import { seatPanel } from '../evaluation/fixtures.js';

const CRITERIA = [
  { key: 'dynamisme', label: 'Dynamisme' },
  { key: 'diplomatie', label: 'Diplomatie' },
];

/** A scorecard with two criteria, and one submitted evaluation per panelist and candidate with the given levels. */
function scorecard(db: DB, organisationId: number, postingId: number): number[] {
  const at = nowIso();
  const id = Number(
    db.prepare("INSERT INTO scorecards (organisation_id, posting_id, template_key, name, created_at, updated_at) VALUES (?, ?, 'coordinator', 'Grille', ?, ?)").run(organisationId, postingId, at, at).lastInsertRowid,
  );
  return CRITERIA.map((c, i) =>
    Number(
      db
        .prepare(
          `INSERT INTO scorecard_criteria (organisation_id, scorecard_id, criterion_key, group_key, label, description, weight, level_1, level_2, level_3, level_4, position, created_at, updated_at)
           VALUES (?, ?, ?, 'savoir_etre', ?, 'Aller au-devant des professionnels.', 1, 'Absent', 'Partiel', 'Net', 'Remarquable', ?, ?, ?)`,
        )
        .run(organisationId, id, c.key, c.label, i, at, at).lastInsertRowid,
    ),
  );
}

function submit(db: DB, o: { organisationId: number; postingId: number; applicationId: number; userId: number; name: string; levels: number[]; criteria: number[] }) {
  const at = nowIso();
  const id = Number(
    db
      .prepare(
        `INSERT INTO evaluations (organisation_id, posting_id, application_id, panelist_user_id, panelist_name, status, recommendation, submitted_at, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, 'submitted', 'yes', ?, ?, ?)`,
      )
      .run(o.organisationId, o.postingId, o.applicationId, o.userId, o.name, at, at, at).lastInsertRowid,
  );
  o.criteria.forEach((c, i) => db.prepare('INSERT INTO evaluation_ratings (evaluation_id, criterion_id, level) VALUES (?, ?, ?)').run(id, c, o.levels[i]));
}

describe('calibration: the region’s page and each panelist’s own figures', () => {
  let ctx: TestContext;
  let world: Awaited<ReturnType<typeof createWorld>>;
  let panel: { id: number; email: string; password: string; name: string }[];
  let incompleteApp: number;

  beforeEach(async () => {
    ctx = createTestContext();
    world = await createWorld(ctx.db);
    const p1 = await createUser(ctx.db, { name: 'Dr Généreux', memberships: [{ organisationId: world.orgA.id, role: 'bureau' }] });
    const p2 = await createUser(ctx.db, { name: 'Mme Mesurée', memberships: [{ organisationId: world.orgA.id, role: 'bureau' }] });
    panel = [p1, p2, { ...world.chargeA, name: 'Chargée A' }];
    const posting = createPosting(ctx.db, world.orgA.id, { title: 'Coordinateur·rice Alpha' });
    seatPanel(ctx.db, posting.id, world.orgA.id, panel.map((p, i) => ({ id: p.id, chair: i === 0 })));
    const criteria = scorecard(ctx.db, world.orgA.id, posting.id);
    // Twelve candidates: Dr Généreux rates one level above the others on Dynamisme; Diplomatie is scattered.
    for (let n = 0; n < 12; n++) {
      const app = createApplication(ctx.db, posting, { status: 'interview' });
      const base = 1 + (n % 3);
      const scatter = [1, 4, 2, 3][n % 4];
      panel.forEach((p, i) =>
        submit(ctx.db, { organisationId: world.orgA.id, postingId: posting.id, applicationId: app.id, userId: p.id, name: p.name, criteria, levels: [i === 0 ? base + 1 : base, i === 0 ? 5 - scatter : scatter] }),
      );
    }
    // A thirteenth candidate only two members have rated yet: the independence rule keeps it out of the region's figures.
    const pending = createApplication(ctx.db, posting, { status: 'interview' });
    incompleteApp = pending.id;
    submit(ctx.db, { organisationId: world.orgA.id, postingId: posting.id, applicationId: pending.id, userId: p1.id, name: p1.name, criteria, levels: [4, 4] });
    submit(ctx.db, { organisationId: world.orgA.id, postingId: posting.id, applicationId: pending.id, userId: p2.id, name: p2.name, criteria, levels: [1, 1] });
  });
  afterEach(() => ctx.close());

  it('when the region’s chargée opens the page then each criterion shows alpha, its interval and a plain reading, low agreement first in the readings', async () => {
    const agent = await login(ctx.app, world.chargeA.email, world.chargeA.password);
    const res = await agent.get(`/regions/${world.regionA.id}/calibration`);
    expect(res.status).to.equal(200);
    const text = pageText(res.text);
    expect(text).to.contain('Calculé sur 12 candidatures dont tout le jury a remis son évaluation');
    expect(text).to.contain('Accord faible sur « Diplomatie » : revoyez ses descripteurs ou ses questions');
    expect(text).to.match(/Dynamisme Descripteurs du critère .*Niveau 1 : Absent/);
    expect(text).to.contain('Dr Généreux');
    expect(text).to.contain('plus indulgent·e que les autres');
    expect(res.headers['content-type']).to.match(/text\/html/);
  });

  it('when another region’s chargée, the bureau, a panelist or the instance admin asks for the region’s page then 404', async () => {
    for (const user of [world.chargeB, world.bureauA, panel[0], world.admin]) {
      const agent = await login(ctx.app, user.email, user.password);
      for (const page of ['', '/recrutements', '/jury']) expect((await agent.get(`/regions/${world.regionA.id}/calibration${page}`)).status, `${user.email} ${page}`).to.equal(404);
    }
    expect((await login(ctx.app, world.chargeA.email, world.chargeA.password).then((a) => a.get(`/regions/${world.regionB.id}/calibration`))).status).to.equal(404);
  });

  it('when the region’s chargée follows the links to the full lists then every recruitment and every panelist is listed, a page at a time', async () => {
    const agent = await login(ctx.app, world.chargeA.email, world.chargeA.password);
    const main = await agent.get(`/regions/${world.regionA.id}/calibration`);
    expect(main.text).to.contain(`href="/regions/${world.regionA.id}/calibration/recrutements"`);
    expect(main.text).to.contain(`href="/regions/${world.regionA.id}/calibration/jury"`);
    const postings = await agent.get(`/regions/${world.regionA.id}/calibration/recrutements`);
    expect(postings.status).to.equal(200);
    expect(pageText(postings.text)).to.contain('Coordinateur·rice Alpha');
    expect(pageText(postings.text)).to.contain('1 ligne, page 1 sur 1');
    const jury = await agent.get(`/regions/${world.regionA.id}/calibration/jury?page=abc`);
    expect(jury.status).to.equal(200);
    for (const name of ['Dr Généreux', 'Mme Mesurée', 'Chargée A']) expect(pageText(jury.text)).to.contain(name);
    expect(pageText((await agent.get(`/regions/${world.regionA.id}/calibration/jury?page=99`)).text)).to.contain('3 lignes, page 1 sur 1');
  });

  it('when a panelist opens their own figures then they see their leniency and the region’s, never another member’s name or figures', async () => {
    const agent = await login(ctx.app, panel[0].email, panel[0].password);
    const res = await agent.get('/calibration');
    expect(res.status).to.equal(200);
    const text = pageText(res.text);
    expect(text).to.match(/Votre indulgence : \+\d,\d\d \(plus indulgent·e que les autres\)/);
    expect(text).not.to.contain('Mme Mesurée');
    expect(text).not.to.contain('Chargée A');
    const other = await login(ctx.app, world.bureauB.email, world.bureauB.password);
    expect(pageText((await other.get('/calibration')).text)).to.contain('Vous n’avez pas encore remis d’évaluation.');
  });

  it('when the last member submits on the pending candidate then it enters the region’s figures', async () => {
    const agent = await login(ctx.app, world.chargeA.email, world.chargeA.password);
    const before = pageText((await agent.get(`/regions/${world.regionA.id}/calibration`)).text);
    expect(before).to.contain('Calculé sur 12 candidatures');
    const criteria = (ctx.db.prepare('SELECT id FROM scorecard_criteria ORDER BY position').all() as { id: number }[]).map((r) => r.id);
    const postingId = (ctx.db.prepare('SELECT posting_id FROM applications WHERE id = ?').get(incompleteApp) as { posting_id: number }).posting_id;
    submit(ctx.db, { organisationId: world.orgA.id, postingId, applicationId: incompleteApp, userId: world.chargeA.id, name: 'Chargée A', criteria, levels: [2, 2] });
    expect(pageText((await agent.get(`/regions/${world.regionA.id}/calibration`)).text)).to.contain('Calculé sur 13 candidatures');
  });

  it('when a region has too few ratings then the page says "not enough data" instead of a number', async () => {
    ctx.db.prepare('DELETE FROM evaluations WHERE application_id IN (SELECT id FROM applications ORDER BY id LIMIT 8)').run();
    const agent = await login(ctx.app, world.chargeA.email, world.chargeA.password);
    const text = pageText((await agent.get(`/regions/${world.regionA.id}/calibration`)).text);
    expect(text).to.contain('Pas assez de données (il faut au moins 10 unités notées');
  });
});
