import { expect } from 'chai';
import { createTestContext, type TestContext } from '../helpers/app.js';
import { pageText } from '../helpers/agent.js';
import { stagesOf } from '../pipeline/fixtures.js';
import { as, criteriaIds, evaluationWorld, fullForm, post, seatPanel } from './fixtures.js';

type World = Awaited<ReturnType<typeof evaluationWorld>>;
const RATIONALE = 'Meilleur score pondéré du jury, critères indispensables atteints, forte conviction sur l’ACI.';

describe('evaluation: reasoned decisions', function () {
  this.timeout(30_000);
  let ctx: TestContext;
  let w: World;
  const stageOf = (appId: number) => (ctx.db.prepare('SELECT s.stage_key, s.kind FROM pipeline_cards c JOIN pipeline_stages s ON s.id = c.stage_id WHERE c.application_id = ?').get(appId) as { stage_key: string; kind: string });
  const stage = (key: string) => stagesOf(ctx.db, w.posting.id).find((s) => s.stage_key === key)!;
  beforeEach(async () => {
    ctx = createTestContext();
    w = await evaluationWorld(ctx.db);
    seatPanel(ctx.db, w.posting.id, w.orgA.id, [{ id: w.chargeA.id, kind: 'charge', chair: true }]);
    const charge = await as(ctx.app, w.chargeA.email);
    await charge.get(`/recrutement/candidatures/${w.a1.id}/evaluation`);
    await post(charge, `/recrutement/candidatures/${w.a1.id}/evaluation`, fullForm(criteriaIds(ctx.db, w.posting.id), '4', { recommendation: 'strong_yes' }));
  });
  afterEach(() => ctx.close());

  it('when the bureau decides an offer with a rationale then the candidate moves through the pipeline and the record keeps who, when and the scores', async () => {
    const bureau = await as(ctx.app, w.bureauA.email);
    const form = await bureau.get(`/recrutement/candidatures/${w.a1.id}/decision`);
    expect(form.status).to.equal(200);
    expect(pageText(form.text)).to.contain('Score pondéré 4 / 4');
    const res = await post(bureau, `/recrutement/candidatures/${w.a1.id}/decision`, { outcome: 'offer', rationale: RATIONALE, expected_stage_id: stage('interview').id });
    expect(res.status).to.equal(303);
    expect(stageOf(w.a1.id).stage_key).to.equal('offer');
    const move = ctx.db.prepare('SELECT to_name, actor_name, comment FROM pipeline_moves WHERE application_id = ? ORDER BY id DESC').get(w.a1.id) as Record<string, string>;
    expect(move).to.include({ to_name: 'Proposition', actor_name: 'Bureau A' });
    const record = await bureau.get(`/recrutement/offres/${w.posting.id}/decisions`);
    const text = pageText(record.text);
    expect(text).to.contain(RATIONALE).and.to.contain('Bureau A').and.to.contain('Entretien → Proposition').and.to.contain('Score pondéré 4 / 4 · rang 1 sur 1');
    const snapshot = JSON.parse((ctx.db.prepare('SELECT score_snapshot FROM decisions').get() as { score_snapshot: string }).score_snapshot);
    expect(snapshot).to.include({ weightedScore: 4, rank: 1, evaluations: 1 });
    const charge = await as(ctx.app, w.chargeA.email);
    expect((await charge.get(`/recrutement/offres/${w.posting.id}/decisions`)).status).to.equal(200);
  });

  it('when the rationale is short or the outcome impossible then 422, nothing recorded and nothing moved; the stale form gives 409', async () => {
    const bureau = await as(ctx.app, w.bureauA.email);
    const path = `/recrutement/candidatures/${w.a1.id}/decision`;
    const short = await post(bureau, path, { outcome: 'offer', rationale: 'Bien.', expected_stage_id: stage('interview').id });
    expect(short.status).to.equal(422);
    expect(pageText(short.text)).to.contain('30 caractères au moins');
    expect(short.text).to.contain('Bien.');
    expect((await post(bureau, path, { outcome: 'promote', rationale: RATIONALE, expected_stage_id: stage('interview').id })).status).to.equal(422);
    expect((await post(bureau, path, { outcome: 'offer', rationale: RATIONALE, expected_stage_id: stage('screening').id })).status).to.equal(409);
    expect(ctx.db.prepare('SELECT COUNT(*) AS n FROM decisions').get()).to.deep.equal({ n: 0 });
    expect(stageOf(w.a1.id).stage_key).to.equal('interview');
  });

  it('when the chargée de mission, a panelist or another CPTS asks for the decision form then 404', async () => {
    for (const email of [w.chargeA.email, w.bureauB.email, w.coordinatorA.email]) {
      const agent = await as(ctx.app, email);
      expect((await agent.get(`/recrutement/candidatures/${w.a1.id}/decision`)).status, email).to.equal(404);
      expect((await post(agent, `/recrutement/candidatures/${w.a1.id}/decision`, { outcome: 'offer', rationale: RATIONALE, expected_stage_id: stage('interview').id })).status, email).to.equal(404);
    }
    const other = await as(ctx.app, w.bureauB.email);
    expect((await other.get(`/recrutement/offres/${w.posting.id}/decisions`)).status).to.equal(404);
  });

  it('when the pipeline moves straight to Proposition or rejects after interview then it sends the bureau to the decision form and nothing moves', async () => {
    const bureau = await as(ctx.app, w.bureauA.email);
    const move = await post(bureau, `/recrutement/candidatures/${w.a1.id}/deplacer`, { stage_id: stage('offer').id, expected_stage_id: stage('interview').id });
    expect(move.status).to.equal(303);
    expect(move.headers.location).to.equal(`/recrutement/candidatures/${w.a1.id}/decision?issue=offer`);
    const rejected = stagesOf(ctx.db, w.posting.id).find((s) => s.kind === 'rejected')!;
    const hired = await post(bureau, `/recrutement/candidatures/${w.a1.id}/deplacer`, { stage_id: stagesOf(ctx.db, w.posting.id).find((s) => s.kind === 'hired')!.id, expected_stage_id: stage('interview').id });
    expect(hired.headers.location).to.equal(`/recrutement/candidatures/${w.a1.id}/decision?issue=hired`);
    const reject = await post(bureau, `/recrutement/candidatures/${w.a1.id}/refuser`, { expected_stage_id: stage('interview').id, reason: 'after_interview', mail: 'none' });
    expect(reject.headers.location).to.equal(`/recrutement/candidatures/${w.a1.id}/decision?issue=rejected`);
    expect(stageOf(w.a1.id).stage_key).to.equal('interview');
    expect(rejected.kind).to.equal('rejected');
    // The mail follows what happened: the interview took place yesterday.
    const yesterday = new Date(Date.now() - 86_400_000);
    ctx.db
      .prepare(
        `INSERT INTO interviews (organisation_id, posting_id, application_id, uid, starts_at, ends_at, duration_minutes, mode, organizer_name, organizer_email, created_at, updated_at)
         VALUES (?, ?, ?, 'uid-held', ?, ?, 60, 'place', 'Bureau A', 'bureau@alpha.test', ?, ?)`,
      )
      .run(w.orgA.id, w.posting.id, w.a1.id, yesterday.toISOString(), new Date(yesterday.getTime() + 3_600_000).toISOString(), yesterday.toISOString(), yesterday.toISOString());
    const decided = await post(bureau, `/recrutement/candidatures/${w.a1.id}/decision`, { outcome: 'rejected', rationale: RATIONALE + ' Finalement un autre profil.', expected_stage_id: stage('interview').id, send_mail: '1' });
    expect(decided.status).to.equal(303);
    expect(stageOf(w.a1.id).kind).to.equal('rejected');
    const mail = ctx.db.prepare('SELECT template FROM outbox WHERE to_address = ? ORDER BY id DESC').get(w.a1.email) as { template: string };
    expect(mail.template).to.equal('candidate.rejection_after_interview');
  });
});
