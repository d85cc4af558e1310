import { expect } from 'chai';
import request from 'supertest';
import { csrfOf, login, pageText } from '../helpers/agent.js';
import { createTestContext, type TestContext } from '../helpers/app.js';
import { createWorld } from '../helpers/factories.js';
import { createApplication, createPosting, stageByKey, type ApplicationFixture, type PostingFixture } from './fixtures.js';

describe('pipeline: access matrix, lists and the board’s queries', () => {
  let ctx: TestContext;
  let world: Awaited<ReturnType<typeof createWorld>>;
  let posting: PostingFixture;
  let app: ApplicationFixture;
  beforeEach(async () => {
    ctx = createTestContext();
    world = await createWorld(ctx.db);
    posting = createPosting(ctx.db, world.orgA.id, { title: 'Coordination Alpha' });
    app = createApplication(ctx.db, posting, { firstName: 'Hugo', lastName: 'Bernard', document: { uploadDir: ctx.config.uploadDir } });
  });
  afterEach(() => ctx.close());

  const readPaths = () => {
    const doc = (ctx.db.prepare('SELECT id FROM application_documents WHERE application_id = ?').get(app.id) as { id: number }).id;
    return [
      `/recrutement/offres/${posting.id}`,
      `/recrutement/offres/${posting.id}/liste`,
      `/recrutement/organisations/${world.orgA.id}/candidatures`,
      `/recrutement/candidatures/${app.id}`,
      `/recrutement/candidatures/${app.id}/documents/${doc}`,
    ];
  };
  const bureauPaths = () => [`/recrutement/offres/${posting.id}/etapes`, `/recrutement/organisations/${world.orgA.id}/modeles`, `/recrutement/organisations/${world.orgA.id}/modeles/offer`, `/recrutement/candidatures/${app.id}/refuser`];

  it('when each role opens each page then bureau of the CPTS and chargée of the region read, the others get 404', async () => {
    const matrix: [string, { email: string; password: string }, number, number][] = [
      ['bureau own CPTS', world.bureauA, 200, 200],
      ['chargée of the region', world.chargeA, 200, 404],
      ['bureau of another CPTS', world.bureauB, 404, 404],
      ['chargé of another region', world.chargeB, 404, 404],
      ['coordinator of the CPTS', world.coordinatorA, 404, 404],
      ['instance admin', world.admin, 404, 404],
    ];
    for (const [who, user, read, manage] of matrix) {
      const agent = await login(ctx.app, user.email, user.password);
      for (const path of readPaths()) expect((await agent.get(path)).status, `${who} ${path}`).to.equal(read);
      for (const path of bureauPaths()) expect((await agent.get(path)).status, `${who} ${path}`).to.equal(manage);
    }
    for (const path of [...readPaths(), ...bureauPaths()]) {
      const res = await request(ctx.app).get(path);
      expect(res.status, `anonymous ${path}`).to.equal(302);
      expect(res.headers.location).to.match(/^\/connexion\?suite=/);
    }
  });

  it('when each role posts each action then only the allowed ones pass; anonymous posts are refused', async () => {
    const from = stageByKey(ctx.db, posting.id, 'new').id;
    const actions = (): [string, Record<string, unknown>][] => [
      [`/recrutement/candidatures/${app.id}/deplacer`, { stage_id: stageByKey(ctx.db, posting.id, 'screening').id, expected_stage_id: from }],
      [`/recrutement/candidatures/${app.id}/refuser`, { expected_stage_id: from, reason: 'profile', mail: 'none' }],
      [`/recrutement/organisations/${world.orgA.id}/candidatures/lot`, { ids: [`${app.id}:${from}`], action: 'move', stage: 'Jury' }],
      [`/recrutement/candidatures/${app.id}/notes`, { body: 'Note' }],
      [`/recrutement/candidatures/${app.id}/reveler`, {}],
      [`/recrutement/offres/${posting.id}/etapes`, { name: 'Nouvelle étape' }],
      [`/recrutement/offres/${posting.id}/anonymisation`, { anonymised: '1' }],
      [`/recrutement/organisations/${world.orgA.id}/modeles/offer`, { subject: 'Objet', body: 'Texte', intent: 'save' }],
    ];
    // Expected: [move, reject, bulk, note, reveal, stage, anonymisation, template]
    const matrix: [string, { email: string; password: string }, number[]][] = [
      ['chargé of another region', world.chargeB, [404, 404, 404, 404, 404, 404, 404, 404]],
      ['bureau of another CPTS', world.bureauB, [404, 404, 404, 404, 404, 404, 404, 404]],
      ['coordinator', world.coordinatorA, [404, 404, 404, 404, 404, 404, 404, 404]],
      ['chargée of the region', world.chargeA, [404, 404, 404, 303, 303, 404, 404, 404]],
    ];
    for (const [who, user, expected] of matrix) {
      const agent = await login(ctx.app, user.email, user.password);
      const csrf = await csrfOf(agent, '/compte');
      for (const [i, [path, fields]] of actions().entries()) {
        const res = await agent.post(path).type('form').send({ _csrf: csrf, ...fields });
        expect(res.status, `${who} ${path}`).to.equal(expected[i]);
      }
      expect(stageByKey(ctx.db, posting.id, 'new').id).to.equal(from);
    }
    const anonymous = request.agent(ctx.app);
    const csrf = await csrfOf(anonymous, '/connexion');
    for (const [path, fields] of actions()) expect((await anonymous.post(path).type('form').send({ _csrf: csrf, ...fields })).status, path).to.equal(401);
    // The bureau may do each of them (the reject last-but-one: it moves the card).
    const bureau = await login(ctx.app, world.bureauA.email, world.bureauA.password);
    const token = await csrfOf(bureau, '/compte');
    const [move, reject, , note, reveal, stage, anon, template] = actions();
    for (const [path, fields] of [note, reveal, stage, anon, template, move]) expect((await bureau.post(path).type('form').send({ _csrf: token, ...fields })).status, path).to.equal(303);
    const screening = stageByKey(ctx.db, posting.id, 'screening').id;
    expect((await bureau.post(reject[0]).type('form').send({ _csrf: token, ...reject[1], expected_stage_id: screening })).status).to.equal(303);
    expect((await bureau.get('/recrutement/offres/abc')).status).to.equal(404);
    expect((await bureau.get('/recrutement/candidatures/99999999')).status).to.equal(404);
  });

  it('when the list is filtered, searched, sorted and paginated then it shows the matching rows only', async () => {
    const second = createPosting(ctx.db, world.orgA.id, { title: 'Gestion de cas' });
    for (let i = 0; i < 30; i++) createApplication(ctx.db, posting, { lastName: `Nom${String(i).padStart(2, '0')}`, createdAt: `2026-01-${String((i % 28) + 1).padStart(2, '0')}T10:00:00.000Z` });
    createApplication(ctx.db, second, { firstName: 'Inès', lastName: 'Zidane', message: 'Expérience en coordination de parcours complexes' });
    const agent = await login(ctx.app, world.bureauA.email, world.bureauA.password);
    const page1 = pageText((await agent.get(`/recrutement/offres/${posting.id}/liste?tri=nom&ordre=asc`)).text);
    expect(page1).to.contain('31 candidatures');
    expect(page1).to.contain('Page 1 sur 2');
    expect(page1.indexOf('Nom00')).to.be.lessThan(page1.indexOf('Nom01'));
    expect(page1).not.to.contain('Inès Zidane');
    const page2 = pageText((await agent.get(`/recrutement/offres/${posting.id}/liste?tri=nom&ordre=asc&page=2`)).text);
    expect(page2).to.contain('Page 2 sur 2');
    const all = pageText((await agent.get(`/recrutement/organisations/${world.orgA.id}/candidatures?q=parcours`)).text);
    expect(all).to.contain('1 candidature');
    expect(all).to.contain('Inès Zidane');
    const byPosting = pageText((await agent.get(`/recrutement/organisations/${world.orgA.id}/candidatures?offre=${second.id}`)).text);
    expect(byPosting).to.contain('1 candidature');
    const byDate = pageText((await agent.get(`/recrutement/offres/${posting.id}/liste?du=2026-01-01&au=2026-01-02`)).text);
    expect(byDate).to.contain('4 candidatures');
    const byStage = pageText((await agent.get(`/recrutement/offres/${posting.id}/liste?etape=Jury`)).text);
    expect(byStage).to.contain('0 candidature');
    const junk = await agent.get(`/recrutement/offres/${posting.id}/liste?tri=drop&page=-4&du=hier&q=${'%25'.repeat(3)}`);
    expect(junk.status).to.equal(200);
  });

  it('when the board has many cards then it is loaded with the same number of queries as with one', async () => {
    const agent = await login(ctx.app, world.bureauA.email, world.bureauA.password);
    const count = async () => {
      const original = ctx.db.prepare.bind(ctx.db);
      let n = 0;
      ctx.db.prepare = ((sql: string) => {
        if (/pipeline_cards|pipeline_stages/.test(sql)) n++;
        return original(sql);
      }) as typeof ctx.db.prepare;
      try {
        expect((await agent.get(`/recrutement/offres/${posting.id}`)).status).to.equal(200);
      } finally {
        ctx.db.prepare = original;
      }
      return n;
    };
    const one = await count();
    for (let i = 0; i < 25; i++) createApplication(ctx.db, posting);
    expect(await count()).to.equal(one);
    expect(one).to.be.at.most(3);
  });
});
