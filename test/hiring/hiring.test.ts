import { expect } from 'chai';
import { anonymous, csrfOf, login, pageText, submitForm, type Agent } from '../helpers/agent.js';
import { createTestContext, type TestContext } from '../helpers/app.js';
import { createWorld } from '../helpers/factories.js';
import { lastMailTo, linkIn, mailsTo } from '../helpers/mail.js';
import { cardOf, createApplication, createPosting, stagesOf, type ApplicationFixture, type PostingFixture } from '../pipeline/fixtures.js';

type Row = Record<string, unknown>;
const RATIONALE = 'Meilleur score du jury sur la prise d’initiative et la connaissance du territoire.';

describe('hiring: offers, outcome and the hire', () => {
  let ctx: TestContext;
  let world: Awaited<ReturnType<typeof createWorld>>;
  let posting: PostingFixture;
  let chosen: ApplicationFixture;
  let other: ApplicationFixture;
  let early: ApplicationFixture;
  let bureau: Agent;

  beforeEach(async () => {
    ctx = createTestContext();
    world = await createWorld(ctx.db);
    posting = createPosting(ctx.db, world.orgA.id);
    chosen = createApplication(ctx.db, posting, { firstName: 'Élodie', lastName: 'Martin', email: 'elodie@example.test', status: 'offer' });
    other = createApplication(ctx.db, posting, { firstName: 'Paul', lastName: 'Durand', status: 'interview' });
    early = createApplication(ctx.db, posting, { firstName: 'Inès', lastName: 'Roux', status: 'received' });
    bureau = await login(ctx.app, world.bureauA.email, world.bureauA.password);
  });
  afterEach(() => ctx.close());

  const offerPath = () => `/recrutement/candidatures/${chosen.id}/offre`;
  const makeOffer = (agent: Agent, fields: Record<string, string> = {}) =>
    submitForm(agent, offerPath(), { start_date: '2027-01-04', contract_type: 'CDI', fte_percent: '100', salary_gross_yearly: '38 000', ...fields }, offerPath());
  const pendingId = () => (ctx.db.prepare("SELECT id FROM offers WHERE status = 'pending'").get() as { id: number }).id;
  const answer = (agent: Agent, fields: Record<string, string>) => submitForm(agent, `${offerPath()}/reponse`, { offer_id: String(pendingId()), ...fields }, offerPath());
  const stageKind = (applicationId: number) => stagesOf(ctx.db, posting.id).find((s) => s.id === cardOf(ctx.db, applicationId).stage_id)!.kind;

  it('when the bureau records an offer then it is listed with its terms, awaiting an answer', async () => {
    const res = await makeOffer(bureau);
    expect(res.status).to.equal(302);
    const page = pageText((await bureau.get(offerPath())).text);
    expect(page).to.contain('En attente de réponse');
    expect(page).to.contain('CDI, 100 %, 38 000 € brut par an');
  });

  it('when the offer form is invalid then the messages show and nothing is written', async () => {
    const res = await makeOffer(bureau, { contract_type: 'CDD', contract_duration_months: '', salary_gross_yearly: '50', start_date: 'demain' });
    expect(res.status).to.equal(422);
    const text = pageText(res.text);
    expect(text).to.contain('Pour un CDD, indiquez une durée de 1 à 36 mois.');
    expect(text).to.contain('Saisissez un salaire brut annuel');
    expect(text).to.contain('Saisissez une date au format AAAA-MM-JJ.');
    expect(ctx.db.prepare('SELECT COUNT(*) AS n FROM offers').get()).to.deep.equal({ n: 0 });
  });

  it('when the candidate is not at the Proposition stage then no offer can be made', async () => {
    const path = `/recrutement/candidatures/${other.id}/offre`;
    expect(pageText((await bureau.get(path)).text)).to.contain('Une proposition se fait depuis l’étape « Proposition »');
    const res = await submitForm(bureau, path, { start_date: '2027-01-04', contract_type: 'CDI', fte_percent: '100', salary_gross_yearly: '38000' }, path);
    expect(res.status).to.equal(422);
    expect(ctx.db.prepare('SELECT COUNT(*) AS n FROM offers').get()).to.deep.equal({ n: 0 });
  });

  it('when the candidate declines then the refusal is recorded and they stay in Proposition', async () => {
    await makeOffer(bureau);
    const res = await answer(bureau, { outcome: 'declined', decline_reason: 'salary', decline_text: 'Attend 42 000 €' });
    expect(res.status).to.equal(302);
    expect(ctx.db.prepare('SELECT status, decline_reason FROM offers').get()).to.deep.equal({ status: 'declined', decline_reason: 'salary' });
    expect(stageKind(chosen.id)).to.equal('middle');
    // A new offer can follow.
    expect((await makeOffer(bureau, { salary_gross_yearly: '41000' })).status).to.equal(302);
  });

  it('when the candidate accepts then one transaction hires: decision, Recruté(e), posting filled, account, invitation and onboarding plan', async () => {
    await makeOffer(bureau);
    const res = await answer(bureau, { outcome: 'accepted', rationale: RATIONALE });
    expect(res.status).to.equal(302);
    expect(res.headers.location).to.equal(`/recrutement/candidatures/${chosen.id}/cloture`);
    expect(stageKind(chosen.id)).to.equal('hired');
    expect(ctx.db.prepare('SELECT outcome, rationale FROM decisions WHERE application_id = ?').get(chosen.id)).to.deep.equal({ outcome: 'hired', rationale: RATIONALE });
    expect((ctx.db.prepare('SELECT status FROM postings WHERE id = ?').get(posting.id) as Row).status).to.equal('filled');
    const user = ctx.db.prepare("SELECT id, name, password_hash FROM users WHERE email = 'elodie@example.test'").get() as Row;
    expect(user).to.include({ name: 'Élodie Martin', password_hash: null });
    expect(ctx.db.prepare("SELECT role FROM memberships WHERE user_id = ? AND organisation_id = ?").get(user.id, world.orgA.id)).to.deep.equal({ role: 'coordinator' });
    const plan = ctx.db.prepare('SELECT id, start_date, kind FROM onboarding_plans WHERE user_id = ?').get(user.id) as Row;
    expect(plan).to.include({ start_date: '2027-01-04', kind: 'coordinator' });
    expect((ctx.db.prepare('SELECT COUNT(*) AS n FROM onboarding_plan_steps WHERE plan_id = ?').get(plan.id) as Row).n).to.be.greaterThan(10);
    expect(ctx.db.prepare('SELECT status, hired_user_id, onboarding_plan_id FROM offers').get()).to.deep.equal({ status: 'accepted', hired_user_id: user.id, onboarding_plan_id: plan.id });

    // The hired person activates the account from the mail and finds the plan.
    const path = linkIn(lastMailTo(ctx.db, 'elodie@example.test'), '/invitation/');
    const invitee = anonymous(ctx.app);
    const accepted = await submitForm(invitee, path, { name: 'Élodie Martin', password: 'une phrase de passe solide', confirm: 'une phrase de passe solide' }, path);
    expect(accepted.status).to.equal(302);
    const elodie = await login(ctx.app, 'elodie@example.test', 'une phrase de passe solide');
    expect((await elodie.get(`/integration/${plan.id}`)).status).to.equal(200);
  });

  it('when several posts are open then "keep open" leaves the posting published', async () => {
    await makeOffer(bureau);
    await answer(bureau, { outcome: 'accepted', rationale: RATIONALE, keep_open: '1' });
    expect((ctx.db.prepare('SELECT status FROM postings WHERE id = ?').get(posting.id) as Row).status).to.equal('published');
  });

  it('when the rationale is too short or the outcome missing then nothing happens', async () => {
    await makeOffer(bureau);
    const short = await answer(bureau, { outcome: 'accepted', rationale: 'Bien.' });
    expect(short.status).to.equal(422);
    const none = await answer(bureau, { rationale: RATIONALE });
    expect(none.status).to.equal(422);
    const noReason = await answer(bureau, { outcome: 'declined' });
    expect(noReason.status).to.equal(422);
    expect(pageText(noReason.text)).to.contain('Choisissez la raison du refus.');
    expect(stageKind(chosen.id)).to.equal('middle');
    expect(ctx.db.prepare("SELECT COUNT(*) AS n FROM users WHERE email = 'elodie@example.test'").get()).to.deep.equal({ n: 0 });
    expect(ctx.db.prepare('SELECT status FROM offers').get()).to.deep.equal({ status: 'pending' });
  });

  it('when the process is closed then the other candidates are rejected at once, with their mails', async () => {
    await makeOffer(bureau);
    await answer(bureau, { outcome: 'accepted', rationale: RATIONALE });
    const page = pageText((await bureau.get(`/recrutement/candidatures/${chosen.id}/cloture`)).text);
    expect(page).to.contain('Paul Durand');
    expect(page).to.contain('Inès Roux');
    const token = await csrfOf(bureau, `/recrutement/candidatures/${chosen.id}/cloture`);
    const res = await bureau.post(`/recrutement/candidatures/${chosen.id}/cloture`).type('form').send(`_csrf=${encodeURIComponent(token)}&ids=${other.id}&ids=${early.id}&send_mail=1`);
    expect(res.status).to.equal(302);
    expect(stageKind(other.id)).to.equal('rejected');
    expect(stageKind(early.id)).to.equal('rejected');
    expect(mailsTo(ctx.db, other.email)).to.have.length(1);
    expect(mailsTo(ctx.db, early.email)).to.have.length(1);
  });

  it('when the closing list carries an application of another posting then nothing is rejected', async () => {
    const elsewhere = createApplication(ctx.db, createPosting(ctx.db, world.orgA.id), { status: 'received' });
    await makeOffer(bureau);
    await answer(bureau, { outcome: 'accepted', rationale: RATIONALE });
    const token = await csrfOf(bureau, `/recrutement/candidatures/${chosen.id}/cloture`);
    await bureau.post(`/recrutement/candidatures/${chosen.id}/cloture`).type('form').send(`_csrf=${encodeURIComponent(token)}&ids=${other.id}&ids=${elsewhere.id}`);
    expect(stageKind(other.id)).to.equal('middle');
    expect(pageText((await bureau.get(`/recrutement/candidatures/${chosen.id}/cloture`)).text)).to.contain('La liste a changé entre-temps');
  });

  it('when anyone but the CPTS’s bureau asks then 404 (chargée de mission, other bureau, coordinator), and login for visitors', async () => {
    for (const user of [world.chargeA, world.bureauB, world.coordinatorA]) {
      const agent = await login(ctx.app, user.email, user.password);
      expect((await agent.get(offerPath())).status, user.email).to.equal(404);
      const token = await csrfOf(agent, '/compte');
      const post = await agent.post(offerPath()).type('form').send({ _csrf: token, start_date: '2027-01-04', contract_type: 'CDI', fte_percent: '100', salary_gross_yearly: '38000' });
      expect(post.status, user.email).to.equal(404);
    }
    expect(ctx.db.prepare('SELECT COUNT(*) AS n FROM offers').get()).to.deep.equal({ n: 0 });
    expect((await anonymous(ctx.app).get(offerPath())).status).to.equal(302);
  });
});

describe('hiring: the offer form starts from the posting’s terms', () => {
  it('when the offer page opens then contract, working time, salary and start date come from the posting', async () => {
    const ctx = createTestContext();
    try {
      const world = await createWorld(ctx.db);
      const posting = createPosting(ctx.db, world.orgA.id);
      ctx.db.prepare("UPDATE postings SET contract_type = 'CDD', contract_duration_months = 12, fte_percent = 80, salary_min = 30000, start_date = '2027-02-01' WHERE id = ?").run(posting.id);
      const app = createApplication(ctx.db, posting, { status: 'offer' });
      const bureau = await login(ctx.app, world.bureauA.email, world.bureauA.password);
      const html = (await bureau.get(`/recrutement/candidatures/${app.id}/offre`)).text;
      expect(html).to.contain('value="2027-02-01"');
      expect(html).to.match(/<option value="CDD" selected>/);
      expect(html).to.contain('value="12"');
      expect(html).to.contain('value="80"');
      expect(html).to.contain('value="30000"');
    } finally {
      ctx.close();
    }
  });
});

describe('hiring: the demo data holds a hire end to end', () => {
  it('when the demo is seeded then the coordinator’s accepted offer, decision and onboarding plan are linked, and the president sees it', async () => {
    const { seedDemo, DEMO_PASSWORD } = await import('../../server/demo/seed.js');
    const ctx = createTestContext();
    try {
      await seedDemo(ctx.db, { passwordCost: 2 ** 10, uploadDir: ctx.config.uploadDir });
      const offer = ctx.db
        .prepare("SELECT f.application_id, f.status, p.user_id, po.status AS posting_status FROM offers f JOIN onboarding_plans p ON p.id = f.onboarding_plan_id JOIN postings po ON po.id = f.posting_id")
        .get() as Row;
      const julien = ctx.db.prepare("SELECT id FROM users WHERE email = 'coordination@demo.coordo.test'").get() as Row;
      expect(offer).to.include({ status: 'accepted', user_id: julien.id, posting_status: 'filled' });
      expect(ctx.db.prepare("SELECT outcome FROM decisions WHERE application_id = ?").get(offer.application_id)).to.deep.equal({ outcome: 'hired' });
      const president = await login(ctx.app, 'bureau@demo.coordo.test', DEMO_PASSWORD);
      const page = pageText((await president.get(`/recrutement/candidatures/${offer.application_id}/offre`)).text);
      expect(page).to.contain('Acceptée');
      expect(page).to.contain('Voir le parcours d’intégration');
    } finally {
      ctx.close();
    }
  });
});
