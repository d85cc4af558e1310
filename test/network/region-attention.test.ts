import { expect } from 'chai';
import { loadActor } from '../../server/core/auth.js';
import { addDays, todayInParis } from '../../server/features/onboarding/dates.js';
import { createPlanForHire } from '../../server/features/onboarding/service.js';
import { login, pageText, submitForm } from '../helpers/agent.js';
import { createTestContext, type TestContext } from '../helpers/app.js';
import { createWorld } from '../helpers/factories.js';

describe('network: the regional dashboard puts what needs attention first', () => {
  let ctx: TestContext;
  let world: Awaited<ReturnType<typeof createWorld>>;

  beforeEach(async () => {
    ctx = createTestContext();
    world = await createWorld(ctx.db);
  });
  afterEach(() => ctx.close());

  it('when a coordinator has a plan without a mentor, a CPTS has no coordinator and an event is coming then the first block says so', async () => {
    createPlanForHire(ctx.db, loadActor(ctx.db, world.bureauA.id)!, { organisationId: world.orgA.id, userId: world.coordinatorA.id, kind: 'coordinator', startDate: addDays(todayInParis(), -30) });
    const charge = await login(ctx.app, world.chargeA.email, world.chargeA.password);
    await submitForm(
      charge,
      `/reseau/${world.regionA.id}/evenements`,
      { kind: 'meeting', title: 'Réunion de printemps', date: addDays(todayInParis(), 10), time: '14:00', end_time: '16:00', place: 'Angers', audience: 'region' },
      `/reseau/${world.regionA.id}/evenements/nouveau`,
    );
    const res = await charge.get(`/regions/${world.regionA.id}/tableau-de-bord`);
    expect(res.status).to.equal(200);
    const text = pageText(res.text);
    const first = text.indexOf('À regarder en premier');
    expect(first).to.be.greaterThan(-1);
    expect(first).to.be.lessThan(text.indexOf('triées par priorité'));
    expect(text).to.contain('Intégrations en retard : 1 CPTS');
    expect(text).to.contain('CPTS sans coordinateur·rice : 1');
    expect(text).to.contain('Coordinateur·rices sans pair référent·e : 1');
    expect(text).to.contain('Coord A (CPTS Alpha)');
    expect(text).to.contain('Réunion de printemps');
    expect(text).to.contain('0 oui, 0 peut-être, 0 non, 1 sans réponse (1 invité·es)');
  });
});
