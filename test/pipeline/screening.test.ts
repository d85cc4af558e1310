import { expect } from 'chai';
import request from 'supertest';
import { csrfOf, login, pageText, type Agent } from '../helpers/agent.js';
import { createTestContext, type TestContext } from '../helpers/app.js';
import { createWorld } from '../helpers/factories.js';
import { cardOf, stageByKey } from './fixtures.js';
import { cvLine, screeningPosting } from './screening-fixtures.js';

describe('pipeline: the screening view goes through a stage, the CV beside the application', () => {
  let ctx: TestContext;
  let world: Awaited<ReturnType<typeof createWorld>>;
  let data: Awaited<ReturnType<typeof screeningPosting>>;
  let bureau: Agent;
  beforeEach(async () => {
    ctx = createTestContext();
    world = await createWorld(ctx.db);
    data = await screeningPosting(ctx.db, ctx.config.uploadDir, world.orgA.id, 4, { title: 'Coordination Alpha' });
    bureau = await login(ctx.app, world.bureauA.email, world.bureauA.password);
  });
  afterEach(() => ctx.close());

  const tri = (id: number) => `/recrutement/candidatures/${id}/tri`;
  const stage = (key: string) => stageByKey(ctx.db, data.posting.id, key).id;
  const post = async (agent: Agent, path: string, fields: Record<string, unknown>, page = tri(data.apps[0].id)) =>
    agent.post(path).type('form').send({ _csrf: await csrfOf(agent, page), ...fields });

  it('when the bureau opens an application then it shows its place in the stage, next and previous links, the actions and the CV inline', async () => {
    const [first, second, third] = data.apps;
    const page1 = await bureau.get(tri(first.id));
    expect(page1.status).to.equal(200);
    const text1 = pageText(page1.text);
    expect(text1).to.contain('1 sur 4 à l’étape « Nouvelle candidature »');
    expect(page1.text).to.contain(`href="${tri(second.id)}" rel="next"`);
    expect(page1.text).not.to.contain('rel="prev"');
    expect(text1).to.contain('Passer à « Présélection »');
    expect(text1).to.contain('Ne pas retenir');
    expect(text1).to.contain('Noter et passer à la suivante');
    // A PDF: the browser's viewer, from the authorised route, asked for inline.
    const doc1 = (ctx.db.prepare('SELECT id FROM application_documents WHERE application_id = ?').get(first.id) as { id: number }).id;
    expect(page1.text).to.contain(`<iframe class="document-frame" src="/recrutement/candidatures/${first.id}/documents/${doc1}?apercu=1"`);
    // A DOCX and an ODT: their text, in the page.
    const page2 = await bureau.get(tri(second.id));
    expect(page2.text).to.contain(`href="${tri(first.id)}" rel="prev"`);
    expect(pageText(page2.text)).to.contain(cvLine(second.name));
    const page3 = await bureau.get(tri(third.id));
    expect(pageText(page3.text)).to.contain(cvLine(third.name));
    expect(pageText(page3.text)).to.contain('3 sur 4');
  });

  it('when the PDF is asked for the viewer then it is sent inline, framable by the app only and not stored; otherwise as an attachment', async () => {
    const first = data.apps[0];
    const doc = (ctx.db.prepare('SELECT id FROM application_documents WHERE application_id = ?').get(first.id) as { id: number }).id;
    const inline = await bureau.get(`/recrutement/candidatures/${first.id}/documents/${doc}?apercu=1`);
    expect(inline.status).to.equal(200);
    expect(inline.headers['content-type']).to.equal('application/pdf');
    expect(inline.headers['content-disposition']).to.match(/^inline;/);
    expect(inline.headers['cache-control']).to.contain('no-store');
    expect(inline.headers['content-security-policy']).to.contain("frame-ancestors 'self'");
    expect(inline.headers['x-frame-options']).to.equal('SAMEORIGIN');
    const download = await bureau.get(`/recrutement/candidatures/${first.id}/documents/${doc}`);
    expect(download.headers['content-disposition']).to.match(/^attachment;/);
    expect(download.headers['cache-control']).to.contain('no-store');
  });

  it('when the bureau moves, rejects or notes from the view then each action lands on the next application of the stage, and the last one on the board', async () => {
    const [a, b, c, d] = data.apps;
    const moved = await post(bureau, `${tri(a.id)}/deplacer`, { stage_id: stage('screening'), expected_stage_id: stage('new') });
    expect(moved.status).to.equal(303);
    expect(moved.headers.location).to.equal(tri(b.id));
    expect(cardOf(ctx.db, a.id).stage_id).to.equal(stage('screening'));
    expect(pageText((await bureau.get(tri(b.id))).text)).to.contain('déplacé·e vers « Présélection »');

    const rejected = await post(bureau, `${tri(b.id)}/refuser`, { expected_stage_id: stage('new'), reason: 'experience', mail: 'auto' }, tri(b.id));
    expect(rejected.headers.location).to.equal(tri(c.id));
    expect(cardOf(ctx.db, b.id).rejection_reason).to.equal('experience');
    const mail = ctx.db.prepare("SELECT template FROM outbox WHERE to_address = ? ORDER BY id DESC").get(b.email) as { template: string };
    expect(mail.template).to.equal('candidate.rejection');

    // A note keeps the application where it is and goes on with the next one.
    const noted = await post(bureau, `${tri(c.id)}/noter`, { body: 'À revoir avec le bureau.' }, tri(c.id));
    expect(noted.headers.location).to.equal(tri(d.id));
    expect(cardOf(ctx.db, c.id).stage_id).to.equal(stage('new'));
    expect(pageText((await bureau.get(`/recrutement/candidatures/${c.id}`)).text)).to.contain('À revoir avec le bureau.');

    // After the last one, the screening comes back to those skipped earlier (c), then to the board.
    const afterLast = await post(bureau, `${tri(d.id)}/deplacer`, { stage_id: stage('screening'), expected_stage_id: stage('new') }, tri(d.id));
    expect(afterLast.headers.location).to.equal(tri(c.id));
    const done = await post(bureau, `${tri(c.id)}/refuser`, { expected_stage_id: stage('new'), reason: 'profile', mail: 'none' }, tri(c.id));
    expect(done.headers.location).to.equal(`/recrutement/offres/${data.posting.id}#col-${stage('new')}`);
    expect(pageText((await bureau.get(done.headers.location)).text)).to.contain('Plus aucune candidature à l’étape « Nouvelle candidature »');
  });

  it('when a form is incomplete or out of date then the view comes back with its message (422) or says what changed (409), never a 500', async () => {
    const [a] = data.apps;
    const noReason = await post(bureau, `${tri(a.id)}/refuser`, { expected_stage_id: stage('new'), mail: 'auto' });
    expect(noReason.status).to.equal(422);
    expect(pageText(noReason.text)).to.contain('1 sur 4');
    expect(noReason.text).to.contain('href="#f-reason"');
    const otherNeedsText = await post(bureau, `${tri(a.id)}/refuser`, { expected_stage_id: stage('new'), reason: 'other', reason_text: '', mail: 'none' });
    expect(otherNeedsText.status).to.equal(422);
    const emptyNote = await post(bureau, `${tri(a.id)}/noter`, { body: '   ' });
    expect(emptyNote.status).to.equal(422);
    const junk = await post(bureau, `${tri(a.id)}/deplacer`, { stage_id: 'abc', expected_stage_id: '-1' });
    expect(junk.status).to.equal(422);
    const rejectedStage = stageByKey(ctx.db, data.posting.id, 'rejected').id;
    const viaSelect = await post(bureau, `${tri(a.id)}/deplacer`, { stage_id: rejectedStage, expected_stage_id: stage('new') });
    expect(viaSelect.status).to.equal(422);
    expect(pageText(viaSelect.text)).to.contain('motif');
    const stale = await post(bureau, `${tri(a.id)}/deplacer`, { stage_id: stage('interview'), expected_stage_id: stage('screening') });
    expect(stale.status).to.equal(409);
    expect(stale.text).to.contain(`href="${tri(a.id)}"`);
    // Proposition is a hiring decision: the decision form records its rationale first.
    const offer = await post(bureau, `${tri(a.id)}/deplacer`, { stage_id: stage('offer'), expected_stage_id: stage('new') });
    expect(offer.status).to.equal(303);
    expect(offer.headers.location).to.equal(`/recrutement/candidatures/${a.id}/decision?issue=offer`);
    expect(cardOf(ctx.db, a.id).stage_id).to.equal(stage('new'));
  });

  it('when each role opens the view or posts its actions then the bureau may all, the chargée of the region reads and notes, the others get 404 and anonymous visitors the login', async () => {
    const [a] = data.apps;
    const actions = (): [string, Record<string, unknown>][] => [
      [`${tri(a.id)}/deplacer`, { stage_id: stage('screening'), expected_stage_id: stage('new') }],
      [`${tri(a.id)}/refuser`, { expected_stage_id: stage('new'), reason: 'profile', mail: 'none' }],
      [`${tri(a.id)}/noter`, { body: 'Lu.' }],
    ];
    // [view, move, reject, note]
    const matrix: [string, { email: string; password: string }, number[]][] = [
      ['chargé of another region', world.chargeB, [404, 404, 404, 404]],
      ['bureau of another CPTS', world.bureauB, [404, 404, 404, 404]],
      ['coordinator of the CPTS', world.coordinatorA, [404, 404, 404, 404]],
      ['instance admin', world.admin, [404, 404, 404, 404]],
      ['chargée of the region', world.chargeA, [200, 404, 404, 303]],
    ];
    for (const [who, user, expected] of matrix) {
      const agent = await login(ctx.app, user.email, user.password);
      expect((await agent.get(tri(a.id))).status, `${who} view`).to.equal(expected[0]);
      const csrf = await csrfOf(agent, '/compte');
      for (const [i, [path, fields]] of actions().entries()) {
        expect((await agent.post(path).type('form').send({ _csrf: csrf, ...fields })).status, `${who} ${path}`).to.equal(expected[i + 1]);
      }
      expect(cardOf(ctx.db, a.id).stage_id, who).to.equal(stage('new'));
    }
    const chargePage = await (await login(ctx.app, world.chargeA.email, world.chargeA.password)).get(tri(a.id));
    expect(pageText(chargePage.text)).not.to.contain('Passer à « Présélection »');
    expect(pageText(chargePage.text)).to.contain('Noter et passer à la suivante');

    const res = await request(ctx.app).get(tri(a.id));
    expect(res.status).to.equal(302);
    expect(res.headers.location).to.match(/^\/connexion\?suite=/);
    const visitor = request.agent(ctx.app);
    const csrf = await csrfOf(visitor, '/connexion');
    for (const [path, fields] of actions()) expect((await visitor.post(path).type('form').send({ _csrf: csrf, ...fields })).status, path).to.equal(401);
    // Without the token, even the bureau is refused before anything changes.
    for (const [path, fields] of actions()) expect((await bureau.post(path).type('form').send(fields)).status, `no token ${path}`).to.equal(403);
    expect(cardOf(ctx.db, a.id).stage_id).to.equal(stage('new'));
    expect((await bureau.get(tri(99_999_999))).status).to.equal(404);
    expect((await bureau.get('/recrutement/candidatures/abc/tri')).status).to.equal(404);
  });

  it('when the posting screens anonymously then no name or document shows until the documents are asked for, and that opening is recorded', async () => {
    const hidden = await screeningPosting(ctx.db, ctx.config.uploadDir, world.orgA.id, 3, { anonymised: true });
    const docx = hidden.apps[1];
    const before = await bureau.get(tri(docx.id));
    expect(before.status).to.equal(200);
    const text = pageText(before.text);
    expect(text).to.contain('Candidat·e n°');
    expect(text).not.to.contain(docx.name);
    expect(text).not.to.contain(docx.email);
    expect(text).not.to.contain(cvLine(docx.name));
    expect(before.text).not.to.contain('<iframe');
    expect(text).to.contain('Afficher les documents (ouverture enregistrée)');
    const reveals = () => (ctx.db.prepare("SELECT COUNT(*) AS n FROM pipeline_reveals WHERE application_id = ? AND what = 'document'").get(docx.id) as { n: number }).n;
    expect(reveals()).to.equal(0);

    const after = await bureau.get(`${tri(docx.id)}?documents=1`);
    expect(pageText(after.text)).to.contain(cvLine(docx.name));
    expect(reveals()).to.equal(1);
    const audit = ctx.db.prepare("SELECT COUNT(*) AS n FROM audit_log WHERE action = 'pipeline.document_opened' AND target_id = ?").get(docx.id) as { n: number };
    expect(audit.n).to.equal(1);
    // The identity stays masked in the page itself; a PDF is framed only on demand too.
    expect(pageText(after.text).split(cvLine(docx.name)).join('')).not.to.contain(docx.email);
    const pdf = hidden.apps[0];
    expect((await bureau.get(tri(pdf.id))).text).not.to.contain('<iframe');
    expect((await bureau.get(`${tri(pdf.id)}?documents=1`)).text).to.contain('<iframe');
  });

  it('when a document cannot be read then the view says why and offers the download', async () => {
    const [, docx] = data.apps;
    const stored = ctx.db.prepare('SELECT stored_name FROM application_documents WHERE application_id = ?').get(docx.id) as { stored_name: string };
    const fs = await import('node:fs');
    const path = await import('node:path');
    fs.writeFileSync(path.join(ctx.config.uploadDir, 'applications', stored.stored_name), Buffer.from('PK\u0003\u0004 not really a zip'));
    const res = await bureau.get(tri(docx.id));
    expect(res.status).to.equal(200);
    expect(pageText(res.text)).to.contain('Ce document n’a pas pu être lu ici');
    expect(pageText(res.text)).to.contain('Télécharger le document');
  });

  it('when the list or the board shows an application then its name opens the screening view', async () => {
    const board = await bureau.get(`/recrutement/offres/${data.posting.id}`);
    expect(board.text).to.contain(`href="${tri(data.apps[0].id)}"`);
    const list = await bureau.get(`/recrutement/offres/${data.posting.id}/liste`);
    expect(list.text).to.contain(`href="${tri(data.apps[0].id)}"`);
  });

  it('when the view is read in English then its strings are English', async () => {
    ctx.db.prepare("UPDATE users SET locale = 'en' WHERE id = ?").run(world.bureauA.id);
    const agent = await login(ctx.app, world.bureauA.email, world.bureauA.password);
    const text = pageText((await agent.get(tri(data.apps[0].id))).text);
    expect(text).to.contain('1 of 4 at the “Nouvelle candidature” stage');
    expect(text).to.contain('Move to “Présélection”');
    expect(text).to.contain('Keyboard shortcuts');
  });
});
