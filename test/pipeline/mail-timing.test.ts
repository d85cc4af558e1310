import { expect } from 'chai';
import { deliverDueMail } from '../../server/core/mailer.js';
import { csrfOf, login, pageText, submitForm, type Agent } from '../helpers/agent.js';
import { createTestContext, type TestContext } from '../helpers/app.js';
import { createWorld } from '../helpers/factories.js';
import { mailsTo } from '../helpers/mail.js';
import { cardOf, createApplication, createPosting, stageByKey, type ApplicationFixture, type PostingFixture } from './fixtures.js';

type Row = Record<string, unknown>;
const RATIONALE = 'Meilleur score du jury sur la prise d’initiative et la connaissance du territoire.';

describe('pipeline: when candidate mails leave (undo window, held runner-up rejections, mail by what happened)', () => {
  let ctx: TestContext;
  let world: Awaited<ReturnType<typeof createWorld>>;
  let posting: PostingFixture;
  let app: ApplicationFixture;
  let bureau: Agent;
  let token: string;

  beforeEach(async () => {
    ctx = createTestContext();
    world = await createWorld(ctx.db);
    posting = createPosting(ctx.db, world.orgA.id, { title: 'Coordinatrice ou coordinateur (H/F)' });
    app = createApplication(ctx.db, posting, { firstName: 'Lou', lastName: 'Bernard' });
    bureau = await login(ctx.app, world.bureauA.email, world.bureauA.password);
    token = await csrfOf(bureau, `/recrutement/candidatures/${app.id}`);
  });
  afterEach(() => ctx.close());

  const stage = (key: string) => stageByKey(ctx.db, posting.id, key).id;
  const reject = (agent: Agent, a: ApplicationFixture, fields: Record<string, string> = {}) =>
    agent
      .post(`/recrutement/candidatures/${a.id}/refuser`)
      .type('form')
      .send({ _csrf: token, expected_stage_id: String(cardOf(ctx.db, a.id).stage_id), reason: 'profile', mail: 'auto', ...fields });
  const move = (a: ApplicationFixture, to: string) =>
    bureau.post(`/recrutement/candidatures/${a.id}/deplacer`).type('form').send({ _csrf: token, stage_id: String(stage(to)), expected_stage_id: String(cardOf(ctx.db, a.id).stage_id) });
  const pipelineMail = (applicationId: number) => ctx.db.prepare('SELECT * FROM pipeline_mails WHERE application_id = ? ORDER BY id DESC').get(applicationId) as Row;
  const interview = (a: ApplicationFixture, startsAt: Date, status = 'scheduled') =>
    ctx.db
      .prepare(
        `INSERT INTO interviews (organisation_id, posting_id, application_id, uid, starts_at, ends_at, duration_minutes, mode, organizer_name, organizer_email, status, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, 60, 'place', 'Bureau A', 'bureau@alpha.test', ?, ?, ?)`,
      )
      .run(world.orgA.id, posting.id, a.id, `uid-${a.id}-${status}`, startsAt.toISOString(), new Date(startsAt.getTime() + 3_600_000).toISOString(), status, startsAt.toISOString(), startsAt.toISOString());

  describe('the rejection mail follows what happened', () => {
    it('when the card passed Entretien but no interview took place then "auto" sends the rejection without interview', async () => {
      await move(app, 'interview');
      await move(app, 'screening');
      expect((await reject(bureau, app)).status).to.equal(303);
      expect(mailsTo(ctx.db, app.email).map((m) => m.template)).to.deep.equal(['candidate.rejection']);
    });

    it('when the only interview was cancelled or is still to come then "auto" sends the rejection without interview', async () => {
      interview(app, new Date(Date.now() - 86_400_000), 'cancelled');
      const later = createApplication(ctx.db, posting);
      interview(later, new Date(Date.now() + 86_400_000));
      await reject(bureau, app);
      await reject(bureau, later);
      expect(mailsTo(ctx.db, app.email).map((m) => m.template)).to.deep.equal(['candidate.rejection']);
      // The interview still to come is cancelled with the rejection, and the candidate told so.
      expect(mailsTo(ctx.db, later.email).map((m) => m.template).sort()).to.deep.equal(['candidate.rejection', 'interviews.cancelled']);
      expect(ctx.db.prepare('SELECT status FROM interviews WHERE application_id = ?').pluck().get(later.id)).to.equal('cancelled');
    });

    it('when an interview took place then "auto" sends the rejection after interview, and the form previews that one', async () => {
      interview(app, new Date(Date.now() - 86_400_000));
      const form = pageText((await bureau.get(`/recrutement/candidatures/${app.id}/refuser`)).text);
      expect(form).to.contain('Suite à votre entretien');
      await reject(bureau, app);
      expect(mailsTo(ctx.db, app.email).map((m) => m.template)).to.deep.equal(['candidate.rejection_after_interview']);
    });
  });

  describe('the undo window', () => {
    it('when a rejection mail is queued then it waits five minutes, the pages say so, and the sender does not send it yet', async () => {
      const before = Date.now();
      await reject(bureau, app);
      const [mail] = mailsTo(ctx.db, app.email);
      const row = ctx.db.prepare('SELECT next_attempt_at FROM outbox WHERE id = ?').get(mail.id) as { next_attempt_at: string };
      const wait = Date.parse(row.next_attempt_at) - before;
      expect(wait).to.be.within(4.9 * 60_000, 5.1 * 60_000);
      const candidate = pageText((await bureau.get(`/recrutement/candidatures/${app.id}`)).text);
      expect(candidate).to.contain('Courriels qui ne sont pas encore partis');
      expect(candidate).to.contain('Annuler l’envoi');
      expect(candidate).to.contain('laisse la candidature où elle est');
      const list = pageText((await bureau.get(`/recrutement/offres/${posting.id}/liste`)).text);
      expect(list).to.contain('1 courriel aux candidat·es part à');
      const sent: string[] = [];
      await deliverDueMail(ctx.db, { sendMail: async (m: { to?: unknown }) => void sent.push(String(m.to)) } as never, { from: 'test@coordo.test' });
      expect(sent).to.deep.equal([]);
      await deliverDueMail(ctx.db, { sendMail: async (m: { to?: unknown }) => void sent.push(String(m.to)) } as never, { from: 'test@coordo.test', now: () => new Date(before + 6 * 60_000) });
      expect(sent).to.deep.equal([app.email]);
    });

    it('when the bureau cancels the sending then the mail never leaves, the rejection stays, and the history says the mail was not sent', async () => {
      await reject(bureau, app);
      const pm = pipelineMail(app.id);
      const res = await submitForm(bureau, `/recrutement/courriels/${pm.id}/annuler`, { retour: `/recrutement/candidatures/${app.id}` }, `/recrutement/candidatures/${app.id}`);
      expect(res.status).to.equal(303);
      expect(res.headers.location).to.equal(`/recrutement/candidatures/${app.id}`);
      expect(mailsTo(ctx.db, app.email)).to.have.length(0);
      expect(cardOf(ctx.db, app.id).stage_id).to.equal(stage('rejected'));
      expect(pipelineMail(app.id)).to.include({ cancelled_by_name: 'Bureau A', outbox_id: null });
      const page = pageText((await bureau.get(`/recrutement/candidatures/${app.id}`)).text);
      expect(page).to.contain('Envoi annulé : le courriel ne partira pas. La candidature reste où elle est.');
      expect(page).to.contain('envoi annulé par Bureau A : courriel non envoyé');
      expect(page).not.to.contain('Courriels qui ne sont pas encore partis');
      const again = await submitForm(bureau, `/recrutement/courriels/${pm.id}/annuler`, {}, `/recrutement/candidatures/${app.id}`);
      expect(again.status).to.equal(303);
      expect(pageText((await bureau.get('/recrutement/courriels-en-attente')).text)).to.contain('Trop tard');
    });

    it('when the window is over then cancelling is refused and the mail stays queued', async () => {
      await reject(bureau, app);
      const pm = pipelineMail(app.id);
      ctx.db.prepare("UPDATE outbox SET next_attempt_at = '2000-01-01T00:00:00.000Z' WHERE id = ?").run(pm.outbox_id);
      await submitForm(bureau, `/recrutement/courriels/${pm.id}/annuler`, {}, '/recrutement/courriels-en-attente');
      expect(mailsTo(ctx.db, app.email)).to.have.length(1);
      expect(pipelineMail(app.id).cancelled_at).to.equal(null);
    });

    it('when someone without the right asks to cancel then 404 and the mail stays; a visitor goes to login', async () => {
      await reject(bureau, app);
      const pm = pipelineMail(app.id);
      for (const user of [world.bureauB, world.coordinatorA, world.chargeA]) {
        const agent = await login(ctx.app, user.email, user.password);
        const res = await submitForm(agent, `/recrutement/courriels/${pm.id}/annuler`, {}, '/compte');
        expect(res.status, user.email).to.equal(404);
        expect((await submitForm(agent, `/recrutement/courriels/${pm.id}/envoyer`, {}, '/compte')).status, user.email).to.equal(404);
      }
      const visitor = (await import('../helpers/agent.js')).anonymous(ctx.app);
      expect((await visitor.get('/recrutement/courriels-en-attente')).status).to.equal(302);
      expect(mailsTo(ctx.db, app.email)).to.have.length(1);
      // Another CPTS's bureau sees nothing of it on its own page.
      const other = await login(ctx.app, world.bureauB.email, world.bureauB.password);
      const page = pageText((await other.get('/recrutement/courriels-en-attente')).text);
      expect(page).not.to.contain('Lou Bernard');
      expect(page).to.contain('Aucun courriel en attente.');
    });
  });

  describe('runner-up rejections held until the post is filled', () => {
    let chosen: ApplicationFixture;
    beforeEach(() => {
      chosen = createApplication(ctx.db, posting, { firstName: 'Élodie', lastName: 'Martin', email: 'elodie@example.test', status: 'offer' });
    });
    const offerPath = () => `/recrutement/candidatures/${chosen.id}/offre`;

    async function hireChosen() {
      await submitForm(bureau, offerPath(), { start_date: '2027-01-04', contract_type: 'CDI', fte_percent: '100', salary_gross_yearly: '38000' }, offerPath());
      const offer = ctx.db.prepare("SELECT id FROM offers WHERE status = 'pending'").get() as { id: number };
      return submitForm(bureau, `${offerPath()}/reponse`, { offer_id: String(offer.id), outcome: 'accepted', rationale: RATIONALE }, offerPath());
    }

    it('when a runner-up seen at interview is rejected then the form proposes to send when the post is filled', async () => {
      await move(app, 'interview');
      await move(app, 'screening');
      const form = await bureau.get(`/recrutement/candidatures/${app.id}/refuser`);
      expect(form.text).to.match(/id="timing-filled" name="timing" value="filled" checked/);
      const fresh = createApplication(ctx.db, posting);
      const other = await bureau.get(`/recrutement/candidatures/${fresh.id}/refuser`);
      expect(other.text).to.match(/id="timing-now" name="timing" value="now" checked/);
    });

    it('when the rejection is held then nothing is queued until the offer is accepted, then it leaves with its undo window', async () => {
      const res = await reject(bureau, app, { timing: 'filled' });
      expect(res.status).to.equal(303);
      expect(cardOf(ctx.db, app.id).stage_id).to.equal(stage('rejected'));
      expect(mailsTo(ctx.db, app.email)).to.have.length(0);
      expect(pipelineMail(app.id)).to.include({ held_until_filled: 1, outbox_id: null, released_at: null });
      const waiting = pageText((await bureau.get('/recrutement/courriels-en-attente')).text);
      expect(waiting).to.contain('À envoyer quand le poste est pourvu');
      expect(waiting).to.contain('Lou Bernard');
      expect(pageText((await bureau.get(`/recrutement/candidatures/${app.id}`)).text)).to.contain('retenu jusqu’à ce que le poste soit pourvu');

      const hired = await hireChosen();
      expect(hired.status).to.equal(302);
      const mails = mailsTo(ctx.db, app.email);
      expect(mails.map((m) => m.template)).to.deep.equal(['candidate.rejection']);
      expect(mails[0].status).to.equal('pending');
      const row = ctx.db.prepare('SELECT next_attempt_at FROM outbox WHERE id = ?').get(mails[0].id) as { next_attempt_at: string };
      expect(Date.parse(row.next_attempt_at)).to.be.greaterThan(Date.now() + 4 * 60_000);
      expect(pipelineMail(app.id).released_at).to.be.a('string');
      const after = pageText((await bureau.get(`/recrutement/candidatures/${chosen.id}/cloture`)).text);
      expect(after).to.contain('1 courriel de refus retenu jusqu’au recrutement part maintenant');
    });

    it('when the bureau sends a held rejection now or decides not to send it then the choice is kept and a hire releases nothing more', async () => {
      const second = createApplication(ctx.db, posting, { firstName: 'Noé', lastName: 'Petit' });
      await reject(bureau, app, { timing: 'filled' });
      await reject(bureau, second, { timing: 'filled' });
      const first = pipelineMail(app.id);
      const res = await submitForm(bureau, `/recrutement/courriels/${first.id}/envoyer`, {}, '/recrutement/courriels-en-attente');
      expect(res.status).to.equal(303);
      expect(mailsTo(ctx.db, app.email)).to.have.length(1);
      await submitForm(bureau, `/recrutement/courriels/${pipelineMail(second.id).id}/annuler`, {}, '/recrutement/courriels-en-attente');
      expect(pipelineMail(second.id).cancelled_at).to.be.a('string');
      await hireChosen();
      expect(mailsTo(ctx.db, app.email)).to.have.length(1);
      expect(mailsTo(ctx.db, second.email)).to.have.length(0);
    });

    it('when the post is already filled then a rejection is not held', async () => {
      ctx.db.prepare("UPDATE postings SET status = 'filled' WHERE id = ?").run(posting.id);
      const res = await reject(bureau, app, { timing: 'filled' });
      expect(res.status).to.equal(303);
      expect(mailsTo(ctx.db, app.email)).to.have.length(1);
      expect(pipelineMail(app.id).held_until_filled).to.equal(0);
    });

    it('when runner-ups are bulk-rejected with "when filled" then their mails are held and the message says so', async () => {
      const more = [app, createApplication(ctx.db, posting)];
      const from = stage('new');
      const res = await bureau
        .post(`/recrutement/organisations/${world.orgA.id}/candidatures/lot`)
        .type('form')
        .send({ _csrf: token, ids: more.map((a) => `${a.id}:${from}`), action: 'reject', reason: 'other_candidate', mail: 'auto', timing: 'filled', retour: `/recrutement/offres/${posting.id}/liste` });
      expect(res.status).to.equal(303);
      for (const a of more) expect(mailsTo(ctx.db, a.email)).to.have.length(0);
      expect(pageText((await bureau.get(`/recrutement/offres/${posting.id}/liste`)).text)).to.contain('0 courriel de refus part dans 5 minutes, 2 partiront quand le poste sera pourvu');
    });
  });
});
