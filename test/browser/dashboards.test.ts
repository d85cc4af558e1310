import { expect } from 'chai';
import type { Page } from 'playwright-core';
import { seedDemo, DEMO_PASSWORD } from '../../server/demo/seed.js';
import { createTestContext, type TestContext } from '../helpers/app.js';
import { describeViolations, launchBrowser, seriousViolations, startServer } from '../helpers/browser.js';

describe('browser: the demo dashboards', function () {
  this.timeout(90_000);
  let ctx: TestContext;
  let server: Awaited<ReturnType<typeof startServer>>;
  let browser: Awaited<ReturnType<typeof launchBrowser>>;

  before(async () => {
    ctx = createTestContext();
    await seedDemo(ctx.db, { passwordCost: 2 ** 10, uploadDir: ctx.config.uploadDir, baseUrl: ctx.config.baseUrl });
    server = await startServer(ctx.app);
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await server?.close();
    ctx?.close();
  });

  async function logIn(email: string): Promise<Page> {
    const page = await browser.context.newPage();
    await page.context().clearCookies();
    await page.goto(`${server.url}/connexion`);
    await page.getByLabel('Adresse e-mail').fill(email);
    await page.getByLabel('Mot de passe').fill(DEMO_PASSWORD);
    await page.getByRole('button', { name: 'Se connecter' }).click();
    await page.waitForURL(`${server.url}/tableau-de-bord`);
    return page;
  }

  it('when the demo president opens her dashboard and reports then they are filled and pass axe-core', async () => {
    const page = await logIn('bureau@demo.coordo.test');
    await page.getByRole('link', { name: 'Tableau de bord', exact: true }).last().click();
    await page.waitForURL(/\/organisations\/\d+\/tableau-de-bord$/);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).to.contain('CPTS Sud-Loire Vignoble');
    const rows = page.getByRole('table', { name: 'Offres ouvertes et candidatures en cours par étape' }).getByRole('row');
    expect(await rows.count()).to.be.greaterThan(1);
    let violations = await seriousViolations(page);
    expect(violations, describeViolations(violations)).to.have.length(0);
    await page.getByRole('link', { name: 'Rapports' }).click();
    await page.waitForURL(/\/rapports$/);
    expect(await page.getByRole('img', { name: 'Entonnoir : candidatures par étape atteinte' }).count()).to.equal(1);
    violations = await seriousViolations(page);
    expect(violations, describeViolations(violations)).to.have.length(0);
    const download = page.waitForEvent('download');
    await page.getByRole('link', { name: /Exporter en CSV : Comment les candidat·es/ }).click();
    expect((await download).suggestedFilename()).to.equal('rapport-sources.csv');
    await page.close();
  });

  it('when the demo chargée de mission opens the regional dashboard then every CPTS shows and it passes axe-core', async () => {
    const page = await logIn('mission@demo.coordo.test');
    await page.getByRole('link', { name: 'Tableau de bord régional' }).click();
    await page.waitForURL(/\/regions\/\d+\/tableau-de-bord$/);
    const table = page.getByRole('table', { name: /CPTS de la région Pays de la Loire/ });
    for (const name of ['CPTS Sud-Loire Vignoble', 'CPTS Baugeois-Vallée', 'CPTS du Pays de Mayenne']) {
      expect(await table.getByRole('rowheader', { name: new RegExp(name) }).count(), name).to.equal(1);
    }
    const violations = await seriousViolations(page);
    expect(violations, describeViolations(violations)).to.have.length(0);
    await page.close();
  });
});
