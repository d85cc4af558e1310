import { expect } from 'chai';
import request from 'supertest';
import { createApp } from '../../server/app.js';
import { createLogger } from '../../server/core/logger.js';
import { login } from '../helpers/agent.js';
import { createTestContext, type TestContext } from '../helpers/app.js';
import { createUser, TEST_PASSWORD } from '../helpers/factories.js';

type Line = Record<string, unknown> & { msg: string };

/** The app of a test context again, with a logger whose lines the test reads. */
function loggedApp(ctx: TestContext) {
  const lines: Line[] = [];
  const logger = createLogger('info', { destination: { write: (s: string) => void lines.push(JSON.parse(s) as Line) } });
  const app = createApp({ config: ctx.config, db: ctx.db, logger, sessionSecret: 'test-secret-'.padEnd(48, 'x') });
  const access = () => lines.filter((l) => l.msg === 'request');
  return { app, lines, access };
}

describe('ops: one access line per request', () => {
  let ctx: TestContext;
  afterEach(() => ctx.close());

  it('when pages are requested then each has a line with method, route pattern, status, duration and the id sent back', async () => {
    ctx = createTestContext();
    const { app, access } = loggedApp(ctx);
    const res = await request(app).get('/offres?q=jean.dupont%40example.test&lieu=Nantes');
    expect(res.status).to.equal(200);
    await request(app).get('/nulle-part/marie.curie@example.test');
    await request(app).get('/css/app.css');
    const [board, missing, asset] = access();
    expect(board).to.include({ method: 'GET', route: '/offres', status: 200, reqId: res.headers['x-request-id'] });
    expect(board.ms).to.be.a('number');
    expect(missing).to.include({ route: '(unmatched)', status: 404 });
    expect(asset).to.include({ route: '(static)' });
    const written = JSON.stringify(access());
    expect(written, 'no query string, no path').to.not.match(/dupont|Nantes|curie/);
  });

  it('when a candidate opens their private link then the line has the pattern, never the token', async () => {
    ctx = createTestContext();
    const { app, access } = loggedApp(ctx);
    await request(app).get('/candidature/tok-secret-of-the-candidate-1234567890');
    expect(access()[0].route).to.equal('/candidature/:token');
    expect(JSON.stringify(access())).to.not.contain('tok-secret');
  });

  it('when a signed-in user makes a request then the line carries their user id', async () => {
    ctx = createTestContext();
    const user = await createUser(ctx.db, { email: 'log.user@example.test' });
    const { app, access } = loggedApp(ctx);
    const agent = await login(app, user.email, TEST_PASSWORD);
    await agent.get('/compte');
    expect(access().at(-1)).to.include({ route: '/compte', status: 200, userId: user.id });
  });

  it('when a proxy sends X-Request-Id then it is kept only if the proxy is trusted', async () => {
    ctx = createTestContext({ TRUST_PROXY: 'true' });
    const trusted = loggedApp(ctx);
    const kept = await request(trusted.app).get('/healthz').set('X-Request-Id', 'nginx-0123456789abcdef');
    expect(kept.headers['x-request-id']).to.equal('nginx-0123456789abcdef');
    expect(trusted.access()[0].reqId).to.equal('nginx-0123456789abcdef');
    const odd = await request(trusted.app).get('/healthz').set('X-Request-Id', '<script>');
    expect(odd.headers['x-request-id']).to.match(/^[0-9a-f-]{36}$/);
    ctx.close();

    ctx = createTestContext();
    const untrusted = loggedApp(ctx);
    const replaced = await request(untrusted.app).get('/healthz').set('X-Request-Id', 'nginx-0123456789abcdef');
    expect(replaced.headers['x-request-id']).to.match(/^[0-9a-f-]{36}$/);
  });
});
