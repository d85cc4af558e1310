import fs from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import request from 'supertest';
import { loadConfig } from '../../server/core/config.js';
import { migrate, openDatabase } from '../../server/core/db.js';
import { LANG_COOKIE, SESSION_COOKIE } from '../../server/core/page-cache.js';
import { anonymous, login, pageText } from '../helpers/agent.js';
import { createTestContext, type TestContext } from '../helpers/app.js';
import { createWorld } from '../helpers/factories.js';

describe('app basics: health, headers, config, migrations', () => {
  let ctx: TestContext;
  before(() => {
    ctx = createTestContext();
  });
  after(() => ctx.close());

  it('when /healthz is asked then it answers 200 {"status":"ok"} without creating a session', async () => {
    const res = await request(ctx.app).get('/healthz');
    expect(res.status).to.equal(200);
    expect(res.body).to.deep.equal({ status: 'ok' });
    expect(res.headers['set-cookie']).to.equal(undefined);
  });

  it('when SMTP is configured and a mail has waited over an hour, or was given up on, then /healthz fails with 503 and says so', async () => {
    const smtp = createTestContext({ SMTP_URL: 'smtp://127.0.0.1:1' });
    try {
      const queue = (status: string, hoursAgo: number) =>
        smtp.db
          .prepare("INSERT INTO outbox (template, to_address, subject, text_body, html_body, status, next_attempt_at, created_at) VALUES ('t', 'a@example.test', 's', 't', 'h', ?, ?, ?)")
          .run(status, new Date().toISOString(), new Date(Date.now() - hoursAgo * 3600_000).toISOString());
      queue('pending', 0.2);
      queue('sent', 5);
      expect((await request(smtp.app).get('/healthz')).body).to.deep.equal({ status: 'ok' });
      queue('pending', 2);
      const stuck = await request(smtp.app).get('/healthz');
      expect(stuck.status).to.equal(503);
      expect(stuck.headers['cache-control']).to.equal('no-store');
      expect(stuck.body).to.deep.equal({ status: 'mail_stuck', outbox: { stuckOverOneHour: 1, failedLastDay: 0 } });
      smtp.db.prepare("UPDATE outbox SET status = 'failed' WHERE status = 'pending'").run();
      expect((await request(smtp.app).get('/healthz')).body).to.deep.equal({ status: 'mail_stuck', outbox: { stuckOverOneHour: 0, failedLastDay: 2 } });
    } finally {
      smtp.close();
    }
  });

  it('when the database cannot be read then /healthz answers 503', async () => {
    const broken = createTestContext();
    try {
      broken.db.exec('DROP TABLE schema_migrations');
      const res = await request(broken.app).get('/healthz');
      expect(res.status).to.equal(503);
      expect(res.body).to.deep.equal({ status: 'unavailable' });
    } finally {
      broken.close();
    }
  });

  it('when a page is served then it carries a strict CSP without inline script, and other security headers', async () => {
    const res = await request(ctx.app).get('/connexion');
    const csp = String(res.headers['content-security-policy']);
    expect(csp).to.contain("script-src 'self'");
    expect(csp).to.contain("object-src 'none'");
    expect(csp).not.to.contain('unsafe-inline');
    expect(res.headers['x-content-type-options']).to.equal('nosniff');
    expect(res.headers['x-powered-by']).to.equal(undefined);
    expect(res.text).not.to.match(/<script(?![^>]*\bsrc=)[^>]*>/);
    expect(res.text).not.to.match(/\sstyle="/);
  });

  it('when the landing page is opened then it is French by default, even for an English browser, and English once chosen', async () => {
    const fr = await request(ctx.app).get('/');
    expect(fr.text).to.contain('<html lang="fr">');
    expect((await request(ctx.app).get('/').set('Accept-Language', 'en-GB,en;q=0.9')).text).to.contain('<html lang="fr">');
    const en = await request(ctx.app).get('/').set('Cookie', `${LANG_COOKIE}=en`);
    expect(en.text).to.contain('<html lang="en">');
    expect(pageText(en.text)).to.contain('Recruit and welcome');
  });

  it('when a body is too large then the answer is 413, not 500', async () => {
    const agent = anonymous(ctx.app);
    const res = await agent.post('/connexion').type('form').send({ email: 'x'.repeat(400_000) });
    expect(res.status).to.equal(413);
  });

  it('when in production then error pages show no stack trace', async () => {
    const prod = createTestContext({ NODE_ENV: 'production' });
    try {
      const res = await request(prod.app).get('/nulle-part');
      expect(res.status).to.equal(404);
      expect(res.text).not.to.match(/at .*\.ts:\d+/);
      expect(prod.config.demoSeed).to.equal(false);
    } finally {
      prod.close();
    }
  });

  it('when the configuration is invalid then loading it fails with a clear message', () => {
    expect(() => loadConfig({ PORT: 'abc' })).to.throw(/PORT/);
    expect(loadConfig({ DEMO_SEED: 'false' }).demoSeed).to.equal(false);
    expect(loadConfig({ NODE_ENV: 'production', DEMO_SEED: 'true' }).demoSeed).to.equal(false);
    expect(loadConfig({}).uploadMaxBytes).to.equal(5 * 1024 * 1024);
  });

  it('when migrations run twice then the second run applies nothing and the version is the last file', () => {
    const file = path.join(ctx.dir, 'again.db');
    const db = openDatabase(file);
    const first = migrate(db);
    expect(first).to.be.greaterThan(0);
    expect(migrate(db)).to.equal(0);
    const files = fs.readdirSync(path.resolve('db/migrations')).filter((f) => f.endsWith('.sql')).sort();
    expect(db.pragma('user_version', { simple: true })).to.equal(Number(files[files.length - 1].slice(0, 3)));
    expect(db.pragma('journal_mode', { simple: true })).to.equal('wal');
    expect(db.pragma('foreign_keys', { simple: true })).to.equal(1);
    db.close();
  });

  it('when the audit log is edited then the database refuses', async () => {
    const world = await createWorld(ctx.db);
    await login(ctx.app, world.bureauA.email, world.bureauA.password);
    expect(() => ctx.db.prepare("UPDATE audit_log SET action = 'x'").run()).to.throw(/append-only/);
  });
});

describe('public pages: landing and privacy notice', () => {
  let ctx: TestContext;
  before(() => {
    ctx = createTestContext({ RETENTION_MONTHS: '4' });
  });
  after(() => ctx.close());

  it('when the privacy page is opened then it states the controller, recipients and the configured retention', async () => {
    const res = await request(ctx.app).get('/donnees-personnelles');
    expect(res.status).to.equal(200);
    const text = pageText(res.text);
    expect(text).to.contain('Responsable du traitement');
    expect(text).to.contain('puis 4 mois');
    expect(text).to.contain('au plus 24 mois');
    // Every cookie the app sets, with its duration; the network and onboarding data.
    expect(text).to.contain('coordo.sid').and.to.contain('8 heures').and.to.contain('coordo.lang').and.to.contain('12 mois');
    expect(text).to.contain('Réseau régional').and.to.contain('correspondants ARS, CPAM et DAC').and.to.contain('Parcours d’intégration');
    const en = pageText((await request(ctx.app).get('/donnees-personnelles').set('Cookie', `${LANG_COOKIE}=en`)).text);
    expect(en).to.contain('Controller').and.to.contain('coordo.lang').and.to.contain('Onboarding');
  });

  it('when the app sets a cookie then the privacy page names it', async () => {
    const page = pageText((await request(ctx.app).get('/donnees-personnelles')).text);
    const named = [SESSION_COOKIE, LANG_COOKIE];
    for (const name of named) expect(page, name).to.contain(name);
    const form = await request(ctx.app).get('/connexion');
    for (const cookie of [form.headers['set-cookie'] ?? []].flat()) expect(named, cookie).to.include(String(cookie).split('=')[0]);
  });
});
