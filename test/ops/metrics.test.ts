import { expect } from 'chai';
import request from 'supertest';
import { createApp } from '../../server/app.js';
import { createLogger } from '../../server/core/logger.js';
import { enqueueMail } from '../../server/core/mailer.js';
import { Metrics } from '../../server/core/metrics.js';
import { runExclusive } from '../../server/core/scheduler.js';
import { createTestContext, type TestContext } from '../helpers/app.js';

const TOKEN = 'metrics-token-for-the-test-0123456789';

describe('ops: /metrics in the Prometheus format', () => {
  let ctx: TestContext;
  afterEach(() => ctx.close());

  it('when METRICS_TOKEN is not set then /metrics does not exist', async () => {
    ctx = createTestContext();
    const res = await request(ctx.app).get('/metrics').set('Authorization', `Bearer ${TOKEN}`);
    expect(res.status).to.equal(404);
    expect(res.text).to.not.contain('coordo_');
  });

  it('when the token is missing or wrong then 401 and no figures', async () => {
    ctx = createTestContext({ METRICS_TOKEN: TOKEN });
    for (const auth of [undefined, 'Bearer wrong-token', `Basic ${TOKEN}`, `Bearer ${TOKEN}x`]) {
      const req = request(ctx.app).get('/metrics');
      const res = await (auth ? req.set('Authorization', auth) : req);
      expect(res.status, String(auth)).to.equal(401);
      expect(res.headers['www-authenticate']).to.contain('Bearer');
      expect(res.text).to.not.contain('coordo_');
    }
  });

  it('when scraped with the token then request durations by route, job runs, outbox and database size are there', async () => {
    ctx = createTestContext({ METRICS_TOKEN: TOKEN });
    const metrics = new Metrics();
    const app = createApp({ config: ctx.config, db: ctx.db, logger: createLogger('silent'), metrics, sessionSecret: 'test-secret-'.padEnd(48, 'x') });
    await request(app).get('/healthz');
    await request(app).get('/healthz');
    await request(app).get('/offres');
    enqueueMail(ctx.db, { template: 't', to: 'someone@example.test', subject: 's', text: 't', html: '<p>t</p>' });
    ctx.db.prepare("UPDATE outbox SET status = 'failed', attempts = 8").run();
    enqueueMail(ctx.db, { template: 't', to: 'other@example.test', subject: 's', text: 't', html: '<p>t</p>' });
    await runExclusive(ctx.db, { name: 'outbox.send', intervalMs: 10_000, run: () => ({ sent: 3, failed: 1 }) }, 'test', { metrics });
    await runExclusive(ctx.db, { name: 'broken', intervalMs: 10_000, run: () => { throw new Error('down'); } }, 'test', { metrics });

    const res = await request(app).get('/metrics').set('Authorization', `Bearer ${TOKEN}`);
    expect(res.status).to.equal(200);
    expect(res.headers['content-type']).to.contain('text/plain');
    expect(res.headers['cache-control']).to.equal('no-store');
    const text = res.text;
    expect(text).to.contain('coordo_http_request_duration_seconds_count{method="GET",route="/healthz",status="200"} 2');
    expect(text).to.contain('coordo_http_request_duration_seconds_count{method="GET",route="/offres",status="200"} 1');
    expect(text).to.contain('coordo_job_runs_total{job="outbox.send",outcome="ok"} 1');
    expect(text).to.contain('coordo_job_runs_total{job="broken",outcome="failed"} 1');
    expect(text).to.contain('coordo_job_items_total{job="outbox.send",item="failed"} 1');
    expect(text).to.contain('coordo_outbox_messages{status="pending"} 1');
    expect(text).to.contain('coordo_outbox_messages{status="failed"} 1');
    const bytes = (file: string) => Number(new RegExp(`coordo_database_bytes\\{file="${file}"\\} (\\d+)`).exec(text)?.[1]);
    expect(bytes('db')).to.be.at.least(4096);
    expect(bytes('db') + bytes('wal'), 'the schema and the rows, in the file or its log').to.be.greaterThan(100_000);
    expect(text, 'no address from the outbox').to.not.contain('example.test');
  });
});
