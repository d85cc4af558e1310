import { expect } from 'chai';
import { eraseFromCandidateLink, exportForCandidate } from '../../server/features/privacy/service.js';
import { applicationForCandidate } from '../../server/features/applications/queries.js';
import { anonymous, login, pageText, submitForm, type Agent } from '../helpers/agent.js';
import { createTestContext, mailContext, type TestContext } from '../helpers/app.js';
import { createWorld } from '../helpers/factories.js';
import { publishedPosting } from '../fixtures/postings.js';
import { apply, VALID_FIELDS } from '../applications/support.js';
import { lastMailTo, linkIn } from '../helpers/mail.js';

type Row = Record<string, unknown>;

describe('questions: custom questions of a posting, knock-out criteria stated up front, answers', () => {
  let ctx: TestContext;
  let world: Awaited<ReturnType<typeof createWorld>>;
  let posting: { id: number; slug: string };
  beforeEach(async () => {
    ctx = createTestContext();
    world = await createWorld(ctx.db);
    posting = publishedPosting(ctx.db, world.bureauA.id, world.orgA.id);
  });
  afterEach(() => ctx.close());

  const count = (sql: string, ...args: unknown[]) => (ctx.db.prepare(sql).get(...args) as { n: number }).n;
  const questions = () => ctx.db.prepare('SELECT * FROM posting_questions WHERE posting_id = ? ORDER BY position').all(posting.id) as Row[];
  const page = () => `/gestion/offres/${posting.id}/questions`;

  const licence = { kind: 'yes_no', label: 'Êtes-vous titulaire du permis B ?', hint: 'Le poste couvre tout le territoire.', expected_yes_no: 'yes' };
  const availability = { kind: 'choice', label: 'Disponibilité', options: 'Immédiate\nSous un mois\nSous trois mois', required: '1' };
  const tools = { kind: 'short_text', label: 'Quels outils de coordination connaissez-vous ?' };

  async function addQuestion(agent: Agent, fields: Record<string, string>) {
    return submitForm(agent, page(), fields, page());
  }

  async function bureauWithQuestions() {
    const agent = await login(ctx.app, world.bureauA.email, world.bureauA.password);
    for (const f of [licence, availability, tools]) expect((await addQuestion(agent, f)).status).to.equal(303);
    const [q1, q2, q3] = questions();
    return { agent, q1, q2, q3 };
  }

  it('when the bureau adds a knock-out question then it is required and the public posting states it before anyone applies', async () => {
    await bureauWithQuestions();
    const [q1, q2, q3] = questions();
    expect(q1).to.include({ kind: 'yes_no', expected: 'yes', required: 1 });
    expect(q2).to.include({ kind: 'choice', required: 1, expected: null });
    expect(JSON.parse(String(q2.options))).to.deep.equal(['Immédiate', 'Sous un mois', 'Sous trois mois']);
    expect(q3).to.include({ kind: 'short_text', required: 0 });
    const visitor = anonymous(ctx.app);
    const text = pageText((await visitor.get(`/offres/${posting.slug}`)).text);
    expect(text).to.contain('Questions posées aux candidat·es');
    expect(text).to.contain('Êtes-vous titulaire du permis B ?');
    expect(text).to.contain('Critère éliminatoire annoncé : réponse attendue « Oui ».');
    expect(text).to.contain('ne rejette pas automatiquement');
    const form = await visitor.get(`/offres/${posting.slug}/postuler`);
    expect(form.text).to.contain(`name="q_${q1.id}"`);
    expect(pageText(form.text)).to.contain('Une autre réponse est signalée au bureau, sans rejet automatique.');
  });

  it('when someone outside the CPTS or without hiring rights opens or posts the questions then they get a 404, and a visitor goes to login', async () => {
    const visitor = anonymous(ctx.app);
    expect((await visitor.get(page())).status).to.equal(302);
    for (const user of [world.bureauB, world.coordinatorA, world.chargeB]) {
      const agent = await login(ctx.app, user.email, user.password);
      expect((await agent.get(page())).status, user.email).to.equal(404);
      expect((await submitForm(agent, page(), licence, '/compte')).status, user.email).to.equal(404);
    }
    // The region's chargée de mission helps the CPTS write its postings.
    const charge = await login(ctx.app, world.chargeA.email, world.chargeA.password);
    expect((await charge.get(page())).status).to.equal(200);
    expect(questions()).to.have.length(0);
  });

  it('when a question is malformed or touches a protected ground then the form comes back with a message naming the field and nothing is written', async () => {
    const agent = await login(ctx.app, world.bureauA.email, world.bureauA.password);
    const oneChoice = await addQuestion(agent, { kind: 'choice', label: 'Mobilité', options: 'Oui' });
    expect(oneChoice.status).to.equal(422);
    expect(pageText(oneChoice.text)).to.contain('Une question à choix propose au moins deux choix');
    expect(oneChoice.text).to.contain('href="#f-options"');
    const wrongExpected = await addQuestion(agent, { ...availability, expected_choice: 'Demain' });
    expect(wrongExpected.status).to.equal(422);
    expect(pageText(wrongExpected.text)).to.contain('Le choix attendu doit être l’un des choix proposés');
    const noLabel = await addQuestion(agent, { kind: 'yes_no', label: '  ' });
    expect(noLabel.status).to.equal(422);
    expect(pageText(noLabel.text)).to.contain('Écrivez la question.');
    const ground = await addQuestion(agent, { kind: 'yes_no', label: 'Combien d’enfants à charge avez-vous ?' });
    expect(ground.status).to.equal(422);
    expect(pageText(ground.text)).to.contain('motif protégé');
    expect(questions()).to.have.length(0);
  });

  it('when a candidate leaves a required question unanswered then the form says which and nothing is kept', async () => {
    const { q1, q2 } = await bureauWithQuestions();
    const visitor = anonymous(ctx.app);
    const res = await apply(visitor, posting.slug, { ...VALID_FIELDS, [`q_${q2.id}`]: 'Immédiate' });
    expect(res.status).to.equal(422);
    expect(pageText(res.text)).to.contain('Choisissez une réponse.');
    expect(res.text).to.contain(`href="#f-q_${q1.id}"`);
    // An answer that is not one of the choices is refused too.
    const odd = await apply(visitor, posting.slug, { ...VALID_FIELDS, [`q_${q1.id}`]: 'yes', [`q_${q2.id}`]: 'Jamais' });
    expect(odd.status).to.equal(422);
    expect(count('SELECT COUNT(*) AS n FROM applications')).to.equal(0);
    expect(count('SELECT COUNT(*) AS n FROM application_answers')).to.equal(0);
  });

  it('when a candidate answers against the knock-out criterion then the application is kept, flagged for the bureau, filterable and exported, never rejected', async () => {
    const { agent, q1, q2, q3 } = await bureauWithQuestions();
    const visitor = anonymous(ctx.app);
    const res = await apply(visitor, posting.slug, { ...VALID_FIELDS, [`q_${q1.id}`]: 'no', [`q_${q2.id}`]: 'Sous un mois', [`q_${q3.id}`]: 'Une plateforme régionale' });
    expect(res.status, res.text).to.equal(303);
    const app = ctx.db.prepare('SELECT id, status FROM applications').get() as { id: number; status: string };
    expect(app.status).to.equal('received');
    const answers = ctx.db.prepare('SELECT question_id, value, knocked_out FROM application_answers WHERE application_id = ? ORDER BY question_id').all(app.id) as Row[];
    expect(answers).to.deep.equal([
      { question_id: q1.id, value: 'no', knocked_out: 1 },
      { question_id: q2.id, value: 'Sous un mois', knocked_out: 0 },
      { question_id: q3.id, value: 'Une plateforme régionale', knocked_out: 0 },
    ]);
    // A second candidate meets the criterion.
    await apply(anonymous(ctx.app), posting.slug, { ...VALID_FIELDS, email: 'autre@exemple.test', [`q_${q1.id}`]: 'yes', [`q_${q2.id}`]: 'Immédiate' });

    const candidate = pageText((await agent.get(`/recrutement/candidatures/${app.id}`)).text);
    expect(candidate).to.contain('Réponses aux questions de l’offre');
    expect(candidate).to.contain('Réponse différente du critère annoncé (attendu : Oui) : à examiner par le bureau, pas de rejet automatique.');
    expect(candidate).to.contain('Une plateforme régionale');

    const list = `/recrutement/offres/${posting.id}/liste`;
    const flagged = pageText((await agent.get(`${list}?critere=non_rempli`)).text);
    expect(flagged).to.contain('1 candidature');
    expect(flagged).to.contain('Critère éliminatoire non rempli');
    const met = pageText((await agent.get(`${list}?critere=rempli`)).text);
    expect(met).to.contain('1 candidature');
    expect(met).not.to.contain('Critère éliminatoire non rempli');
    const byAnswer = pageText((await agent.get(`${list}?reponse=${q2.id}:${encodeURIComponent('Sous un mois')}`)).text);
    expect(byAnswer).to.contain('1 candidature');
    expect(byAnswer).to.contain('Camille Martin');

    const csv = await agent.get(`/recrutement/offres/${posting.id}/reponses.csv`);
    expect(csv.status).to.equal(200);
    expect(csv.headers['content-type']).to.contain('text/csv');
    expect(csv.text).to.contain('Êtes-vous titulaire du permis B ?');
    expect(csv.text).to.contain('Camille Martin;');
    expect(csv.text).to.contain('non rempli;Non;Sous un mois;Une plateforme régionale');
    const coordinator = await login(ctx.app, world.coordinatorA.email, world.coordinatorA.password);
    expect((await coordinator.get(`/recrutement/offres/${posting.id}/reponses.csv`)).status).to.equal(404);
    const other = await login(ctx.app, world.bureauB.email, world.bureauB.password);
    expect((await other.get(`/recrutement/offres/${posting.id}/reponses.csv`)).status).to.equal(404);
  });

  it('when the candidate opens their private link then they read their own answers', async () => {
    const { q1, q2, q3 } = await bureauWithQuestions();
    await apply(anonymous(ctx.app), posting.slug, { ...VALID_FIELDS, [`q_${q1.id}`]: 'yes', [`q_${q2.id}`]: 'Immédiate', [`q_${q3.id}`]: 'Une plateforme régionale' });
    const link = linkIn(lastMailTo(ctx.db, VALID_FIELDS.email), '/candidature/');
    const text = pageText((await anonymous(ctx.app).get(link)).text);
    expect(text).to.contain('Vos réponses aux questions de l’offre').and.to.contain('Une plateforme régionale').and.to.contain('Immédiate');
  });

  it('when the posting screens anonymously then free-text answers reach screeners redacted, in the page and the CSV', async () => {
    const { agent, q1, q2, q3 } = await bureauWithQuestions();
    ctx.db.prepare("INSERT INTO pipeline_settings (posting_id, organisation_id, anonymised, updated_at) VALUES (?, ?, 1, '2026-01-01T00:00:00.000Z')").run(posting.id, world.orgA.id);
    await apply(anonymous(ctx.app), posting.slug, { ...VALID_FIELDS, [`q_${q1.id}`]: 'yes', [`q_${q2.id}`]: 'Immédiate', [`q_${q3.id}`]: 'Camille Martin a monté une plateforme' });
    const app = ctx.db.prepare('SELECT id FROM applications').get() as { id: number };
    const candidate = pageText((await agent.get(`/recrutement/candidatures/${app.id}`)).text);
    expect(candidate).to.contain('a monté une plateforme');
    expect(candidate).not.to.contain('Camille Martin');
    const csv = (await agent.get(`/recrutement/offres/${posting.id}/reponses.csv`)).text;
    expect(csv).to.contain('Candidat·e n°');
    expect(csv).not.to.contain('Camille');
  });

  it('when applications have arrived then existing questions are fixed and only optional questions without a knock-out may be added', async () => {
    const { agent, q1, q2 } = await bureauWithQuestions();
    await apply(anonymous(ctx.app), posting.slug, { ...VALID_FIELDS, [`q_${q1.id}`]: 'yes', [`q_${q2.id}`]: 'Immédiate' });
    const manage = pageText((await agent.get(page())).text);
    expect(manage).to.contain('les questions existantes ne changent plus');
    const edit = await agent.get(`${page()}/${q1.id}/modifier`);
    expect(edit.status).to.equal(303);
    const postEdit = await submitForm(agent, `${page()}/${q1.id}/modifier`, { ...licence, label: 'Permis ?' }, page());
    expect(postEdit.status).to.equal(303);
    const del = await submitForm(agent, `${page()}/${q1.id}/supprimer`, {}, page());
    expect(del.status).to.equal(303);
    expect(questions()[0]).to.include({ label: licence.label });
    expect(questions()).to.have.length(3);
    const knockout = await addQuestion(agent, { kind: 'yes_no', label: 'Véhicule personnel ?', expected_yes_no: 'yes' });
    expect(knockout.status).to.equal(422);
    expect(pageText(knockout.text)).to.contain('un nouveau critère éliminatoire n’aurait pas été annoncé');
    const required = await addQuestion(agent, { kind: 'yes_no', label: 'Véhicule personnel ?', required: '1' });
    expect(required.status).to.equal(422);
    expect((await addQuestion(agent, { kind: 'yes_no', label: 'Véhicule personnel ?' })).status).to.equal(303);
    expect(questions()).to.have.length(4);
  });

  it('when no application has arrived then the bureau edits and deletes questions', async () => {
    const { agent, q1, q3 } = await bureauWithQuestions();
    const edit = await agent.get(`${page()}/${q1.id}/modifier`);
    expect(edit.status).to.equal(200);
    expect(edit.text).to.contain('value="Êtes-vous titulaire du permis B ?"');
    expect((await submitForm(agent, `${page()}/${q1.id}/modifier`, { ...licence, label: 'Avez-vous le permis B ?' }, page())).status).to.equal(303);
    expect(questions()[0]).to.include({ label: 'Avez-vous le permis B ?', expected: 'yes' });
    expect((await submitForm(agent, `${page()}/${q3.id}/supprimer`, {}, page())).status).to.equal(303);
    expect(questions()).to.have.length(2);
    const other = await login(ctx.app, world.bureauB.email, world.bureauB.password);
    expect((await submitForm(other, `${page()}/${q1.id}/supprimer`, {}, '/compte')).status).to.equal(404);
    expect((await other.get(`${page()}/${q1.id}/modifier`)).status).to.equal(404);
    expect(questions()).to.have.length(2);
  });

  it('when a candidate downloads their data or erases their application then the answers are in the copy and gone after erasure', async () => {
    const { q1, q2, q3 } = await bureauWithQuestions();
    await apply(anonymous(ctx.app), posting.slug, { ...VALID_FIELDS, [`q_${q1.id}`]: 'no', [`q_${q2.id}`]: 'Immédiate', [`q_${q3.id}`]: 'MSSanté' });
    const { id } = ctx.db.prepare('SELECT id FROM applications').get() as { id: number };
    const linked = applicationForCandidate(ctx.db, id)!;
    const { data } = exportForCandidate(ctx.db, linked);
    const copy = JSON.stringify(data);
    expect(copy).to.contain(licence.label).and.to.contain('MSSanté').and.to.contain('Disponibilité');
    eraseFromCandidateLink(ctx.db, linked, ctx.config.uploadDir, mailContext(ctx));
    expect(count('SELECT COUNT(*) AS n FROM application_answers')).to.equal(0);
  });
});

describe('questions: the demo shows a posting with custom questions', () => {
  it('when the demo is seeded then the Mayenne posting asks for the permis B as a stated knock-out and a start date, and one applicant is flagged', async () => {
    const { seedDemo } = await import('../../server/demo/seed.js');
    const ctx = createTestContext();
    try {
      await seedDemo(ctx.db, { passwordCost: 2 ** 10, uploadDir: ctx.config.uploadDir });
      const posting = ctx.db.prepare("SELECT p.id, p.slug FROM postings p JOIN posting_questions q ON q.posting_id = p.id WHERE p.status = 'published' GROUP BY p.id").get() as { id: number; slug: string };
      const text = pageText((await anonymous(ctx.app).get(`/offres/${posting.slug}`)).text);
      expect(text).to.contain('Êtes-vous titulaire du permis B ?');
      expect(text).to.contain('Critère éliminatoire annoncé : réponse attendue « Oui ».');
      expect(text).to.contain('Quand pourriez-vous prendre le poste ?');
      const flagged = (ctx.db.prepare('SELECT COUNT(DISTINCT application_id) AS n FROM application_answers WHERE knocked_out = 1').get() as { n: number }).n;
      expect(flagged).to.equal(1);
    } finally {
      ctx.close();
    }
  });
});
