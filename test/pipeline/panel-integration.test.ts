import { expect } from 'chai';
import { pageText } from '../helpers/agent.js';
import { createTestContext, type TestContext } from '../helpers/app.js';
import { as, criteriaIds, evaluationWorld, fullForm, post, seatPanel } from '../evaluation/fixtures.js';
import { cardOf } from './fixtures.js';

describe('pipeline × panel: scores on cards and lists, moves by the chargée on the panel', () => {
  let ctx: TestContext;
  let w: Awaited<ReturnType<typeof evaluationWorld>>;
  beforeEach(async () => {
    ctx = createTestContext();
    w = await evaluationWorld(ctx.db);
    seatPanel(ctx.db, w.posting.id, w.orgA.id, [{ id: w.bureauA.id, chair: true }, { id: w.chargeA.id, kind: 'charge' }]);
  });
  afterEach(() => ctx.close());

  const submit = async (email: string, applicationId: number, level: string) => {
    const agent = await as(ctx.app, email);
    await agent.get(`/recrutement/candidatures/${applicationId}/evaluation`); // creates the scorecard
    const res = await post(agent, `/recrutement/candidatures/${applicationId}/evaluation`, fullForm(criteriaIds(ctx.db, w.posting.id), level), `/recrutement/candidatures/${applicationId}/evaluation`);
    expect(res.status, 'evaluation submitted').to.be.below(400);
  };

  it('when both panelists have submitted then the board card and the list show the panel score, and the list filters on it', async () => {
    await submit(w.bureauA.email, w.a1.id, '3');
    await submit(w.chargeA.email, w.a1.id, '4');
    const bureau = await as(ctx.app, w.bureauA.email);
    const board = pageText((await bureau.get(`/recrutement/offres/${w.posting.id}`)).text);
    expect(board).to.contain('Jury : 3,5/4 (2 avis)');
    const scored = pageText((await bureau.get(`/recrutement/offres/${w.posting.id}/liste?note=avec`)).text);
    expect(scored).to.contain('Élodie Martin');
    expect(scored).not.to.contain('Yann Le Bihan');
    const unscored = pageText((await bureau.get(`/recrutement/offres/${w.posting.id}/liste?note=sans`)).text);
    expect(unscored).to.contain('Yann Le Bihan');
    expect(unscored).not.to.contain('Élodie Martin');
  });

  it('when a panelist has not submitted then the board does not show them the others’ score', async () => {
    await submit(w.chargeA.email, w.a1.id, '4');
    const bureau = await as(ctx.app, w.bureauA.email);
    expect(pageText((await bureau.get(`/recrutement/offres/${w.posting.id}`)).text)).not.to.contain('Jury :');
  });

  it('when the chargée sits on the panel then she may move candidates of that posting, but not of another one', async () => {
    const agent = await as(ctx.app, w.chargeA.email);
    const screening = w.stages.find((s) => s.stage_key === 'screening')!;
    const from = cardOf(ctx.db, w.early.id).stage_id;
    const moved = await post(agent, `/recrutement/candidatures/${w.early.id}/deplacer`, { stage_id: String(screening.id === from ? w.stages[0].id : screening.id), expected_stage_id: String(from), comment: '' }, `/recrutement/candidatures/${w.early.id}`);
    expect(moved.status).to.equal(303);
    expect(cardOf(ctx.db, w.early.id).stage_id).not.to.equal(from);
    const otherFrom = cardOf(ctx.db, w.b1.id).stage_id;
    const refused = await post(agent, `/recrutement/candidatures/${w.b1.id}/deplacer`, { stage_id: String(w.stages[0].id), expected_stage_id: String(otherFrom), comment: '' }, `/recrutement/candidatures/${w.b1.id}`);
    expect(refused.status).to.equal(404);
    expect(cardOf(ctx.db, w.b1.id).stage_id).to.equal(otherFrom);
  });
});
