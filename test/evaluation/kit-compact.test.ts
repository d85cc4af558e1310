import { expect } from 'chai';
import { pageText } from '../helpers/agent.js';
import { createTestContext, type TestContext } from '../helpers/app.js';
import { as, criteriaIds, evaluationWorld, post, seatPanel } from './fixtures.js';

describe('evaluation: the compact interview kit keeps the draft as the panelist goes', function () {
  this.timeout(30_000);
  let ctx: TestContext;
  let w: Awaited<ReturnType<typeof evaluationWorld>>;
  beforeEach(async () => {
    ctx = createTestContext();
    w = await evaluationWorld(ctx.db, ctx.config.uploadDir);
    seatPanel(ctx.db, w.posting.id, w.orgA.id, [{ id: w.chargeA.id, kind: 'charge', chair: true }, { id: w.bureauA.id }]);
  });
  afterEach(() => ctx.close());
  const kit = () => `/recrutement/candidatures/${w.a1.id}/evaluation`;

  it('when the kit opens then each criterion offers radio buttons, its descriptors and questions folded, and the progress counts what is filled in', async () => {
    const charge = await as(ctx.app, w.chargeA.email);
    const res = await charge.get(kit());
    expect(res.status).to.equal(200);
    const ids = criteriaIds(ctx.db, w.posting.id);
    expect(ids).to.have.length(11);
    for (const id of ids) expect(res.text).to.contain(`<input type="radio" id="f-rating_${id}" name="rating_${id}" value="1"`);
    expect((res.text.match(/<details class="criterion-details">/g) ?? []).length).to.equal(11);
    expect(res.text).to.contain('<progress id="kit-progress" max="11" value="0">');
    expect(pageText(res.text)).to.contain('Critères renseignés : 0 sur 11');
  });

  it('when the script saves the draft then the server answers 204 without a flash, and criteria left unanswered stay unanswered (not "not assessed")', async () => {
    const charge = await as(ctx.app, w.chargeA.email);
    await charge.get(kit());
    const [first, second] = criteriaIds(ctx.db, w.posting.id);
    const saved = await post(charge, kit(), { intent: 'save', autosave: '1', version: '1', [`rating_${first}`]: '4', [`rating_${second}`]: 'na', recommendation: '', summary: '' }, kit());
    expect(saved.status, pageText(saved.text).slice(0, 600)).to.equal(204);
    expect(saved.text).to.equal('');
    const ratings = ctx.db.prepare("SELECT r.criterion_id, r.level FROM evaluation_ratings r JOIN evaluations e ON e.id = r.evaluation_id WHERE e.application_id = ? AND e.status = 'draft' ORDER BY r.criterion_id").all(w.a1.id);
    expect(ratings).to.deep.equal([
      { criterion_id: first, level: 4 },
      { criterion_id: second, level: null },
    ]);
    const page = await charge.get(kit());
    expect(page.text).to.contain(`name="rating_${first}" value="4" checked`);
    expect(page.text).to.contain(`id="rating_${second}-na" name="rating_${second}" value="na" checked`);
    expect(page.text).not.to.match(/value="na" checked[\s\S]*value="na" checked[\s\S]*value="na" checked/);
    expect(page.text).to.contain('<progress id="kit-progress" max="11" value="2">');
    expect(pageText(page.text)).not.to.contain('Brouillon enregistré.');
    // The plain button still answers with the page and its message.
    const button = await post(charge, kit(), { intent: 'save', version: '1', [`rating_${first}`]: '3' }, kit());
    expect(button.status).to.equal(303);
    expect(pageText((await charge.get(button.headers.location)).text)).to.contain('Brouillon enregistré.');
  });

  it('when someone off the panel or another CPTS autosaves then nothing is written (404)', async () => {
    await (await as(ctx.app, w.chargeA.email)).get(kit());
    const [first] = criteriaIds(ctx.db, w.posting.id);
    expect(first).to.be.a('number');
    for (const email of [w.bureauB.email, w.coordinatorA.email]) {
      const agent = await as(ctx.app, email);
      const res = await post(agent, kit(), { intent: 'save', autosave: '1', version: '1', [`rating_${first}`]: '4' });
      expect(res.status, email).to.equal(404);
    }
    expect((ctx.db.prepare('SELECT COUNT(*) AS n FROM evaluations').get() as { n: number }).n).to.equal(0);
  });
});
