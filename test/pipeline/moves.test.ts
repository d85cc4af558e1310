import { expect } from 'chai';
import { csrfOf, login, pageText, type Agent } from '../helpers/agent.js';
import { createTestContext, type TestContext } from '../helpers/app.js';
import { createUser, createWorld } from '../helpers/factories.js';
import { lastMailTo, mailsTo } from '../helpers/mail.js';
import { cardOf, createApplication, createPosting, stageByKey, type ApplicationFixture, type PostingFixture } from './fixtures.js';

describe('pipeline: moves, rejections and bulk actions', () => {
  let ctx: TestContext;
  let world: Awaited<ReturnType<typeof createWorld>>;
  let posting: PostingFixture;
  let other: PostingFixture;
  let app: ApplicationFixture;
  let bureau: Agent;
  let token: string;

  beforeEach(async () => {
    ctx = createTestContext();
    world = await createWorld(ctx.db);
    posting = createPosting(ctx.db, world.orgA.id, { title: 'Coordinatrice ou coordinateur (H/F)' });
    other = createPosting(ctx.db, world.orgA.id, { title: 'Gestionnaire de cas' });
    app = createApplication(ctx.db, posting, { firstName: 'Léa', lastName: 'Martin' });
    bureau = await login(ctx.app, world.bureauA.email, world.bureauA.password);
    token = await csrfOf(bureau, `/recrutement/offres/${posting.id}`);
  });
  afterEach(() => ctx.close());

  const move = (agent: Agent, csrf: string, applicationId: number, fields: Record<string, unknown>) =>
    agent.post(`/recrutement/candidatures/${applicationId}/deplacer`).type('form').send({ _csrf: csrf, ...fields });

  it('when the bureau moves a card with the plain form then it lands in the new column with its history', async () => {
    const from = stageByKey(ctx.db, posting.id, 'new');
    const to = stageByKey(ctx.db, posting.id, 'screening');
    const res = await move(bureau, token, app.id, { stage_id: to.id, expected_stage_id: from.id, back: 'board', comment: 'Profil solide' });
    expect(res.status).to.equal(303);
    expect(res.headers.location).to.equal(`/recrutement/offres/${posting.id}#card-${app.id}`);
    expect(cardOf(ctx.db, app.id).stage_id).to.equal(to.id);
    const history = ctx.db.prepare('SELECT from_name, to_name, actor_name, comment FROM pipeline_moves WHERE application_id = ?').all(app.id);
    expect(history).to.deep.equal([{ from_name: 'Nouvelle candidature', to_name: 'Présélection', actor_name: 'Bureau A', comment: 'Profil solide' }]);
    expect((ctx.db.prepare('SELECT status FROM applications WHERE id = ?').get(app.id) as { status: string }).status).to.equal('in_review');
    const board = pageText((await bureau.get(`/recrutement/offres/${posting.id}`)).text);
    expect(board).to.contain('Léa Martin : déplacé·e vers « Présélection ».');
    const page = pageText((await bureau.get(`/recrutement/candidatures/${app.id}`)).text);
    expect(page).to.contain('Étape : Nouvelle candidature → Présélection');
    expect(page).to.contain('par Bureau A');
  });

  it('when a stage holds more cards than a column shows then the board shows the longest-waiting ones, the full count and a link to the rest', async () => {
    const { BOARD_COLUMN_LIMIT } = await import('../../server/features/pipeline/service.js');
    const extra = BOARD_COLUMN_LIMIT + 4;
    const newStage = stageByKey(ctx.db, posting.id, 'new');
    for (let i = 0; i < extra; i++) createApplication(ctx.db, posting, { firstName: 'Lot', lastName: `N${String(i).padStart(2, '0')}` });
    // Léa Martin's card has waited longest in the stage: it is among the cards shown.
    ctx.db.prepare("UPDATE pipeline_cards SET entered_at = '2020-01-01T00:00:00.000Z' WHERE application_id = ?").run(app.id);
    const html = (await bureau.get(`/recrutement/offres/${posting.id}`)).text;
    const column = html.slice(html.indexOf(`id="col-${newStage.id}"`), html.indexOf('</section>', html.indexOf(`id="col-${newStage.id}"`)));
    expect(column.match(/class="board-card"/g)).to.have.length(BOARD_COLUMN_LIMIT);
    expect(column).to.contain('<span data-count>' + (extra + 1) + '</span>');
    expect(column).to.contain(`id="card-${app.id}"`);
    expect(column).to.contain(`href="/recrutement/offres/${posting.id}/liste?etape=Nouvelle%20candidature"`);
    expect(pageText(column)).to.contain(`Voir les ${extra + 1 - BOARD_COLUMN_LIMIT} autres candidatures de l’étape « Nouvelle candidature » dans la liste`);
    const list = await bureau.get(`/recrutement/offres/${posting.id}/liste?etape=Nouvelle%20candidature`);
    expect(list.status).to.equal(200);
    expect(pageText(list.text)).to.contain(`${extra + 1}`);
    // Columns under the limit have no link.
    expect(html.match(/class="board-more"/g)).to.have.length(1);
  });

  it('when the board script posts the same form asking for JSON then it gets a JSON answer to announce', async () => {
    const to = stageByKey(ctx.db, posting.id, 'interview');
    const res = await move(bureau, token, app.id, { stage_id: to.id, expected_stage_id: stageByKey(ctx.db, posting.id, 'new').id, back: 'board' }).set('Accept', 'application/json');
    expect(res.status).to.equal(200);
    expect(res.body).to.deep.include({ ok: true, message: 'Léa Martin\u00a0: déplacé·e vers «\u00a0Entretien\u00a0».', stageId: to.id });
  });

  it('when the form is stale (moved meanwhile) then 409 with a clear message and nothing changes', async () => {
    const fresh = stageByKey(ctx.db, posting.id, 'new');
    await move(bureau, token, app.id, { stage_id: stageByKey(ctx.db, posting.id, 'jury').id, expected_stage_id: fresh.id });
    const res = await move(bureau, token, app.id, { stage_id: stageByKey(ctx.db, posting.id, 'screening').id, expected_stage_id: fresh.id, back: 'board' });
    expect(res.status).to.equal(409);
    expect(pageText(res.text)).to.contain('Léa Martin a été déplacé·e vers « Jury » pendant que vous consultiez la page. Rien n’a été modifié');
    expect(cardOf(ctx.db, app.id).stage_id).to.equal(stageByKey(ctx.db, posting.id, 'jury').id);
    const json = await move(bureau, token, app.id, { stage_id: stageByKey(ctx.db, posting.id, 'screening').id, expected_stage_id: fresh.id }).set('Accept', 'application/json');
    expect(json.status).to.equal(409);
    expect(json.body.message).to.contain('Rien n’a été modifié');
  });

  it('when the target stage belongs to another posting then 422 with a message and nothing moves', async () => {
    const from = stageByKey(ctx.db, posting.id, 'new');
    const res = await move(bureau, token, app.id, { stage_id: stageByKey(ctx.db, other.id, 'interview').id, expected_stage_id: from.id });
    expect(res.status).to.equal(422);
    expect(pageText(res.text)).to.contain('Cette étape n’appartient pas à l’offre de la candidature.');
    expect(cardOf(ctx.db, app.id).stage_id).to.equal(from.id);
    const garbage = await move(bureau, token, app.id, { stage_id: 'abc', expected_stage_id: '' });
    expect(garbage.status).to.equal(422);
  });

  it('when the application belongs to another CPTS then 404 and nothing moves', async () => {
    const postingB = createPosting(ctx.db, world.orgB.id);
    const appB = createApplication(ctx.db, postingB);
    const from = stageByKey(ctx.db, postingB.id, 'new');
    const res = await move(bureau, token, appB.id, { stage_id: stageByKey(ctx.db, postingB.id, 'interview').id, expected_stage_id: from.id });
    expect(res.status).to.equal(404);
    expect(cardOf(ctx.db, appB.id).stage_id).to.equal(from.id);
  });

  it('when a card is moved to "Non retenu(e)" from the board then the rejection form asks for the reason', async () => {
    const from = stageByKey(ctx.db, posting.id, 'new');
    const res = await move(bureau, token, app.id, { stage_id: stageByKey(ctx.db, posting.id, 'rejected').id, expected_stage_id: from.id, back: 'board' });
    expect(res.status).to.equal(303);
    expect(res.headers.location).to.equal(`/recrutement/candidatures/${app.id}/refuser?retour=board&attendu=${from.id}`);
    expect(cardOf(ctx.db, app.id).stage_id).to.equal(from.id);
    const form = await bureau.get(res.headers.location);
    expect(pageText(form.text)).to.contain('Ne pas retenir : Léa Martin');
    expect(pageText(form.text)).to.contain(`Votre candidature au poste « Coordinatrice ou coordinateur (H/F) (Réf. ${(ctx.db.prepare('SELECT reference FROM postings WHERE id = ?').get(posting.id) as { reference: string }).reference}) »`);
  });

  it('when the rejection reason is empty, or "other" without details, then 422 with the message and nothing is written', async () => {
    const from = stageByKey(ctx.db, posting.id, 'new');
    const res = await bureau.post(`/recrutement/candidatures/${app.id}/refuser`).type('form').send({ _csrf: token, expected_stage_id: from.id, reason: '', mail: 'auto' });
    expect(res.status).to.equal(422);
    expect(pageText(res.text)).to.contain('Choisissez le motif du refus.');
    const other = await bureau.post(`/recrutement/candidatures/${app.id}/refuser`).type('form').send({ _csrf: token, expected_stage_id: from.id, reason: 'other', reason_text: '', mail: 'none' });
    expect(other.status).to.equal(422);
    expect(pageText(other.text)).to.contain('Précisez le motif du refus.');
    expect(other.text).to.match(/value="none" checked/);
    expect(cardOf(ctx.db, app.id).stage_id).to.equal(from.id);
    expect(mailsTo(ctx.db, app.email)).to.have.length(0);
  });

  it('when the bureau rejects with the mail then the candidate gets it through the outbox and the timeline shows it', async () => {
    const from = stageByKey(ctx.db, posting.id, 'new');
    const res = await bureau.post(`/recrutement/candidatures/${app.id}/refuser`).type('form').send({ _csrf: token, expected_stage_id: from.id, reason: 'experience', mail: 'auto', back: 'board' });
    expect(res.status).to.equal(303);
    const card = cardOf(ctx.db, app.id);
    expect(card.stage_id).to.equal(stageByKey(ctx.db, posting.id, 'rejected').id);
    expect(card.rejection_reason).to.equal('experience');
    const mail = lastMailTo(ctx.db, app.email);
    expect(mail.template).to.equal('candidate.rejection');
    expect(mail.subject).to.equal(`Votre candidature au poste « Coordinatrice ou coordinateur (H/F) (Réf. ${(ctx.db.prepare('SELECT reference FROM postings WHERE id = ?').get(posting.id) as { reference: string }).reference}) »`);
    expect(mail.text_body).to.contain('Bonjour Léa Martin');
    expect(mail.text_body).to.contain('CPTS Alpha');
    const page = pageText((await bureau.get(`/recrutement/candidatures/${app.id}`)).text);
    expect(page).to.contain('Courriel envoyé : Votre candidature au poste');
    expect(page).to.contain('Motif : Expérience ou compétences insuffisantes au regard du poste');
  });

  it('when the candidate had an interview then the automatic choice sends the after-interview mail; "none" sends nothing', async () => {
    const interview = stageByKey(ctx.db, posting.id, 'interview');
    await move(bureau, token, app.id, { stage_id: interview.id, expected_stage_id: stageByKey(ctx.db, posting.id, 'new').id });
    // What happened decides, not the stage reached: the interview took place yesterday.
    const yesterday = new Date(Date.now() - 86_400_000);
    ctx.db
      .prepare(
        `INSERT INTO interviews (organisation_id, posting_id, application_id, uid, starts_at, ends_at, duration_minutes, mode, organizer_name, organizer_email, created_at, updated_at)
         VALUES (?, ?, ?, 'uid-held', ?, ?, 60, 'place', 'Bureau A', 'bureau@alpha.test', ?, ?)`,
      )
      .run(world.orgA.id, posting.id, app.id, yesterday.toISOString(), new Date(yesterday.getTime() + 3_600_000).toISOString(), yesterday.toISOString(), yesterday.toISOString());
    // Rejecting from Entretien on is a reasoned decision (issue 5): back to Présélection first.
    const screening = stageByKey(ctx.db, posting.id, 'screening');
    await move(bureau, token, app.id, { stage_id: screening.id, expected_stage_id: interview.id });
    await bureau.post(`/recrutement/candidatures/${app.id}/refuser`).type('form').send({ _csrf: token, expected_stage_id: screening.id, reason: 'after_interview', mail: 'auto' });
    expect(lastMailTo(ctx.db, app.email).template).to.equal('candidate.rejection_after_interview');
    const second = createApplication(ctx.db, posting);
    await bureau.post(`/recrutement/candidatures/${second.id}/refuser`).type('form').send({ _csrf: token, expected_stage_id: stageByKey(ctx.db, posting.id, 'new').id, reason: 'profile', mail: 'none' });
    expect(cardOf(ctx.db, second.id).stage_id).to.equal(stageByKey(ctx.db, posting.id, 'rejected').id);
    expect(mailsTo(ctx.db, second.email)).to.have.length(0);
  });

  it('when moving to Entretien with the mail box ticked then the interview invitation is queued', async () => {
    await move(bureau, token, app.id, { stage_id: stageByKey(ctx.db, posting.id, 'interview').id, expected_stage_id: stageByKey(ctx.db, posting.id, 'new').id, send_mail: '1' });
    const mail = lastMailTo(ctx.db, app.email);
    expect(mail.template).to.equal('candidate.interview');
    expect(mail.subject).to.equal(`Invitation à un entretien : Coordinatrice ou coordinateur (H/F) (Réf. ${(ctx.db.prepare('SELECT reference FROM postings WHERE id = ?').get(posting.id) as { reference: string }).reference})`);
  });

  it('when the bureau bulk-moves and bulk-rejects from the list then all move in one go, with the chosen mails', async () => {
    const more = [createApplication(ctx.db, posting), createApplication(ctx.db, posting)];
    const from = stageByKey(ctx.db, posting.id, 'new').id;
    const ids = [app, ...more].map((a) => `${a.id}:${from}`);
    const res = await bureau.post(`/recrutement/organisations/${world.orgA.id}/candidatures/lot`).type('form').send({ _csrf: token, ids, action: 'move', stage: 'Présélection', retour: `/recrutement/offres/${posting.id}/liste` });
    expect(res.status).to.equal(303);
    expect(res.headers.location).to.equal(`/recrutement/offres/${posting.id}/liste`);
    const screening = stageByKey(ctx.db, posting.id, 'screening').id;
    for (const a of [app, ...more]) expect(cardOf(ctx.db, a.id).stage_id).to.equal(screening);
    const reject = await bureau
      .post(`/recrutement/organisations/${world.orgA.id}/candidatures/lot`)
      .type('form')
      .send({ _csrf: token, ids: more.map((a) => `${a.id}:${screening}`), action: 'reject', reason: 'other_candidate', mail: 'rejection' });
    expect(reject.status).to.equal(303);
    for (const a of more) {
      expect(cardOf(ctx.db, a.id).stage_id).to.equal(stageByKey(ctx.db, posting.id, 'rejected').id);
      expect(lastMailTo(ctx.db, a.email).template).to.equal('candidate.rejection');
    }
    expect(pageText((await bureau.get(`/recrutement/organisations/${world.orgA.id}/candidatures`)).text)).to.contain('2 candidatures non retenues, 2 courriels de refus mis en file d’envoi.');
    expect(ctx.db.prepare("SELECT COUNT(*) AS n FROM audit_log WHERE action = 'pipeline.bulk_rejected'").get()).to.deep.equal({ n: 1 });
  });

  it('when a bulk rejection has no reason then the form comes back with the message and the selection kept', async () => {
    const from = stageByKey(ctx.db, posting.id, 'new').id;
    const res = await bureau.post(`/recrutement/organisations/${world.orgA.id}/candidatures/lot`).type('form').send({ _csrf: token, ids: [`${app.id}:${from}`], action: 'reject', reason: '', mail: 'none' });
    expect(res.status).to.equal(422);
    expect(pageText(res.text)).to.contain('Choisissez le motif du refus.');
    expect(res.text).to.contain(`value="${app.id}:${from}"`);
    const none = await bureau.post(`/recrutement/organisations/${world.orgA.id}/candidatures/lot`).type('form').send({ _csrf: token, action: 'move', stage: 'Jury' });
    expect(none.status).to.equal(422);
    expect(pageText(none.text)).to.contain('Cochez au moins une candidature.');
    expect(cardOf(ctx.db, app.id).stage_id).to.equal(from);
  });

  it('when a bulk action mixes ids from two CPTS then it is refused whole and nothing moves', async () => {
    // A person on the bureau of two CPTS: the mix is refused with a message.
    const both = await createUser(ctx.db, { memberships: [{ organisationId: world.orgA.id, role: 'bureau' }, { organisationId: world.orgA2.id, role: 'bureau' }] });
    const postingA2 = createPosting(ctx.db, world.orgA2.id);
    const appA2 = createApplication(ctx.db, postingA2);
    const agent = await login(ctx.app, both.email, both.password);
    const csrf = await csrfOf(agent, `/recrutement/offres/${posting.id}`);
    const ids = [`${app.id}:${stageByKey(ctx.db, posting.id, 'new').id}`, `${appA2.id}:${stageByKey(ctx.db, postingA2.id, 'new').id}`];
    const res = await agent.post(`/recrutement/organisations/${world.orgA.id}/candidatures/lot`).type('form').send({ _csrf: csrf, ids, action: 'reject', reason: 'profile', mail: 'auto' });
    expect(res.status).to.equal(422);
    expect(pageText(res.text)).to.contain('relèvent de plusieurs CPTS');
    // Bureau A with an id of CPTS Bravo: 404, nothing moved.
    const postingB = createPosting(ctx.db, world.orgB.id);
    const appB = createApplication(ctx.db, postingB);
    const mixed = [`${app.id}:${stageByKey(ctx.db, posting.id, 'new').id}`, `${appB.id}:${stageByKey(ctx.db, postingB.id, 'new').id}`];
    const refused = await bureau.post(`/recrutement/organisations/${world.orgA.id}/candidatures/lot`).type('form').send({ _csrf: token, ids: mixed, action: 'reject', reason: 'profile', mail: 'auto' });
    expect(refused.status).to.equal(404);
    for (const [a, p] of [[app, posting], [appA2, postingA2], [appB, postingB]] as const) expect(cardOf(ctx.db, a.id).stage_id).to.equal(stageByKey(ctx.db, p.id, 'new').id);
    expect(mailsTo(ctx.db, app.email).length + mailsTo(ctx.db, appA2.email).length + mailsTo(ctx.db, appB.email).length).to.equal(0);
  });

  it('when one application of a bulk selection moved meanwhile then 409 and nothing moves', async () => {
    const second = createApplication(ctx.db, posting);
    const from = stageByKey(ctx.db, posting.id, 'new').id;
    await move(bureau, token, second.id, { stage_id: stageByKey(ctx.db, posting.id, 'jury').id, expected_stage_id: from });
    const res = await bureau.post(`/recrutement/organisations/${world.orgA.id}/candidatures/lot`).type('form').send({ _csrf: token, ids: [`${app.id}:${from}`, `${second.id}:${from}`], action: 'move', stage: 'Entretien' });
    expect(res.status).to.equal(409);
    expect(pageText(res.text)).to.contain('Rien n’a été modifié');
    expect(cardOf(ctx.db, app.id).stage_id).to.equal(from);
  });

  it('when the candidate withdraws through the applications feature then the card goes to Désistement', () => {
    ctx.db.prepare("UPDATE applications SET withdrawn_at = ?, status = 'withdrawn' WHERE id = ?").run(new Date().toISOString(), app.id);
    expect(cardOf(ctx.db, app.id).stage_id).to.equal(stageByKey(ctx.db, posting.id, 'withdrawn').id);
    expect(ctx.db.prepare('SELECT to_name, reason FROM pipeline_moves WHERE application_id = ?').get(app.id)).to.deep.equal({ to_name: 'Désistement', reason: 'withdrawn_by_candidate' });
  });
});
