import { expect } from 'chai';
import type { Page } from 'playwright-core';
import { DEMO_PASSWORD } from '../../server/demo/seed.js';
import type { TestContext } from '../helpers/app.js';
import { demoSession, describeViolations, loginThroughForm, seriousViolations } from '../helpers/browser.js';

describe('browser: the demo coordinator follows their onboarding plan', function () {
  this.timeout(60_000);
  let ctx: TestContext;
  let server: Awaited<ReturnType<typeof demoSession>>['server'];
  let page: Page;
  let session: Awaited<ReturnType<typeof demoSession>>;

  before(async () => {
    session = await demoSession();
    ({ ctx, server, page } = session);
    await loginThroughForm(page, server.url, 'coordination@demo.coordo.test', DEMO_PASSWORD);
  });
  after(async () => {
    await session?.close();
  });

  it('when the coordinator opens their plan from the home page then they see phases, progress and their ARS/CPAM correspondents and the next meeting', async () => {
    await page.getByRole('link', { name: /Mon parcours d’intégration/ }).click();
    await page.waitForURL(/\/integration\/\d+$/);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).to.equal('Parcours d’intégration de Julien Péan');
    expect(await page.getByRole('heading', { level: 2, name: 'Première semaine' }).count()).to.equal(1);
    const text = (await page.locator('main').textContent()) ?? '';
    expect(text).to.contain('ARS (délégation départementale)');
    expect(text).to.contain('Claire Bouvier');
    expect(text).to.contain('CPAM');
    expect(text).to.contain('Yann Le Bihan');
    expect(text).to.contain('02 40 11 22 33');
    expect(text).to.contain('Réunion du réseau régional des coordinateurs de CPTS');
    expect(text).to.contain('Sandrine Hervé');
    expect(await page.getByLabel('Avancement du parcours').getAttribute('value')).to.equal('7');
  });

  it('when the coordinator ticks a step then it shows as done with their name and the progress moves', async () => {
    await page.getByRole('button', { name: 'Marquer comme fait : Rencontrer les correspondants ARS et CPAM du territoire' }).click();
    await page.waitForLoadState('load');
    expect(await page.getByRole('status').first().textContent()).to.contain('Étape marquée comme faite.');
    const step = page.locator('li.step', { has: page.getByRole('heading', { name: /Rencontrer les correspondants ARS et CPAM/ }) });
    expect(await step.textContent()).to.contain('Julien Péan, le');
    expect(await page.getByLabel('Avancement du parcours').getAttribute('value')).to.equal('8');
  });

  it('when the coordinator follows the link to the next meeting then the event page offers the .ics and an RSVP', async () => {
    // The checklist keeps each step's details folded: open the network step's.
    const step = page.locator('li.step', { has: page.getByRole('heading', { name: /Rejoindre le réseau régional/ }) });
    await step.locator('summary').first().click();
    await step.getByRole('link', { name: 'Réunion du réseau régional des coordinateurs de CPTS' }).click();
    await page.waitForURL(/\/reseau\/evenements\/\d+$/);
    expect(await page.getByRole('link', { name: 'Ajouter à mon agenda (.ics)' }).count()).to.equal(1);
    await page.getByLabel('Oui').check();
    await page.getByRole('button', { name: 'Répondre' }).click();
    await page.waitForLoadState('load');
    expect(await page.locator('main').textContent()).to.contain('Votre réponse actuelle\u00a0: Oui.');
  });

  it('when axe-core checks the plan, the home page, the directory and the event then there is no serious or critical violation', async () => {
    const planId = (ctx.db.prepare('SELECT id FROM onboarding_plans').get() as { id: number }).id;
    const regionId = (ctx.db.prepare('SELECT id FROM regions').get() as { id: number }).id;
    const eventId = (ctx.db.prepare('SELECT id FROM network_events ORDER BY starts_at').get() as { id: number }).id;
    for (const path of [`/integration/${planId}`, '/tableau-de-bord', `/reseau/${regionId}`, `/reseau/evenements/${eventId}`]) {
      await page.goto(`${server.url}${path}`);
      const violations = await seriousViolations(page);
      expect(violations, `${path}: ${describeViolations(violations)}`).to.have.length(0);
    }
  });

  it('when the chargée de mission checks her pages then they have no serious violation either', async () => {
    const p = page;
    await p.getByRole('button', { name: 'Se déconnecter' }).click();
    await p.waitForLoadState('load');
    await p.goto(`${server.url}/connexion`);
    await p.getByLabel('Adresse e-mail').fill('mission@demo.coordo.test');
    await p.getByLabel('Mot de passe').fill(DEMO_PASSWORD);
    await p.getByRole('button', { name: 'Se connecter' }).click();
    await p.waitForURL(`${server.url}/tableau-de-bord`);
    const regionId = (ctx.db.prepare('SELECT id FROM regions').get() as { id: number }).id;
    const templateId = (ctx.db.prepare('SELECT id FROM onboarding_templates ORDER BY id').get() as { id: number }).id;
    const eventId = (ctx.db.prepare('SELECT id FROM network_events ORDER BY starts_at').get() as { id: number }).id;
    for (const path of [`/reseau/${regionId}`, `/modeles-integration/${templateId}`, `/reseau/${regionId}/binomes/nouveau`, `/reseau/evenements/${eventId}`, '/organisations/1/integration/nouveau']) {
      await p.goto(`${server.url}${path}`);
      const violations = await seriousViolations(p);
      expect(violations, `${path}: ${describeViolations(violations)}`).to.have.length(0);
    }
  });
});
