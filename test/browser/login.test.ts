import { expect } from 'chai';
import type { Page } from 'playwright-core';
import { seedDemo, DEMO_PASSWORD } from '../../server/demo/seed.js';
import { createTestContext, type TestContext } from '../helpers/app.js';
import { describeViolations, launchBrowser, seriousViolations, startServer } from '../helpers/browser.js';

describe('browser: the demo president logs in', function () {
  this.timeout(60_000);
  let ctx: TestContext;
  let server: Awaited<ReturnType<typeof startServer>>;
  let browser: Awaited<ReturnType<typeof launchBrowser>>;
  let page: Page;

  before(async () => {
    ctx = createTestContext();
    await seedDemo(ctx.db, { passwordCost: 2 ** 10 });
    server = await startServer(ctx.app);
    browser = await launchBrowser();
    page = await browser.context.newPage();
  });
  after(async () => {
    await browser?.close();
    await server?.close();
    ctx?.close();
  });

  it('when a wrong password is typed then the page says so and keeps the e-mail', async () => {
    const other = page;
    await other.goto(`${server.url}/connexion`);
    await other.getByLabel('Adresse e-mail').fill('bureau@demo.coordo.test');
    await other.getByLabel('Mot de passe').fill('mauvais mot de passe');
    await other.getByRole('button', { name: 'Se connecter' }).click();
    await other.waitForLoadState('load');
    expect(await other.getByRole('alert').textContent()).to.contain('Adresse e-mail ou mot de passe incorrect.');
    expect(await other.getByLabel('Adresse e-mail').inputValue()).to.equal('bureau@demo.coordo.test');
  });

  it('when the president logs in with the form then they see their CPTS on the home page', async () => {
    await page.goto(`${server.url}/connexion`);
    await page.getByLabel('Adresse e-mail').fill('bureau@demo.coordo.test');
    await page.getByLabel('Mot de passe').fill(DEMO_PASSWORD);
    await page.getByRole('button', { name: 'Se connecter' }).click();
    await page.waitForURL(`${server.url}/tableau-de-bord`);
    const heading = await page.getByRole('heading', { level: 1 }).textContent();
    expect(heading).to.contain('Hélène Moreau');
    await page.getByRole('link', { name: 'CPTS Sud-Loire Vignoble' }).click();
    await page.waitForURL(/\/organisations\/\d+$/);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).to.equal('CPTS Sud-Loire Vignoble');
    expect(await page.getByRole('cell', { name: 'Coordinateur·rice', exact: true }).count()).to.equal(1);
  });

  it('when axe-core checks the home page and the CPTS page then there is no serious or critical violation', async () => {
    for (const path of ['/tableau-de-bord', '/connexion']) {
      await page.goto(`${server.url}${path}`);
      const violations = await seriousViolations(page);
      expect(violations, describeViolations(violations)).to.have.length(0);
    }
    await page.goto(`${server.url}/tableau-de-bord`);
    await page.getByRole('link', { name: 'CPTS Sud-Loire Vignoble' }).click();
    const violations = await seriousViolations(page);
    expect(violations, describeViolations(violations)).to.have.length(0);
  });

});
