import { expect } from 'chai';
import { csrfOf, login, pageText, type Agent } from '../helpers/agent.js';
import { createTestContext, type TestContext } from '../helpers/app.js';
import { createWorld } from '../helpers/factories.js';
import { lastMailTo } from '../helpers/mail.js';
import { cardOf, createApplication, createPosting, stageByKey, stagesOf, type PostingFixture } from './fixtures.js';

describe('pipeline: stages per posting and candidate mail templates', () => {
  let ctx: TestContext;
  let world: Awaited<ReturnType<typeof createWorld>>;
  let posting: PostingFixture;
  let bureau: Agent;
  let token: string;
  beforeEach(async () => {
    ctx = createTestContext();
    world = await createWorld(ctx.db);
    posting = createPosting(ctx.db, world.orgA.id);
    bureau = await login(ctx.app, world.bureauA.email, world.bureauA.password);
    token = await csrfOf(bureau, `/recrutement/offres/${posting.id}/etapes`);
  });
  afterEach(() => ctx.close());
  const post = (path: string, fields: Record<string, unknown> = {}) => bureau.post(path).type('form').send({ _csrf: token, ...fields });
  const names = () => stagesOf(ctx.db, posting.id).map((s) => s.name);

  it('when a posting is created then it has the French default stages in order', () => {
    expect(names()).to.deep.equal(['Nouvelle candidature', 'Présélection', 'Entretien', 'Jury', 'Proposition', 'Recruté(e)', 'Non retenu(e)', 'Désistement']);
  });

  it('when the bureau renames, adds and reorders middle stages during hiring then no candidate is lost', async () => {
    const app = createApplication(ctx.db, posting);
    const jury = stageByKey(ctx.db, posting.id, 'jury');
    await post(`/recrutement/candidatures/${app.id}/deplacer`, { stage_id: jury.id, expected_stage_id: stageByKey(ctx.db, posting.id, 'new').id });
    expect((await post(`/recrutement/offres/${posting.id}/etapes/${jury.id}`, { name: 'Jury final' })).status).to.equal(303);
    expect((await post(`/recrutement/offres/${posting.id}/etapes`, { name: 'Mise en situation' })).status).to.equal(303);
    expect(names()).to.deep.equal(['Nouvelle candidature', 'Présélection', 'Entretien', 'Jury final', 'Proposition', 'Mise en situation', 'Recruté(e)', 'Non retenu(e)', 'Désistement']);
    const added = stagesOf(ctx.db, posting.id).find((s) => s.name === 'Mise en situation')!;
    await post(`/recrutement/offres/${posting.id}/etapes/${added.id}/ordre`, { direction: 'up' });
    await post(`/recrutement/offres/${posting.id}/etapes/${jury.id}/ordre`, { direction: 'up' });
    expect(names().slice(1, 6)).to.deep.equal(['Présélection', 'Jury final', 'Entretien', 'Mise en situation', 'Proposition']);
    expect(cardOf(ctx.db, app.id).stage_id).to.equal(jury.id);
    const board = pageText((await bureau.get(`/recrutement/offres/${posting.id}`)).text);
    expect(board).to.match(/Jury final 1 candidature\b/);
    // Deleting: refused while a candidate is in it, allowed once empty.
    const refused = await post(`/recrutement/offres/${posting.id}/etapes/${jury.id}/supprimer`);
    expect(refused.status).to.equal(409);
    expect(pageText(refused.text)).to.contain('Cette étape contient encore des candidatures');
    expect((await post(`/recrutement/offres/${posting.id}/etapes/${added.id}/supprimer`)).status).to.equal(303);
    expect(names()).not.to.include('Mise en situation');
    expect(stagesOf(ctx.db, posting.id).map((s) => s.position)).to.deep.equal([1, 2, 3, 4, 5, 6, 7, 8]);
  });

  it('when a stage name is empty, too long, taken, or the stage is fixed then 422 with the message and nothing changes', async () => {
    const interview = stageByKey(ctx.db, posting.id, 'interview');
    const cases: [Record<string, unknown>, string, number][] = [
      [{ name: '' }, 'Ce champ est obligatoire.', interview.id],
      [{ name: 'x'.repeat(61) }, 'Le nom de l’étape ne doit pas dépasser 60 caractères.', interview.id],
      [{ name: 'jury' }, 'Une étape de cette offre porte déjà ce nom.', interview.id],
      [{ name: 'Autre' }, 'ne peut être ni renommée ni déplacée', stageByKey(ctx.db, posting.id, 'new').id],
    ];
    for (const [fields, message, id] of cases) {
      const res = await post(`/recrutement/offres/${posting.id}/etapes/${id}`, fields);
      expect(res.status, message).to.equal(422);
      expect(pageText(res.text)).to.contain(message);
    }
    const add = await post(`/recrutement/offres/${posting.id}/etapes`, { name: 'Présélection' });
    expect(add.status).to.equal(422);
    expect(names()).to.have.length(8);
    expect(names()[2]).to.equal('Entretien');
  });

  it('when another CPTS, the chargée de mission or a coordinator touches the stages then 404', async () => {
    for (const user of [world.bureauB, world.chargeA, world.coordinatorA]) {
      const agent = await login(ctx.app, user.email, user.password);
      expect((await agent.get(`/recrutement/offres/${posting.id}/etapes`)).status).to.equal(404);
      const csrf = await csrfOf(agent, '/compte');
      const res = await agent.post(`/recrutement/offres/${posting.id}/etapes`).type('form').send({ _csrf: csrf, name: 'Piratée' });
      expect(res.status).to.equal(404);
      const anon = await agent.post(`/recrutement/offres/${posting.id}/anonymisation`).type('form').send({ _csrf: csrf, anonymised: '1' });
      expect(anon.status).to.equal(404);
    }
    expect(names()).not.to.include('Piratée');
  });

  it('when the bureau turns anonymised screening on then it is saved and audited', async () => {
    expect((await post(`/recrutement/offres/${posting.id}/anonymisation`, { anonymised: '1' })).status).to.equal(303);
    expect(ctx.db.prepare('SELECT anonymised FROM pipeline_settings WHERE posting_id = ?').get(posting.id)).to.deep.equal({ anonymised: 1 });
    expect(ctx.db.prepare("SELECT COUNT(*) AS n FROM audit_log WHERE action = 'pipeline.anonymisation_set'").get()).to.deep.equal({ n: 1 });
  });

  describe('mail templates', () => {
    const base = () => `/recrutement/organisations/${world.orgA.id}/modeles`;

    it('when the bureau lists the templates then the five Coordo templates show', async () => {
      const text = pageText((await bureau.get(base())).text);
      for (const name of ['Accusé de réception', 'Invitation à un entretien', 'Refus sans entretien', 'Refus après entretien', 'Proposition d’embauche']) expect(text).to.contain(name);
    });

    it('when the bureau previews then nothing is saved; when it saves then the rejection mail uses its copy; reset restores', async () => {
      const preview = await post(`${base()}/rejection`, { subject: 'Réponse de la {cpts}', body: 'Bonjour {candidat},\n\nMerci pour « {offre} ». <b>gras</b>', intent: 'preview' });
      expect(preview.status).to.equal(200);
      expect(pageText(preview.text)).to.contain('Bonjour Claire Martin');
      expect(preview.text).not.to.contain('<b>gras</b>');
      expect(ctx.db.prepare('SELECT COUNT(*) AS n FROM candidate_mail_templates').get()).to.deep.equal({ n: 0 });
      expect((await post(`${base()}/rejection`, { subject: 'Réponse de la {cpts}', body: 'Bonjour {candidat},\n\nMerci pour « {offre} ». <b>gras</b>', intent: 'save' })).status).to.equal(303);
      const app = createApplication(ctx.db, posting, { firstName: 'Paul', lastName: 'Durand' });
      await post(`/recrutement/candidatures/${app.id}/refuser`, { expected_stage_id: stageByKey(ctx.db, posting.id, 'new').id, reason: 'profile', mail: 'rejection' });
      const mail = lastMailTo(ctx.db, app.email);
      expect(mail.subject).to.equal('Réponse de la CPTS Alpha');
      expect(mail.text_body).to.contain('Bonjour Paul Durand');
      expect(mail.html_body).to.contain('&lt;b&gt;gras&lt;/b&gt;');
      expect((await post(`${base()}/rejection`, { intent: 'reset' })).status).to.equal(303);
      expect(ctx.db.prepare('SELECT COUNT(*) AS n FROM candidate_mail_templates').get()).to.deep.equal({ n: 0 });
    });

    it('when the CPTS writes its copy in French then only French candidates get it; its English copy goes to English candidates; each language resets alone', async () => {
      const reject = async (locale: 'fr' | 'en') => {
        const app = createApplication(ctx.db, posting, { firstName: 'Paul', lastName: `Durand-${locale}` });
        ctx.db.prepare('UPDATE applications SET locale = ? WHERE id = ?').run(locale, app.id);
        await post(`/recrutement/candidatures/${app.id}/refuser`, { expected_stage_id: stageByKey(ctx.db, posting.id, 'new').id, reason: 'profile', mail: 'rejection' });
        return lastMailTo(ctx.db, app.email);
      };
      expect((await post(`${base()}/rejection`, { subject: 'Réponse de la {cpts}', body: 'Bonjour {candidat},\n\nNotre réponse.', intent: 'save' })).status).to.equal(303);
      expect((await reject('fr')).subject).to.equal('Réponse de la CPTS Alpha');
      // No English copy yet: the English candidate gets Coordo's English text, never the French copy.
      const shipped = await reject('en');
      expect(shipped.subject).to.match(/^Your application for “/);
      expect(shipped.text_body).to.contain('Dear Paul Durand-en').and.not.to.contain('Notre réponse');
      const list = pageText((await bureau.get(base())).text);
      expect(list).to.contain('Modifier en français').and.to.contain('Modifier en anglais');

      // The English editor: its own copy, its preview in English, its form posting to ?langue=en.
      const editor = await bureau.get(`${base()}/rejection?langue=en`);
      expect(editor.status).to.equal(200);
      expect(editor.text).to.contain(`action="${base()}/rejection?langue=en"`);
      expect(pageText(editor.text)).to.contain('Version anglaise').and.to.contain('Dear Claire Martin');
      const saved = await bureau.post(`${base()}/rejection?langue=en`).type('form').send({ _csrf: token, subject: 'Our answer, {cpts}', body: 'Dear {candidat},\n\nOur answer.', intent: 'save' });
      expect(saved.status).to.equal(303);
      expect(saved.headers.location).to.equal(`${base()}/rejection?langue=en`);
      expect((await reject('en')).subject).to.equal('Our answer, CPTS Alpha');
      expect((await reject('fr')).subject).to.equal('Réponse de la CPTS Alpha');

      expect((await bureau.post(`${base()}/rejection?langue=en`).type('form').send({ _csrf: token, intent: 'reset' })).status).to.equal(303);
      expect(ctx.db.prepare('SELECT locale FROM candidate_mail_templates').pluck().all()).to.deep.equal(['fr']);
      expect((await bureau.get(`${base()}/rejection?langue=de`)).status).to.equal(404);
    });

    it('when a template has an unknown variable or an empty subject then 422 with messages and the text kept', async () => {
      const res = await post(`${base()}/offer`, { subject: '', body: 'Bonjour {prenom}', intent: 'save' });
      expect(res.status).to.equal(422);
      const text = pageText(res.text);
      expect(text).to.contain('Ce champ est obligatoire.');
      expect(text).to.contain('Ce texte contient une variable inconnue.');
      expect(res.text).to.contain('Bonjour {prenom}');
      expect(ctx.db.prepare('SELECT COUNT(*) AS n FROM candidate_mail_templates').get()).to.deep.equal({ n: 0 });
    });

    it('when someone else than the bureau asks for the templates, or an unknown key, then 404', async () => {
      expect((await bureau.get(`${base()}/inconnu`)).status).to.equal(404);
      for (const user of [world.bureauB, world.chargeA, world.coordinatorA]) {
        const agent = await login(ctx.app, user.email, user.password);
        expect((await agent.get(base())).status).to.equal(404);
        const csrf = await csrfOf(agent, '/compte');
        expect((await agent.post(`${base()}/offer`).type('form').send({ _csrf: csrf, subject: 'x', body: 'y' })).status).to.equal(404);
      }
    });
  });
});
