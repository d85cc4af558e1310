import { expect } from 'chai';
import { anonymous, login, pageText, submitForm } from '../helpers/agent.js';
import { createTestContext, type TestContext } from '../helpers/app.js';
import { createUser, createWorld } from '../helpers/factories.js';
import { lastMailTo, linkIn, mailsTo } from '../helpers/mail.js';
import { RESET_MAILS_PER_ADDRESS, RESET_WINDOW_MINUTES, requestPasswordReset } from '../../server/features/auth/service.js';

describe('auth: password reset and account', () => {
  let ctx: TestContext;
  let world: Awaited<ReturnType<typeof createWorld>>;
  beforeEach(async () => {
    ctx = createTestContext();
    world = await createWorld(ctx.db);
  });
  afterEach(() => ctx.close());

  it('when a known and an unknown address ask for a reset then both see the same answer, and only the known one gets mail', async () => {
    const known = await submitForm(anonymous(ctx.app), '/mot-de-passe-oublie', { email: world.bureauA.email });
    const unknown = await submitForm(anonymous(ctx.app), '/mot-de-passe-oublie', { email: 'ghost@example.test' });
    expect(known.status).to.equal(200);
    expect(unknown.status).to.equal(200);
    expect(pageText(known.text).replace(world.bureauA.email, 'X')).to.equal(pageText(unknown.text).replace('ghost@example.test', 'X'));
    expect(mailsTo(ctx.db, world.bureauA.email)).to.have.length(1);
    expect(mailsTo(ctx.db, 'ghost@example.test')).to.have.length(0);
  });

  it('when the reset link is followed then the new password works, the old one not, and the link is single-use', async () => {
    const other = await login(ctx.app, world.bureauA.email, world.bureauA.password);
    await submitForm(anonymous(ctx.app), '/mot-de-passe-oublie', { email: world.bureauA.email });
    const path = linkIn(lastMailTo(ctx.db, world.bureauA.email), '/reinitialisation/');
    const agent = anonymous(ctx.app);
    const res = await submitForm(agent, path, { password: 'nouvelle phrase secrète', confirm: 'nouvelle phrase secrète' }, path);
    expect(res.status).to.equal(302);
    await login(ctx.app, world.bureauA.email, 'nouvelle phrase secrète');
    const old = await submitForm(anonymous(ctx.app), '/connexion', { email: world.bureauA.email, password: world.bureauA.password });
    expect(old.status).to.equal(401);
    expect((await anonymous(ctx.app).get(path)).status).to.equal(404);
    // Sessions opened with the old password are closed.
    expect((await other.get('/tableau-de-bord')).status).to.equal(302);
  });

  it('when the reset link has expired then it is refused', async () => {
    await submitForm(anonymous(ctx.app), '/mot-de-passe-oublie', { email: world.bureauA.email });
    const path = linkIn(lastMailTo(ctx.db, world.bureauA.email), '/reinitialisation/');
    ctx.db.prepare("UPDATE password_resets SET expires_at = '2000-01-01T00:00:00.000Z'").run();
    const res = await anonymous(ctx.app).get(path);
    expect(res.status).to.equal(404);
    expect(pageText(res.text)).to.contain('Lien invalide ou expiré');
  });

  it('when an English-speaking user asks for a reset then the mail is in English', async () => {
    const en = await createUser(ctx.db, { locale: 'en' });
    await submitForm(anonymous(ctx.app), '/mot-de-passe-oublie', { email: en.email });
    expect(lastMailTo(ctx.db, en.email).subject).to.equal('Reset your Coordo password');
  });

  it('when a user changes name and language then the interface follows', async () => {
    const agent = await login(ctx.app, world.bureauA.email, world.bureauA.password);
    const res = await submitForm(agent, '/compte', { name: 'Bureau Renommé', locale: 'en' }, '/compte');
    expect(res.status).to.equal(302);
    const page = await agent.get('/compte');
    expect(page.text).to.contain('lang="en"');
    expect(pageText(page.text)).to.contain('My account');
    expect(page.text).to.contain('value="Bureau Renommé"');
  });

  it('when the account form is invalid then the errors show and nothing changes', async () => {
    const agent = await login(ctx.app, world.bureauA.email, world.bureauA.password);
    const res = await submitForm(agent, '/compte', { name: 'x'.repeat(500), locale: 'de' }, '/compte');
    expect(res.status).to.equal(422);
    expect(pageText(res.text)).to.contain('Le nom est trop long');
    const row = ctx.db.prepare('SELECT name, locale FROM users WHERE id = ?').get(world.bureauA.id) as { name: string; locale: string };
    expect(row).to.deep.equal({ name: world.bureauA.name, locale: 'fr' });
  });

  it('when changing password with a wrong current one then it is refused; with the right one it works', async () => {
    const agent = await login(ctx.app, world.bureauA.email, world.bureauA.password);
    const wrong = await submitForm(agent, '/compte/mot-de-passe', { current: 'faux', password: 'nouvelle phrase secrète', confirm: 'nouvelle phrase secrète' }, '/compte');
    expect(wrong.status).to.equal(422);
    expect(pageText(wrong.text)).to.contain('Le mot de passe actuel est incorrect.');
    const ok = await submitForm(agent, '/compte/mot-de-passe', { current: world.bureauA.password, password: 'nouvelle phrase secrète', confirm: 'nouvelle phrase secrète' }, '/compte');
    expect(ok.status).to.equal(302);
    expect((await agent.get('/compte')).status).to.equal(200);
    await login(ctx.app, world.bureauA.email, 'nouvelle phrase secrète');
  });

  it('when an anonymous visitor switches language then the pages are in English', async () => {
    const agent = anonymous(ctx.app);
    const link = /href="(\/langue\?locale=en[^"]*)"/.exec((await agent.get('/connexion')).text)?.[1].replaceAll('&amp;', '&');
    expect(link).to.equal('/langue?locale=en&retour=%2Fconnexion');
    expect((await agent.get(link!)).headers.location).to.equal('/connexion');
    expect(pageText((await agent.get('/connexion')).text)).to.contain('Log in with the e-mail address');
  });

  it('when one address asks for many resets then it gets at most the per-address number of mails, and the answer stays the same', async () => {
    const answers: string[] = [];
    for (let i = 0; i < RESET_MAILS_PER_ADDRESS + 4; i++) {
      // A new visitor each time, as from other browsers: the limit is the address's, not the session's.
      const res = await submitForm(anonymous(ctx.app), '/mot-de-passe-oublie', { email: world.bureauA.email });
      expect(res.status).to.equal(200);
      answers.push(pageText(res.text));
    }
    expect(new Set(answers).size).to.equal(1);
    expect(mailsTo(ctx.db, world.bureauA.email)).to.have.length(RESET_MAILS_PER_ADDRESS);
    // Another address is not affected.
    await submitForm(anonymous(ctx.app), '/mot-de-passe-oublie', { email: world.bureauB.email });
    expect(mailsTo(ctx.db, world.bureauB.email)).to.have.length(1);
  });

  it('when the per-address window has passed then the address gets a reset mail again (counted in the database)', async () => {
    const old = new Date(Date.now() - (RESET_WINDOW_MINUTES + 5) * 60_000);
    const mail = { baseUrl: 'http://coordo.test', translator: () => (k: string) => k };
    for (let i = 0; i < RESET_MAILS_PER_ADDRESS; i++) requestPasswordReset(ctx.db, world.bureauA.email, mail, old);
    requestPasswordReset(ctx.db, world.bureauA.email, mail, new Date(Date.now() - 60_000));
    expect(mailsTo(ctx.db, world.bureauA.email)).to.have.length(RESET_MAILS_PER_ADDRESS + 1);
  });

  it('when one IP asks for resets past the limit then it gets a 429 and no mail, even though each answer was neutral', async () => {
    const limited = createTestContext({ LOGIN_RATE_LIMIT: '3' });
    try {
      const users = await createWorld(limited.db);
      const emails = [users.admin.email, users.chargeA.email, users.bureauA.email, users.bureauB.email, users.coordinatorA.email];
      const statuses: number[] = [];
      for (const email of emails) statuses.push((await submitForm(anonymous(limited.app), '/mot-de-passe-oublie', { email })).status);
      expect(statuses).to.deep.equal([200, 200, 200, 429, 429]);
      expect(emails.map((e) => mailsTo(limited.db, e).length)).to.deep.equal([1, 1, 1, 0, 0]);
    } finally {
      limited.close();
    }
  });
});

