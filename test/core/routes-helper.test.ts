import { expect } from 'chai';
import { createTestContext, type TestContext } from '../helpers/app.js';
import { fillPath, listRoutes, routeParams, stateChangingRoutes } from '../helpers/routes.js';

describe('route listing helper', () => {
  let ctx: TestContext;
  before(() => {
    ctx = createTestContext();
  });
  after(() => ctx.close());

  it('when the app is built then every feature router is listed with its methods', () => {
    const routes = listRoutes(ctx.app);
    expect(routes.length).to.be.greaterThan(100);
    expect(routes).to.deep.include({ method: 'GET', path: '/healthz' });
    expect(routes).to.deep.include({ method: 'POST', path: '/connexion' });
    expect(stateChangingRoutes(ctx.app).every((r) => r.method !== 'GET')).to.equal(true);
  });

  it('fills the parameters of a pattern', () => {
    expect(routeParams('/a/:id/b/:docId')).to.deep.equal(['id', 'docId']);
    expect(fillPath('/a/:id/b/:docId', { id: 7 }, 'x')).to.equal('/a/7/b/x');
  });
});
