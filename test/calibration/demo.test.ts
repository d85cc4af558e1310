import { expect } from 'chai';
import { DEMO_PASSWORD, seedDemo } from '../../server/demo/seed.js';
import { login, pageText } from '../helpers/agent.js';
import { createTestContext, type TestContext } from '../helpers/app.js';

describe('calibration: the demo region shows real figures', () => {
  let ctx: TestContext;
  before(async () => {
    ctx = createTestContext();
    await seedDemo(ctx.db, { passwordCost: 2 ** 10, uploadDir: ctx.config.uploadDir });
  });
  after(() => ctx.close());

  it('when the demo chargée opens the calibration page then alpha, its interval and the low agreement on Diplomatie show, and the peer coordinator reads as lenient', async () => {
    const agent = await login(ctx.app, 'mission@demo.coordo.test', DEMO_PASSWORD);
    const region = (ctx.db.prepare("SELECT id FROM regions WHERE slug = 'pays-de-la-loire'").get() as { id: number }).id;
    expect((await agent.get(`/regions/${region}/tableau-de-bord`)).text).to.contain(`href="/regions/${region}/calibration"`);
    const text = pageText((await agent.get(`/regions/${region}/calibration`)).text);
    expect(text).to.match(/Accord global \d,\d{3} \(\d,\d{3} – \d,\d{3}\)/);
    expect(text).to.contain('Accord faible sur « Diplomatie »');
    expect(text).to.match(/Julien Péan \d+ \+\d,\d\d \(plus indulgent·e que les autres\)/);
  });

  it('when the demo peer coordinator opens their own figures then they see them, linked from their evaluations', async () => {
    const agent = await login(ctx.app, 'coordination@demo.coordo.test', DEMO_PASSWORD);
    expect(pageText((await agent.get('/calibration')).text)).to.match(/Votre indulgence : \+\d,\d\d/);
  });
});
