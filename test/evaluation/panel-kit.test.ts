import { expect } from 'chai';
import { createTestContext, type TestContext } from '../helpers/app.js';
import { login, pageText } from '../helpers/agent.js';
import { lastMailTo, linkIn } from '../helpers/mail.js';
import { as, criteriaIds, evaluationWorld, fullForm, post, seatPanel } from './fixtures.js';

type World = Awaited<ReturnType<typeof evaluationWorld>>;
const count = (ctx: TestContext, sql: string, ...args: unknown[]) => (ctx.db.prepare(sql).get(...args) as { n: number }).n;

describe('evaluation: scorecard, panel and the interview kit', function () {
  this.timeout(30_000);
  let ctx: TestContext;
  let w: World;
  beforeEach(async () => {
    ctx = createTestContext();
    w = await evaluationWorld(ctx.db, ctx.config.uploadDir);
  });
  afterEach(() => ctx.close());

  it('when the bureau opens the scorecard then it is copied from the coordinator template; another CPTS or a staff member gets 404', async () => {
    const bureau = await as(ctx.app, w.bureauA.email);
    const res = await bureau.get(`/recrutement/offres/${w.posting.id}/grille`);
    expect(res.status).to.equal(200);
    const text = pageText(res.text);
    expect(text).to.contain('Dynamisme').and.to.contain('Neutralité').and.to.contain('Gestion de projet');
    expect(criteriaIds(ctx.db, w.posting.id).length).to.equal(11);
    for (const email of [w.bureauB.email, w.coordinatorA.email, w.admin.email]) {
      const other = await as(ctx.app, email);
      expect((await other.get(`/recrutement/offres/${w.posting.id}/grille`)).status, email).to.equal(404);
    }
    const charge = await as(ctx.app, w.chargeA.email);
    expect((await charge.get(`/recrutement/offres/${w.posting.id}/grille`)).status).to.equal(200);
  });

  it('when a criterion is edited with bad input then the form comes back with messages and nothing changes; after the first submission only additions are allowed', async () => {
    const bureau = await as(ctx.app, w.bureauA.email);
    await bureau.get(`/recrutement/offres/${w.posting.id}/grille`);
    const [first] = criteriaIds(ctx.db, w.posting.id);
    const bad = await post(bureau, `/recrutement/offres/${w.posting.id}/grille/criteres/${first}`, { group: 'savoir_etre', label: 'Dynamisme revu', weight: '7', must_have: '1', min_level: '', level_1: 'a', level_2: 'b', level_3: 'c', level_4: '' });
    expect(bad.status).to.equal(422);
    expect(pageText(bad.text)).to.contain('Choisissez une pondération entre 1 et 3.').and.to.contain('niveau minimum');
    expect(bad.text).to.contain('value="Dynamisme revu"');
    expect((ctx.db.prepare('SELECT label FROM scorecard_criteria WHERE id = ?').get(first) as { label: string }).label).to.equal('Dynamisme');
    const good = { group: 'savoir_etre', label: 'Dynamisme et énergie', description: 'Va au-devant.', weight: '3', must_have: '1', min_level: '3', level_1: 'un', level_2: 'deux', level_3: 'trois', level_4: 'quatre', questions: 'Question A\nQuestion B' };
    expect((await post(bureau, `/recrutement/offres/${w.posting.id}/grille/criteres/${first}`, good)).status).to.equal(303);
    const row = ctx.db.prepare('SELECT label, weight, must_have, min_level, questions FROM scorecard_criteria WHERE id = ?').get(first) as Record<string, unknown>;
    expect(row).to.deep.equal({ label: 'Dynamisme et énergie', weight: 3, must_have: 1, min_level: 3, questions: '["Question A","Question B"]' });

    seatPanel(ctx.db, w.posting.id, w.orgA.id, [{ id: w.chargeA.id, kind: 'charge', chair: true }]);
    const charge = await as(ctx.app, w.chargeA.email);
    expect((await post(charge, `/recrutement/candidatures/${w.a1.id}/evaluation`, fullForm(criteriaIds(ctx.db, w.posting.id), '3'))).status).to.equal(303);
    const locked = await post(bureau, `/recrutement/offres/${w.posting.id}/grille/criteres/${first}`, { ...good, label: 'Encore changé' });
    expect(locked.status).to.equal(409);
    expect(pageText(locked.text)).to.contain('ne peut plus être modifié');
    expect((await post(bureau, `/recrutement/offres/${w.posting.id}/grille/criteres/${first}/supprimer`, {})).status).to.equal(409);
    expect((await post(bureau, `/recrutement/offres/${w.posting.id}/grille/criteres`, { ...good, label: 'Connaissance du territoire nantais' })).status).to.equal(303);
    expect(criteriaIds(ctx.db, w.posting.id).length).to.equal(12);
  });

  it('when the bureau builds the panel then the first member chairs, non-eligible people are refused and a removed panelist loses access at once', async () => {
    const bureau = await as(ctx.app, w.bureauA.email);
    expect((await bureau.get(`/recrutement/offres/${w.posting.id}/jury`)).status).to.equal(200);
    expect((await post(bureau, `/recrutement/offres/${w.posting.id}/jury/membres`, { user_id: w.chargeA.id })).status).to.equal(303);
    expect((await post(bureau, `/recrutement/offres/${w.posting.id}/jury/membres`, { user_id: w.coordinatorA.id })).status).to.equal(303);
    const refused = await post(bureau, `/recrutement/offres/${w.posting.id}/jury/membres`, { user_id: w.bureauB.id });
    expect(refused.status).to.equal(422);
    expect(pageText(refused.text)).to.contain('Choisissez une valeur dans la liste.');
    const rows = ctx.db.prepare('SELECT user_id, kind, is_chair FROM panel_members WHERE posting_id = ? ORDER BY id').all(w.posting.id);
    expect(rows).to.deep.equal([
      { user_id: w.chargeA.id, kind: 'charge', is_chair: 1 },
      { user_id: w.coordinatorA.id, kind: 'member', is_chair: 0 },
    ]);
    expect((await post(bureau, `/recrutement/offres/${w.posting.id}/jury/membres/${w.coordinatorA.id}/presidence`, {})).status).to.equal(303);
    expect((ctx.db.prepare('SELECT user_id FROM panel_members WHERE posting_id = ? AND is_chair = 1').get(w.posting.id) as { user_id: number }).user_id).to.equal(w.coordinatorA.id);

    const coord = await as(ctx.app, w.coordinatorA.email);
    expect((await coord.get(`/recrutement/candidatures/${w.a1.id}/evaluation`)).status).to.equal(200);
    expect((await coord.get(`/recrutement/offres/${w.posting.id}/jury`)).status, 'a panelist does not manage the panel').to.equal(404);
    expect((await post(bureau, `/recrutement/offres/${w.posting.id}/jury/membres/${w.coordinatorA.id}/retirer`, {})).status).to.equal(303);
    expect((await coord.get(`/recrutement/candidatures/${w.a1.id}/evaluation`)).status).to.equal(404);
    expect((await coord.get(`/recrutement/offres/${w.posting.id}/classement`)).status).to.equal(404);
    const other = await as(ctx.app, w.bureauB.email);
    expect((await post(other, `/recrutement/offres/${w.posting.id}/jury/membres`, { user_id: w.bureauB.id })).status).to.equal(404);
  });

  it('when an outside evaluator is invited then their account opens only that posting, from the interview stage on', async () => {
    const bureau = await as(ctx.app, w.bureauA.email);
    const bad = await post(bureau, `/recrutement/offres/${w.posting.id}/jury/invitations`, { name: 'Paul Externe', email: 'pas-un-email' });
    expect(bad.status).to.equal(422);
    expect(bad.text).to.contain('value="Paul Externe"');
    expect((await post(bureau, `/recrutement/offres/${w.posting.id}/jury/invitations`, { name: 'Paul Externe', email: 'paul@externe.test' })).status).to.equal(303);
    const mail = lastMailTo(ctx.db, 'paul@externe.test');
    const link = linkIn(mail, '/invitation/');
    const anon = (await import('supertest')).default.agent(ctx.app);
    const page = await anon.get(link);
    expect(page.status).to.equal(200);
    const token = /name="_csrf" value="([^"]+)"/.exec(page.text)![1];
    const accepted = await anon.post(link).type('form').send({ _csrf: token, name: 'Paul Externe', password: 'un mot de passe solide', confirm: 'un mot de passe solide' });
    expect(accepted.status).to.equal(302);
    const user = ctx.db.prepare('SELECT id, password_hash FROM users WHERE email = ?').get('paul@externe.test') as { id: number; password_hash: string | null };
    expect(user.password_hash).to.be.a('string');
    expect(count(ctx, 'SELECT COUNT(*) AS n FROM memberships WHERE user_id = ?', user.id)).to.equal(0);
    const paul = await login(ctx.app, 'paul@externe.test', 'un mot de passe solide');
    const home = await paul.get('/tableau-de-bord');
    expect(pageText(home.text)).to.contain('Mes évaluations').and.to.contain('Élodie Martin');
    expect((await paul.get(`/recrutement/candidatures/${w.a1.id}/evaluation`)).status).to.equal(200);
    expect((await paul.get(`/recrutement/offres/${w.posting.id}/classement`)).status).to.equal(200);
    for (const path of [`/recrutement/candidatures/${w.early.id}/evaluation`, `/recrutement/candidatures/${w.b1.id}/evaluation`, `/recrutement/candidatures/${w.c1.id}/evaluation`, `/recrutement/offres/${w.other.id}/classement`, `/recrutement/candidatures/${w.a1.id}`, `/recrutement/offres/${w.posting.id}`]) {
      expect((await paul.get(path)).status, path).to.equal(404);
    }
    const doc = ctx.db.prepare('SELECT id FROM application_documents WHERE application_id = ?').get(w.a1.id) as { id: number };
    const file = await paul.get(`/recrutement/candidatures/${w.a1.id}/evaluation/documents/${doc.id}`);
    expect(file.status).to.equal(200);
    expect(file.headers['content-disposition']).to.match(/^attachment/);
    expect((await paul.get(`/recrutement/candidatures/${w.b1.id}/evaluation/documents/${doc.id}`)).status).to.equal(404);
  });

  it('when panelists rate then nobody sees the others’ ratings before submitting, the chair sees who but not what, and the bureau outside the panel sees results once all have submitted', async () => {
    seatPanel(ctx.db, w.posting.id, w.orgA.id, [{ id: w.chargeA.id, kind: 'charge', chair: true }, { id: w.coordinatorA.id }]);
    const charge = await as(ctx.app, w.chargeA.email);
    const coord = await as(ctx.app, w.coordinatorA.email);
    const bureau = await as(ctx.app, w.bureauA.email);
    await charge.get(`/recrutement/candidatures/${w.a1.id}/evaluation`);
    const ids = criteriaIds(ctx.db, w.posting.id);
    const kit = `/recrutement/candidatures/${w.a1.id}/evaluation`;
    // The coordinator submits first, with a comment nobody else may read yet.
    expect((await post(coord, kit, fullForm(ids, '4', { comment: 'Remarquable-COORD', recommendation: 'strong_yes' }))).status).to.equal(303);
    const chairView = pageText((await charge.get(kit)).text);
    expect(chairView).to.contain('Ont soumis : Coord A');
    expect(chairView).not.to.contain('Remarquable-COORD');
    expect(chairView).not.to.contain('Favorable fort :');
    const bureauBefore = pageText((await bureau.get(kit)).text);
    expect(bureauBefore).to.contain('Coord A').and.not.to.contain('Remarquable-COORD');
    const rankingBefore = pageText((await charge.get(`/recrutement/offres/${w.posting.id}/classement`)).text);
    expect(rankingBefore).to.contain('Résultats masqués jusqu’à votre évaluation');
    // A draft is not a submission.
    expect((await post(charge, kit, fullForm(ids, '1', { intent: 'save', comment: 'Brouillon-CHARGE' }))).status).to.equal(303);
    expect(pageText((await coord.get(kit)).text)).not.to.contain('Brouillon-CHARGE');
    const draftPage = await charge.get(kit);
    expect(draftPage.text).to.contain('Brouillon-CHARGE');
    expect(pageText(draftPage.text)).not.to.contain('Remarquable-COORD');
    // Once the chair submits, everything shows, with the aggregate.
    expect((await post(charge, kit, fullForm(ids, '2', { comment: 'Réservée-CHARGE', recommendation: 'no' }))).status).to.equal(303);
    const after = pageText((await charge.get(kit)).text);
    expect(after).to.contain('Remarquable-COORD').and.to.contain('Réservée-CHARGE').and.to.contain('Score pondéré : 3 / 4');
    expect(after).to.contain('Désaccord du jury');
    expect(pageText((await bureau.get(kit)).text)).to.contain('Remarquable-COORD');
    const ranking = pageText((await bureau.get(`/recrutement/offres/${w.posting.id}/classement`)).text);
    expect(ranking).to.contain('Matrice de comparaison').and.to.contain('Élodie Martin').and.to.contain('3 / 4');
  });

  it('when ratings are out of range, name a criterion not in the scorecard or come from outside the panel then nothing is written; submitting twice changes nothing', async () => {
    seatPanel(ctx.db, w.posting.id, w.orgA.id, [{ id: w.chargeA.id, kind: 'charge', chair: true }]);
    const charge = await as(ctx.app, w.chargeA.email);
    const kit = `/recrutement/candidatures/${w.a1.id}/evaluation`;
    await charge.get(kit);
    const ids = criteriaIds(ctx.db, w.posting.id);
    const outOfRange = await post(charge, kit, { ...fullForm(ids, '3'), [`rating_${ids[0]}`]: '5', summary: 'gardé' });
    expect(outOfRange.status).to.equal(422);
    expect(pageText(outOfRange.text)).to.contain('Choisissez un niveau de 1 à 4 ou « Non évalué ».');
    expect(outOfRange.text).to.contain('gardé');
    const unknown = await post(charge, kit, { ...fullForm(ids, '3'), rating_999999: '3' });
    expect(unknown.status).to.equal(422);
    expect(pageText(unknown.text)).to.contain('ne fait pas partie de la grille');
    const otherPosting = criteriaIds(ctx.db, w.posting.id).length;
    expect(otherPosting).to.equal(11);
    const incomplete = await post(charge, kit, { intent: 'submit', version: '1', [`rating_${ids[0]}`]: '3' });
    expect(incomplete.status).to.equal(422);
    expect(pageText(incomplete.text)).to.contain('Donnez votre avis global');
    expect(count(ctx, 'SELECT COUNT(*) AS n FROM evaluations')).to.equal(0);
    expect(count(ctx, 'SELECT COUNT(*) AS n FROM evaluation_ratings')).to.equal(0);

    const bureau = await as(ctx.app, w.bureauA.email);
    expect((await post(bureau, kit, fullForm(ids, '3'))).status, 'the bureau outside the panel does not rate').to.equal(404);
    expect((await post(charge, `/recrutement/candidatures/${w.b1.id}/evaluation`, fullForm(ids, '3'))).status).to.equal(404);
    expect(count(ctx, 'SELECT COUNT(*) AS n FROM evaluations')).to.equal(0);

    expect((await post(charge, kit, fullForm(ids, '3'))).status).to.equal(303);
    const again = await post(charge, kit, fullForm(ids, '1', { recommendation: 'strong_no' }));
    expect(again.status).to.equal(303);
    expect(pageText((await charge.get(kit)).text)).to.contain('Cette évaluation était déjà soumise');
    expect(ctx.db.prepare('SELECT version, status, recommendation FROM evaluations').all()).to.deep.equal([{ version: 1, status: 'submitted', recommendation: 'yes' }]);
    expect(() => ctx.db.prepare("UPDATE evaluations SET recommendation = 'no'").run()).to.throw(/final/);
  });

  it('when a panelist amends then a new version is submitted and the first stays visible as superseded', async () => {
    seatPanel(ctx.db, w.posting.id, w.orgA.id, [{ id: w.chargeA.id, kind: 'charge', chair: true }]);
    const charge = await as(ctx.app, w.chargeA.email);
    const kit = `/recrutement/candidatures/${w.a1.id}/evaluation`;
    await charge.get(kit);
    const ids = criteriaIds(ctx.db, w.posting.id);
    await post(charge, kit, fullForm(ids, '2', { summary: 'Première lecture.' }));
    expect((await post(charge, `${kit}/amender`, { reason: '' })).status).to.equal(422);
    expect((await post(charge, `${kit}/amender`, { reason: 'Second entretien plus convaincant.' })).status).to.equal(303);
    expect((await post(charge, kit, fullForm(ids, '4', { version: 2, summary: 'Lecture révisée.' }))).status).to.equal(303);
    const text = pageText((await charge.get(kit)).text);
    expect(text).to.contain('Lecture révisée.').and.to.contain('Première lecture.').and.to.contain('remplacée par un amendement').and.to.contain('Second entretien plus convaincant.');
    expect(ctx.db.prepare('SELECT version, status, superseded_at IS NOT NULL AS old FROM evaluations ORDER BY version').all()).to.deep.equal([
      { version: 1, status: 'submitted', old: 1 },
      { version: 2, status: 'submitted', old: 0 },
    ]);
  });
});
