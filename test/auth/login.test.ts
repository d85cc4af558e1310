import { expect } from 'chai';
import { anonymous, login, pageText, submitForm } from '../helpers/agent.js';
import { createTestContext, type TestContext } from '../helpers/app.js';
import { createWorld } from '../helpers/factories.js';

describe('auth: login and logout', () => {
  let ctx: TestContext;
  let world: Awaited<ReturnType<typeof createWorld>>;
  before(async () => {
    ctx = createTestContext();
    world = await createWorld(ctx.db);
  });
  after(() => ctx.close());

  it('when the credentials are right then the user lands on their dashboard', async () => {
    const agent = await login(ctx.app, world.bureauA.email, world.bureauA.password);
    const res = await agent.get('/tableau-de-bord');
    expect(res.status).to.equal(200);
    expect(pageText(res.text)).to.contain('CPTS Alpha');
    expect(pageText(res.text)).not.to.contain('CPTS Bravo');
  });

  it('when the password is wrong or the e-mail unknown then both get the same 401 message', async () => {
    const wrong = await submitForm(anonymous(ctx.app), '/connexion', { email: world.bureauA.email, password: 'nope nope nope' });
    const unknown = await submitForm(anonymous(ctx.app), '/connexion', { email: 'ghost@example.test', password: 'nope nope nope' });
    expect(wrong.status).to.equal(401);
    expect(unknown.status).to.equal(401);
    expect(pageText(wrong.text)).to.contain('Adresse e-mail ou mot de passe incorrect.');
    expect(pageText(unknown.text)).to.contain('Adresse e-mail ou mot de passe incorrect.');
    const failures = ctx.db.prepare("SELECT COUNT(*) AS n FROM audit_log WHERE action = 'auth.login_failed'").get() as { n: number };
    expect(failures.n).to.be.at.least(2);
  });

  it('when fields are malformed then the form comes back with French messages and 422', async () => {
    const res = await submitForm(anonymous(ctx.app), '/connexion', { email: 'pas-une-adresse', password: '' });
    expect(res.status).to.equal(422);
    const text = pageText(res.text);
    expect(text).to.contain('Saisissez une adresse e-mail valide');
    expect(text).to.contain('Ce champ est obligatoire.');
    expect(res.text).to.contain('value="pas-une-adresse"');
  });

  it('when the CSRF token is missing or forged then the post is refused with 403', async () => {
    const agent = anonymous(ctx.app);
    await agent.get('/connexion');
    const missing = await agent.post('/connexion').type('form').send({ email: world.bureauA.email, password: world.bureauA.password });
    const forged = await agent.post('/connexion').type('form').send({ _csrf: 'forged', email: world.bureauA.email, password: world.bureauA.password });
    expect(missing.status).to.equal(403);
    expect(forged.status).to.equal(403);
    expect(pageText(forged.text)).to.contain('Formulaire expiré');
  });

  it('when logged in then the session cookie is httpOnly and SameSite=Lax, and login renews the session id', async () => {
    const agent = anonymous(ctx.app);
    const first = await agent.get('/connexion');
    const before = String(first.headers['set-cookie'] ?? '');
    const res = await submitForm(agent, '/connexion', { email: world.bureauA.email, password: world.bureauA.password });
    const cookie = String(res.headers['set-cookie']);
    expect(cookie).to.match(/HttpOnly/i);
    expect(cookie).to.match(/SameSite=Lax/i);
    expect(cookie.split(';')[0]).not.to.equal(before.split(';')[0]);
  });

  it('when a next path is given then login follows it, but never to another host', async () => {
    const a = anonymous(ctx.app);
    const ok = await submitForm(a, '/connexion', { email: world.bureauA.email, password: world.bureauA.password, suite: '/compte' });
    expect(ok.headers.location).to.equal('/compte');
    const b = anonymous(ctx.app);
    const evil = await submitForm(b, '/connexion', { email: world.bureauA.email, password: world.bureauA.password, suite: '//evil.example/x' });
    expect(evil.headers.location).to.equal('/tableau-de-bord');
  });

  it('when logging out then the session ends and private pages redirect to login', async () => {
    const agent = await login(ctx.app, world.bureauA.email, world.bureauA.password);
    const out = await submitForm(agent, '/deconnexion', {}, '/compte');
    expect(out.status).to.equal(302);
    const res = await agent.get('/tableau-de-bord');
    expect(res.status).to.equal(302);
    expect(res.headers.location).to.match(/^\/connexion\?suite=/);
  });

  it('when not logged in then a private page redirects to login, and an unknown page is a French 404', async () => {
    const agent = anonymous(ctx.app);
    expect((await agent.get('/compte')).headers.location).to.equal('/connexion?suite=%2Fcompte');
    const notFound = await agent.get('/nulle-part');
    expect(notFound.status).to.equal(404);
    expect(pageText(notFound.text)).to.contain('Page introuvable');
  });

  it('when too many failed logins come from one address then further tries get 429', async () => {
    const limited = createTestContext({ LOGIN_RATE_LIMIT: '3' });
    try {
      const agent = anonymous(limited.app);
      const statuses: number[] = [];
      for (let i = 0; i < 4; i++) statuses.push((await submitForm(agent, '/connexion', { email: 'x@example.test', password: 'wrong password' })).status);
      expect(statuses).to.deep.equal([401, 401, 401, 429]);
    } finally {
      limited.close();
    }
  });
});
