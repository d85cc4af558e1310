import { expect } from 'chai';
import { csrfOf, login, pageText, type Agent } from '../helpers/agent.js';
import { createTestContext, type TestContext } from '../helpers/app.js';
import { createWorld } from '../helpers/factories.js';
import { lastMailTo, mailsTo } from '../helpers/mail.js';
import { cardOf, createApplication, createPosting, stageByKey } from './fixtures.js';

describe('pipeline: notes with mentions, and the anonymised first screening', () => {
  let ctx: TestContext;
  let world: Awaited<ReturnType<typeof createWorld>>;
  let bureau: Agent;
  beforeEach(async () => {
    ctx = createTestContext();
    world = await createWorld(ctx.db);
    bureau = await login(ctx.app, world.bureauA.email, world.bureauA.password);
  });
  afterEach(() => ctx.close());

  const note = async (agent: Agent, applicationId: number, fields: Record<string, unknown>) => {
    const csrf = await csrfOf(agent, `/recrutement/candidatures/${applicationId}`);
    return agent.post(`/recrutement/candidatures/${applicationId}/notes`).type('form').send({ _csrf: csrf, ...fields });
  };
  const noteCount = () => (ctx.db.prepare('SELECT COUNT(*) AS n FROM pipeline_notes').get() as { n: number }).n;

  it('when the bureau adds a note with script in it then it shows escaped on the timeline', async () => {
    const app = createApplication(ctx.db, createPosting(ctx.db, world.orgA.id));
    const res = await note(bureau, app.id, { body: '<script>alert(1)</script>\nDeuxième ligne' });
    expect(res.status).to.equal(303);
    const page = await bureau.get(`/recrutement/candidatures/${app.id}`);
    expect(page.text).not.to.contain('<script>alert(1)</script>');
    expect(page.text).to.contain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(pageText(page.text)).to.contain('Note de Bureau A');
  });

  it('when a note is empty or 50,000 characters long then 422 with the limit message, the text kept, nothing written', async () => {
    const app = createApplication(ctx.db, createPosting(ctx.db, world.orgA.id));
    const long = 'a'.repeat(50_000);
    const res = await note(bureau, app.id, { body: long });
    expect(res.status).to.equal(422);
    expect(pageText(res.text)).to.contain('La note ne doit pas dépasser 10 000 caractères.');
    expect(res.text).to.contain(long);
    const empty = await note(bureau, app.id, { body: '   ' });
    expect(empty.status).to.equal(422);
    expect(pageText(empty.text)).to.contain('Écrivez le texte de la note.');
    expect(noteCount()).to.equal(0);
    expect((await note(bureau, app.id, { body: 'b'.repeat(10_000) })).status).to.equal(303);
  });

  it('when a note mentions the chargée de mission (ticked or @Name) then she gets a mail with a link, not the note text', async () => {
    const app = createApplication(ctx.db, createPosting(ctx.db, world.orgA.id, { title: 'Coordination Alpha' }), { firstName: 'Nina', lastName: 'Roux' });
    const res = await note(bureau, app.id, { body: 'Avis secret, @Chargée A peux-tu regarder ?' });
    expect(res.status).to.equal(303);
    const mail = lastMailTo(ctx.db, world.chargeA.email);
    expect(mail.subject).to.match(/^Vous êtes mentionné·e dans une note\u00a0: Coordination Alpha \(Réf\. \d{4}-\d{2}(, [^)]+)?\)$/);
    expect(mail.text_body).to.contain(`/recrutement/candidatures/${app.id}#note-`);
    expect(mail.text_body).not.to.contain('Avis secret');
    expect(mailsTo(ctx.db, world.chargeB.email)).to.have.length(0);
    const ticked = await note(bureau, app.id, { body: 'Deuxième avis', mentions: String(world.chargeA.id) });
    expect(ticked.status).to.equal(303);
    expect(mailsTo(ctx.db, world.chargeA.email)).to.have.length(2);
    expect(pageText((await bureau.get(`/recrutement/candidatures/${app.id}`)).text)).to.contain('mentionne : Chargée A');
  });

  it('when a note mentions someone outside the hiring (another region, a coordinator) then 422 and nothing is written', async () => {
    const app = createApplication(ctx.db, createPosting(ctx.db, world.orgA.id));
    for (const outsider of [world.chargeB, world.coordinatorA]) {
      const res = await note(bureau, app.id, { body: 'Avis', mentions: [String(outsider.id)] });
      expect(res.status).to.equal(422);
    }
    expect(noteCount()).to.equal(0);
  });

  it('when the chargée de mission of the region follows along then she reads and notes, but cannot move', async () => {
    const posting = createPosting(ctx.db, world.orgA.id);
    const app = createApplication(ctx.db, posting);
    const charge = await login(ctx.app, world.chargeA.email, world.chargeA.password);
    const board = await charge.get(`/recrutement/offres/${posting.id}`);
    expect(board.status).to.equal(200);
    expect(pageText(board.text)).to.contain('Vous suivez ce recrutement en lecture');
    expect(board.text).not.to.contain('/deplacer');
    expect((await note(charge, app.id, { body: 'Bon profil pour le territoire.' })).status).to.equal(303);
    const csrf = await csrfOf(charge, `/recrutement/candidatures/${app.id}`);
    const from = stageByKey(ctx.db, posting.id, 'new').id;
    const moveRes = await charge.post(`/recrutement/candidatures/${app.id}/deplacer`).type('form').send({ _csrf: csrf, stage_id: stageByKey(ctx.db, posting.id, 'interview').id, expected_stage_id: from });
    expect(moveRes.status).to.equal(404);
    expect(cardOf(ctx.db, app.id).stage_id).to.equal(from);
  });

  describe('anonymised screening', () => {
    it('when the option is on then screeners see "Candidat·e n°N", not the name, e-mail or phone, and searching the name finds nothing', async () => {
      const posting = createPosting(ctx.db, world.orgA.id, { anonymised: true });
      const app = createApplication(ctx.db, posting, { firstName: 'Zoé', lastName: 'Lambert', email: 'zoe.lambert@example.test' });
      for (const path of [`/recrutement/offres/${posting.id}`, `/recrutement/offres/${posting.id}/liste`, `/recrutement/candidatures/${app.id}`]) {
        const text = pageText((await bureau.get(path)).text);
        expect(text, path).to.contain('Candidat·e n°1');
        expect(text, path).not.to.contain('Lambert');
        expect(text, path).not.to.contain('zoe.lambert');
      }
      expect(pageText((await bureau.get(`/recrutement/candidatures/${app.id}`)).text)).to.contain('l’interdiction des discriminations à l’embauche');
      const search = pageText((await bureau.get(`/recrutement/offres/${posting.id}/liste?q=Lambert`)).text);
      expect(search).to.contain('0 candidature');
    });

    it('when a screener reveals the identity then it is shown to them, recorded in the timeline and audited', async () => {
      const posting = createPosting(ctx.db, world.orgA.id, { anonymised: true });
      const app = createApplication(ctx.db, posting, { firstName: 'Zoé', lastName: 'Lambert' });
      const csrf = await csrfOf(bureau, `/recrutement/candidatures/${app.id}`);
      const res = await bureau.post(`/recrutement/candidatures/${app.id}/reveler`).type('form').send({ _csrf: csrf });
      expect(res.status).to.equal(303);
      const page = pageText((await bureau.get(`/recrutement/candidatures/${app.id}`)).text);
      expect(page).to.contain('Zoé Lambert');
      expect(page).to.contain('Anonymat levé par Bureau A');
      expect(ctx.db.prepare("SELECT actor_user_id, target_id FROM audit_log WHERE action = 'pipeline.identity_revealed'").get()).to.deep.equal({ actor_user_id: world.bureauA.id, target_id: app.id });
      // Still hidden for the chargée, who did not ask.
      const charge = await login(ctx.app, world.chargeA.email, world.chargeA.password);
      expect(pageText((await charge.get(`/recrutement/candidatures/${app.id}`)).text)).not.to.contain('Lambert');
    });

    it('when a document is opened during screening then the opening is recorded and audited; download is an attachment', async () => {
      const posting = createPosting(ctx.db, world.orgA.id, { anonymised: true });
      const app = createApplication(ctx.db, posting, { firstName: 'Zoé', lastName: 'Lambert', document: { uploadDir: ctx.config.uploadDir } });
      const docId = (ctx.db.prepare('SELECT id FROM application_documents WHERE application_id = ?').get(app.id) as { id: number }).id;
      const page = pageText((await bureau.get(`/recrutement/candidatures/${app.id}`)).text);
      expect(page).to.contain('Ouvrir à la demande (ouverture enregistrée)');
      expect(page).not.to.contain('CV Zoé Lambert');
      const res = await bureau.get(`/recrutement/candidatures/${app.id}/documents/${docId}`);
      expect(res.status).to.equal(200);
      expect(res.headers['content-disposition']).to.match(/^attachment/);
      expect(res.headers['content-type']).to.equal('application/pdf');
      expect(ctx.db.prepare("SELECT COUNT(*) AS n FROM audit_log WHERE action = 'pipeline.document_opened'").get()).to.deep.equal({ n: 1 });
      expect(pageText((await bureau.get(`/recrutement/candidatures/${app.id}`)).text)).to.contain('Document ouvert pendant le tri anonymisé par Bureau A');
      const inline = await bureau.get(`/recrutement/candidatures/${app.id}/documents/${docId}?apercu=1`);
      expect(inline.headers['content-disposition']).to.match(/^inline/);
      // Another CPTS's bureau, a coordinator, a wrong document id: 404.
      const other = await login(ctx.app, world.bureauB.email, world.bureauB.password);
      expect((await other.get(`/recrutement/candidatures/${app.id}/documents/${docId}`)).status).to.equal(404);
      expect((await bureau.get(`/recrutement/candidatures/${app.id}/documents/${docId + 99}`)).status).to.equal(404);
    });

    it('when the application reaches Entretien then the identity shows for everyone, and stays shown if moved back', async () => {
      const posting = createPosting(ctx.db, world.orgA.id, { anonymised: true });
      const app = createApplication(ctx.db, posting, { firstName: 'Zoé', lastName: 'Lambert' });
      const csrf = await csrfOf(bureau, `/recrutement/offres/${posting.id}`);
      const interview = stageByKey(ctx.db, posting.id, 'interview').id;
      await bureau.post(`/recrutement/candidatures/${app.id}/deplacer`).type('form').send({ _csrf: csrf, stage_id: interview, expected_stage_id: stageByKey(ctx.db, posting.id, 'new').id });
      await bureau.post(`/recrutement/candidatures/${app.id}/deplacer`).type('form').send({ _csrf: csrf, stage_id: stageByKey(ctx.db, posting.id, 'screening').id, expected_stage_id: interview });
      const charge = await login(ctx.app, world.chargeA.email, world.chargeA.password);
      expect(pageText((await charge.get(`/recrutement/offres/${posting.id}`)).text)).to.contain('Zoé Lambert');
    });
  });
});
