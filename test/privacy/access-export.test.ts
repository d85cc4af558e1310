import { expect } from 'chai';
import { nowIso } from '../../server/core/db.js';
import { newToken } from '../../server/core/tokens.js';
import { anonymous, pageText } from '../helpers/agent.js';
import { createTestContext, type TestContext } from '../helpers/app.js';
import { binary, unzip } from '../helpers/zip.js';
import { as, criteriaIds, evaluationWorld, fullForm, post, seatPanel } from '../evaluation/fixtures.js';
import { createApplication } from '../pipeline/fixtures.js';

type World = Awaited<ReturnType<typeof evaluationWorld>>;

function linkFor(ctx: TestContext, applicationId: number, expiresInDays = 30): string {
  const { token, hash } = newToken();
  ctx.db.prepare('INSERT INTO application_links (application_id, token_hash, expires_at, created_at) VALUES (?, ?, ?, ?)').run(applicationId, hash, nowIso(new Date(Date.now() + expiresInDays * 86_400_000)), nowIso());
  return `/candidature/${token}`;
}

describe('privacy: the access export holds everything kept about the person, readable', function () {
  this.timeout(30_000);
  let ctx: TestContext;
  let w: World;
  let link: string;

  before(async () => {
    ctx = createTestContext();
    w = await evaluationWorld(ctx.db, ctx.config.uploadDir);
    seatPanel(ctx.db, w.posting.id, w.orgA.id, [{ id: w.chargeA.id, kind: 'charge', chair: true }, { id: w.bureauA.id }]);
    // The same person also applied to the CPTS's other posting, and to another CPTS.
    const email = (ctx.db.prepare('SELECT c.email FROM applications a JOIN candidates c ON c.id = a.candidate_id WHERE a.id = ?').pluck().get(w.a1.id) as string);
    createApplication(ctx.db, w.other, { firstName: 'Élodie', lastName: 'Martin', email, message: 'Aussi intéressée par la gestion de cas.' });
    createApplication(ctx.db, w.foreign, { firstName: 'Élodie', lastName: 'Martin', email, message: 'Message à une autre CPTS.' });
    ctx.db.prepare("INSERT INTO pipeline_notes (organisation_id, application_id, author_name, body, created_at) VALUES (?, ?, 'Bureau A', 'Note sur Élodie : très motivée', ?)").run(w.orgA.id, w.a1.id, nowIso());
    const charge = await as(ctx.app, w.chargeA.email);
    expect((await charge.get(`/recrutement/candidatures/${w.a1.id}/evaluation`)).status).to.equal(200);
    const ids = criteriaIds(ctx.db, w.posting.id);
    expect((await post(charge, `/recrutement/candidatures/${w.a1.id}/evaluation`, fullForm(ids, '4', { comment: 'Commentaire-CHARGE', summary: 'Synthèse-CHARGE', recommendation: 'strong_yes' }))).status).to.equal(303);
    link = linkFor(ctx, w.a1.id);
  });
  after(() => ctx.close());

  it('when the candidate opens the summary from their link then every application of this CPTS, notes and evaluations show with labels, never codes or another CPTS', async () => {
    const res = await anonymous(ctx.app).get(`${link}/donnees`);
    expect(res.status).to.equal(200);
    expect(res.headers['cache-control']).to.contain('no-store');
    const text = pageText(res.text);
    expect(text).to.contain('Vos données conservées par la CPTS Alpha');
    expect(text).to.contain('Coordinateur·rice CPTS Alpha').and.to.contain('Gestionnaire de cas Alpha');
    expect(text).to.contain('Aussi intéressée par la gestion de cas.').and.not.to.contain('Message à une autre CPTS.');
    expect(text).to.contain('Note sur Élodie : très motivée');
    expect(text).to.contain('Commentaire-CHARGE').and.to.contain('Synthèse-CHARGE').and.to.contain('Excellent');
    expect(text).to.contain('Entretien'); // the stage, by its name
    for (const code of ['in_review', 'strong_yes', 'submitted', 'interview']) expect(text, code).not.to.match(new RegExp(`\\b${code}\\b`));
  });

  it('when the summary names a posting then it gives its reference in the reader’s language, and the JSON gives title and reference apart', async () => {
    const reference = ctx.db.prepare('SELECT reference FROM postings WHERE id = ?').pluck().get(w.posting.id) as string;
    const fr = pageText((await anonymous(ctx.app).get(`${link}/donnees`)).text);
    expect(fr).to.contain(`(Réf. ${reference})`);
    const en = pageText((await anonymous(ctx.app).get(`${link}/donnees`).set('cookie', 'coordo.lang=en')).text);
    expect(en).to.contain(`(Ref. ${reference})`).and.not.to.contain('Réf.');
    const res = await anonymous(ctx.app).get(`${link}/donnees.zip`).buffer(true).parse(binary);
    const json = JSON.parse((await unzip(res.body as Buffer)).get('candidature.json')!.toString('utf8'));
    expect(json.everything.notes[0].posting).to.deep.equal({ title: 'Coordinateur·rice CPTS Alpha', reference });
  });

  it('when the candidate downloads the ZIP then the JSON lists every application of this CPTS and the evaluations', async () => {
    const res = await anonymous(ctx.app).get(`${link}/donnees.zip`).buffer(true).parse(binary);
    const files = await unzip(res.body as Buffer);
    const json = JSON.parse(files.get('candidature.json')!.toString('utf8'));
    expect(json.everything.applications).to.have.length(2);
    expect(json.everything.ratings.map((r: { comment: string }) => r.comment)).to.include('Commentaire-CHARGE');
    expect(json.everything.notes).to.have.length(1);
    expect(files.has('resume.html')).to.equal(true);
  });

  it('when the link is unknown or expired then the summary is refused (404, 410)', async () => {
    expect((await anonymous(ctx.app).get('/candidature/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA/donnees')).status).to.equal(404);
    const expired = linkFor(ctx, w.a1.id, -1);
    expect((await anonymous(ctx.app).get(`${expired}/donnees`)).status).to.equal(410);
  });

  it('when a bureau member on the panel has not evaluated yet then their copy withholds the others’ evaluations; once submitted it shows them', async () => {
    const bureau = await as(ctx.app, w.bureauA.email);
    const page = `/recrutement/candidatures/${w.a1.id}/donnees`;
    const before = await bureau.get(page);
    expect(before.status).to.equal(200);
    expect(pageText(before.text)).to.contain('Note sur Élodie').and.not.to.contain('Commentaire-CHARGE');
    const zip = await bureau.get(`${page}.zip`).buffer(true).parse(binary);
    expect((await unzip(zip.body as Buffer)).get('candidature.json')!.toString('utf8')).not.to.contain('Commentaire-CHARGE');
    expect((await bureau.get(`/recrutement/candidatures/${w.a1.id}/evaluation`)).status).to.equal(200);
    expect((await post(bureau, `/recrutement/candidatures/${w.a1.id}/evaluation`, fullForm(criteriaIds(ctx.db, w.posting.id), '2', { comment: 'Commentaire-BUREAU' }))).status).to.equal(303);
    expect(pageText((await bureau.get(page)).text)).to.contain('Commentaire-CHARGE').and.to.contain('Commentaire-BUREAU');
    expect(ctx.db.prepare("SELECT COUNT(*) FROM audit_log WHERE action = 'application.exported_by_bureau' AND actor_user_id = ?").pluck().get(w.bureauA.id)).to.be.at.least(2);
  });

  it('when someone outside the CPTS’s bureau asks for the summary then 404', async () => {
    for (const u of [w.bureauB, w.coordinatorA, w.chargeB]) {
      const agent = await as(ctx.app, u.email);
      expect((await agent.get(`/recrutement/candidatures/${w.a1.id}/donnees`)).status, u.email).to.equal(404);
    }
    expect((await anonymous(ctx.app).get(`/recrutement/candidatures/${w.a1.id}/donnees`)).status).to.be.oneOf([302, 303]);
  });
});
