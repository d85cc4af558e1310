import { expect } from 'chai';
import { anonymous, login, pageText, submitForm } from '../helpers/agent.js';
import { createTestContext, type TestContext } from '../helpers/app.js';
import { createUser, createWorld } from '../helpers/factories.js';

/** French for everyone by default; English once a person chooses it, and it stays chosen. */
describe('core: the chosen language stays chosen', () => {
  let ctx: TestContext;
  let world: Awaited<ReturnType<typeof createWorld>>;
  beforeEach(async () => {
    ctx = createTestContext();
    world = await createWorld(ctx.db);
  });
  afterEach(() => ctx.close());

  it('when a visitor follows the English link then the cookie lasts a year and every later page is English, whatever the browser says', async () => {
    const agent = anonymous(ctx.app);
    expect((await agent.get('/offres')).text).to.contain('<html lang="fr"');
    const switched = await agent.get('/langue?locale=en&retour=%2Foffres');
    const cookie = String(switched.headers['set-cookie']);
    const maxAge = Number(/Max-Age=(\d+)/.exec(cookie)?.[1]);
    expect(maxAge, cookie).to.be.at.least(300 * 86_400);
    for (const path of ['/offres', '/connexion', '/mot-de-passe-oublie', '/donnees-personnelles']) {
      const page = await agent.get(path).set('Accept-Language', 'fr-FR,fr;q=0.9');
      expect(page.text, path).to.contain('<html lang="en"');
      expect(pageText(page.text), path).to.contain('Log in').and.not.to.contain('Se connecter');
    }
    await agent.get('/langue?locale=fr&retour=%2Foffres');
    const back = await agent.get('/connexion').set('Accept-Language', 'en-GB,en;q=0.9');
    expect(back.text).to.contain('<html lang="fr"');
    expect(pageText(back.text)).to.contain('Se connecter');
  });

  it('when a member has chosen English then it holds after logging out and in again, over a French browser', async () => {
    const member = await createUser(ctx.db, { locale: 'en' });
    const first = await login(ctx.app, member.email, member.password);
    expect(pageText((await first.get('/compte').set('Accept-Language', 'fr')).text)).to.contain('My account');
    await submitForm(first, '/deconnexion', {}, '/compte');
    const again = await login(ctx.app, member.email, member.password);
    const page = await again.get('/compte').set('Accept-Language', 'fr');
    expect(page.text).to.contain('<html lang="en"');
    expect(pageText(page.text)).to.contain('My account');
  });

  it('when a member switches back to French in the account then French is used from the next page on', async () => {
    const agent = await login(ctx.app, world.bureauA.email, world.bureauA.password);
    await submitForm(agent, '/compte', { name: world.bureauA.name, locale: 'en' }, '/compte');
    expect((await agent.get('/compte')).text).to.contain('<html lang="en"');
    await submitForm(agent, '/compte', { name: world.bureauA.name, locale: 'fr' }, '/compte');
    const page = await agent.get('/compte').set('Accept-Language', 'en');
    expect(page.text).to.contain('<html lang="fr"');
    expect(pageText(page.text)).to.contain('Mon compte');
  });
});
