import fs from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import { anonymous, csrfFrom, login, pageText, type Agent } from '../helpers/agent.js';
import { createTestContext, type TestContext } from '../helpers/app.js';
import { binary, unzip } from '../helpers/zip.js';
import { createWorld } from '../helpers/factories.js';
import { lastMailTo, linkIn, mailsTo } from '../helpers/mail.js';
import { docxFile, pdfFile } from '../fixtures/documents.js';
import { publishedPosting } from '../fixtures/postings.js';
import { apply, cv, footprint, VALID_FIELDS } from './support.js';

type Row = Record<string, unknown>;

describe('applications: the candidate’s private link (status, withdraw, download, erase)', () => {
  let ctx: TestContext;
  let world: Awaited<ReturnType<typeof createWorld>>;
  let posting: { id: number; slug: string };
  let link: string;
  let candidate: Agent;
  beforeEach(async () => {
    ctx = createTestContext();
    world = await createWorld(ctx.db);
    posting = publishedPosting(ctx.db, world.bureauA.id, world.orgA.id);
    candidate = anonymous(ctx.app);
    await apply(candidate, posting.slug, { ...VALID_FIELDS, talent_pool: '1' }, [cv(), { field: 'other_document', data: await docxFile(), filename: 'Lettre de motivation.docx' }]);
    link = linkIn(lastMailTo(ctx.db, VALID_FIELDS.email), '/candidature/');
  });
  afterEach(() => ctx.close());

  const application = () => ctx.db.prepare('SELECT * FROM applications').get() as Row | undefined;

  it('when the link is valid then the candidate sees the posting, the status and their documents, uncached', async () => {
    const res = await anonymous(ctx.app).get(link);
    expect(res.status).to.equal(200);
    expect(res.headers['cache-control']).to.contain('no-store');
    const text = pageText(res.text);
    expect(text).to.contain('Ma candidature');
    expect(text).to.contain('CPTS Alpha');
    expect(text).to.contain('Reçue');
    expect(text).to.contain('CV Camille.pdf');
    expect(text).to.contain('Lettre de motivation.docx');
  });

  it('when the link has expired then 410 with an explanation; a malformed or unknown token is a 404', async () => {
    ctx.db.prepare('UPDATE application_links SET expires_at = ?').run('2020-01-01T00:00:00.000Z');
    const res = await anonymous(ctx.app).get(link);
    expect(res.status).to.equal(410);
    expect(pageText(res.text)).to.contain('Lien expiré');
    expect((await anonymous(ctx.app).get(`${link}/donnees.zip`)).status).to.equal(410);
    expect((await anonymous(ctx.app).get('/candidature/abc')).status).to.equal(404);
    expect((await anonymous(ctx.app).get(`/candidature/${'A'.repeat(43)}`)).status).to.equal(404);
  });

  it('when the candidate applies again then a fresh link is mailed and the earlier one keeps working', async () => {
    await apply(anonymous(ctx.app), posting.slug);
    const newLink = linkIn(lastMailTo(ctx.db, VALID_FIELDS.email), '/candidature/');
    expect(newLink).not.to.equal(link);
    expect((await anonymous(ctx.app).get(link)).status).to.equal(200);
    expect((await anonymous(ctx.app).get(newLink)).status).to.equal(200);
  });

  it('when the candidate deactivates the link then it stops working, and the application is kept', async () => {
    const page = await candidate.get(link);
    const res = await candidate.post(`${link}/desactiver`).type('form').send({ _csrf: csrfFrom(page.text) });
    expect(res.status).to.equal(200);
    expect((await anonymous(ctx.app).get(link)).status).to.equal(410);
    expect(application()).not.to.equal(undefined);
  });

  it('when the candidate withdraws then the status shows it, and a second withdrawal is refused politely', async () => {
    const page = await candidate.get(link);
    const res = await candidate.post(`${link}/retirer`).type('form').send({ _csrf: csrfFrom(page.text) });
    expect(res.status).to.equal(302);
    expect(application()).to.include({ status: 'withdrawn' });
    const after = await candidate.get(link);
    expect(pageText(after.text)).to.contain('Votre candidature a été retirée.');
    expect(pageText(after.text)).to.contain('Retirée');
    expect(after.text).not.to.contain('/retirer"');
    // Without a CSRF token: refused.
    expect((await anonymous(ctx.app).post(`${link}/retirer`).type('form').send({})).status).to.equal(403);
  });

  it('when a candidate who withdrew applies again then nothing changes until they take it up through the link; then it is back in "Nouvelle candidature" on the board', async () => {
    const page = await candidate.get(link);
    await candidate.post(`${link}/retirer`).type('form').send({ _csrf: csrfFrom(page.text) });
    const stageOf = () =>
      (ctx.db.prepare('SELECT s.kind FROM pipeline_cards c JOIN pipeline_stages s ON s.id = c.stage_id').get() as { kind: string }).kind;
    expect(stageOf()).to.equal('withdrawn');
    const again = await apply(anonymous(ctx.app), posting.slug, VALID_FIELDS, [cv()]);
    expect(again.status).to.equal(303);
    expect(application()).to.include({ status: 'withdrawn' });
    expect(stageOf()).to.equal('withdrawn');
    const mailed = linkIn(lastMailTo(ctx.db, VALID_FIELDS.email), '/candidature/');
    const other = anonymous(ctx.app);
    const linkPage = await other.get(mailed);
    expect(pageText(linkPage.text)).to.contain('Reprendre ma candidature');
    const res = await other.post(`${mailed}/reprendre`).type('form').send({ _csrf: csrfFrom(linkPage.text) });
    expect(res.status).to.equal(303);
    expect(pageText((await other.get(mailed)).text)).to.contain('Votre candidature est de nouveau active.');
    expect(application()).to.include({ status: 'received', withdrawn_at: null });
    expect(stageOf()).to.equal('new');
    const moves = ctx.db.prepare('SELECT reason FROM pipeline_moves ORDER BY id').all() as { reason: string }[];
    expect(moves.map((m) => m.reason)).to.deep.equal(['withdrawn_by_candidate', 'reapplied_by_candidate']);
    // Only a withdrawn application, with the posting open, can be taken up; nor without a token.
    const twice = await other.post(`${mailed}/reprendre`).type('form').send({ _csrf: csrfFrom((await other.get(mailed)).text) });
    expect(twice.status).to.equal(303);
    expect(pageText((await other.get(mailed)).text)).to.contain('Cette candidature ne peut pas être reprise.');
    expect((await anonymous(ctx.app).post(`${mailed}/reprendre`).type('form').send({})).status).to.equal(403);
    expect((ctx.db.prepare("SELECT COUNT(*) AS n FROM application_events WHERE action = 'resumed'").get() as Row).n).to.equal(1);
  });

  it('when the posting closed then a withdrawn application cannot be taken up', async () => {
    const page = await candidate.get(link);
    await candidate.post(`${link}/retirer`).type('form').send({ _csrf: csrfFrom(page.text) });
    ctx.db.prepare("UPDATE postings SET status = 'closed' WHERE id = ?").run(posting.id);
    const after = await candidate.get(link);
    expect(pageText(after.text)).not.to.contain('Reprendre ma candidature');
    await candidate.post(`${link}/reprendre`).type('form').send({ _csrf: csrfFrom(after.text) });
    expect(application()).to.include({ status: 'withdrawn' });
  });

  it('when the candidate leaves the talent pool then the consent is removed', async () => {
    const page = await candidate.get(link);
    await candidate.post(`${link}/vivier`).type('form').send({ _csrf: csrfFrom(page.text) });
    expect(application()).to.include({ talent_pool_consent: 0, talent_pool_at: null });
  });

  it('when the candidate downloads their data then a ZIP holds a JSON of everything and their documents', async () => {
    const res = await anonymous(ctx.app).get(`${link}/donnees.zip`).buffer(true).parse(binary);
    expect(res.status).to.equal(200);
    expect(res.headers['content-type']).to.contain('application/zip');
    expect(res.headers['content-disposition']).to.match(/^attachment; filename="?ma-candidature\.zip"?/);
    const files = await unzip(res.body as Buffer);
    expect([...files.keys()].sort()).to.deep.equal(['candidature.json', 'documents/1-CV Camille.pdf', 'documents/2-Lettre de motivation.docx', 'resume.html']);
    const summary = pageText(files.get('resume.html')!.toString('utf8'));
    expect(summary).to.contain('Vos données conservées par la CPTS Alpha').and.to.contain('Reçue').and.to.contain('Candidature envoyée').and.to.contain('a bien été reçue').and.to.contain('En attente d’envoi');
    for (const code of ['received', 'submitted', 'pending', 'board']) expect(summary, code).not.to.match(new RegExp(`\\b${code}\\b`));
    const json = JSON.parse(files.get('candidature.json')!.toString('utf8'));
    expect(json.candidate).to.deep.equal({ email: VALID_FIELDS.email, firstName: 'Camille', lastName: 'Martin', phone: '06 12 34 56 78' });
    expect(json.application).to.include({ status: 'received', message: VALID_FIELDS.message, talentPoolConsent: true, source: 'board' });
    expect(json.controller.name).to.equal('CPTS Alpha');
    expect(json.history.map((h: Row) => h.action)).to.deep.equal(['submitted']);
    expect(files.get('documents/1-CV Camille.pdf')!.equals(pdfFile())).to.equal(true);
  });

  it('when the candidate deletes their data then a confirmation is required, then rows and files are gone and the link is dead', async () => {
    const confirmPage = await candidate.get(`${link}/supprimer`);
    expect(confirmPage.status).to.equal(200);
    const token = csrfFrom(confirmPage.text);
    const unconfirmed = await candidate.post(`${link}/supprimer`).type('form').send({ _csrf: token });
    expect(unconfirmed.status).to.equal(422);
    expect(pageText(unconfirmed.text)).to.contain('Cochez la case pour confirmer la suppression.');
    expect(application()).not.to.equal(undefined);
    const stored = (ctx.db.prepare('SELECT stored_name FROM application_documents').all() as Row[]).map((r) => path.join(ctx.config.uploadDir, 'applications', String(r.stored_name)));
    expect(stored.every((f) => fs.existsSync(f))).to.equal(true);
    const res = await candidate.post(`${link}/supprimer`).type('form').send({ _csrf: token, confirm: '1' });
    expect(res.status).to.equal(200);
    expect(pageText(res.text)).to.contain('Données supprimées');
    expect(footprint(ctx)).to.include({ candidates: 0, applications: 0, documents: 0, links: 0, files: 0 });
    expect(stored.some((f) => fs.existsSync(f))).to.equal(false);
    expect((await anonymous(ctx.app).get(link)).status).to.equal(404);
    const audit = ctx.db.prepare("SELECT details, actor_label FROM audit_log WHERE action = 'application.erased_by_candidate'").get() as Row;
    expect(JSON.stringify(audit)).not.to.contain(VALID_FIELDS.email);
  });

  it('when the candidate applied twice to this CPTS and once to another then erasing from the link erases both of this CPTS’s, never the other’s', async () => {
    const other = publishedPosting(ctx.db, world.bureauA.id, world.orgA.id, { template: 'case_manager' });
    await apply(anonymous(ctx.app), other.slug);
    const elsewhere = publishedPosting(ctx.db, world.bureauB.id, world.orgB.id, { template: 'case_manager' });
    await apply(anonymous(ctx.app), elsewhere.slug);
    const page = await candidate.get(`${link}/supprimer`);
    expect(pageText(page.text)).to.contain('Vos autres candidatures auprès de la CPTS Alpha seront effacées');
    await candidate.post(`${link}/supprimer`).type('form').send({ _csrf: csrfFrom(page.text), confirm: '1' });
    expect(footprint(ctx)).to.include({ candidates: 1, applications: 1, documents: 1 });
    const left = ctx.db.prepare('SELECT organisation_id FROM applications').all() as Row[];
    expect(left).to.deep.equal([{ organisation_id: world.orgB.id }]);
    // The acknowledgements of this CPTS were still pending: cancelled; the other CPTS's stays.
    expect(mailsTo(ctx.db, VALID_FIELDS.email).map((m) => (m as unknown as Row).organisation_id)).to.deep.equal([world.orgB.id]);
  });

  it('when a bureau member is logged in then the candidate link still needs the token, not a session', async () => {
    const bureau = await login(ctx.app, world.bureauA.email, world.bureauA.password);
    expect((await bureau.get('/candidature/not-a-token')).status).to.equal(404);
  });
});
