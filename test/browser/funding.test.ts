import { expect } from 'chai';
import type { Page } from 'playwright-core';
import { DEMO_PASSWORD } from '../../server/demo/seed.js';
import { currentYear } from '../../server/features/funding/service.js';
import type { TestContext } from '../helpers/app.js';
import { demoSession, describeViolations, loginThroughForm, seriousViolations } from '../helpers/browser.js';

/** True when the page scrolls sideways as a whole (a wide table may scroll inside its own box). */
const scrollsSideways = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth > document.documentElement.clientWidth);

describe('browser: from a workload review to a case-manager draft with its funding check', function () {
  this.timeout(90_000);
  let ctx: TestContext;
  let server: Awaited<ReturnType<typeof demoSession>>['server'];
  let page: Page;
  let session: Awaited<ReturnType<typeof demoSession>>;

  before(async () => {
    session = await demoSession();
    ({ ctx, server, page } = session);
    await loginThroughForm(page, server.url, 'bureau@demo.coordo.test', DEMO_PASSWORD);
  });
  after(async () => {
    await session?.close();
  });

  const mainText = async () => ((await page.locator('main').textContent()) ?? '').replace(/\s+/g, ' ');

  it('when the president opens the coordinator’s workload review then the funding check says the envelope covers a case manager', async () => {
    const planId = (ctx.db.prepare("SELECT p.id FROM onboarding_plans p JOIN users u ON u.id = p.user_id WHERE u.email = 'coordination@demo.coordo.test'").get() as { id: number }).id;
    await page.goto(`${server.url}/integration/${planId}`);
    const review = page.locator('li.step', { has: page.locator('h3', { hasText: /Faire le bilan de la charge de travail/ }) });
    // The plan is a checklist: a closed step sits among the folded done steps, its details open on demand.
    const fold = page.locator('details.done-fold', { has: review });
    if (await fold.count()) await fold.locator('summary').first().click();
    await review.locator('details.check-details > summary').click();
    const check = review.getByRole('region', { name: 'Vérification du financement' });
    expect(await check.count()).to.equal(1);
    const text = ((await check.textContent()) ?? '').replace(/\s+/g, ' ');
    expect(text).to.contain('L’enveloppe couvre le poste à son salaire haut, avec 22 390 € de reste.');
    expect(await check.getByRole('table', { name: /Calcul du financement du poste/ }).count()).to.equal(1);
    expect(await check.getByRole('img', { name: 'Répartition de l’enveloppe de fonctionnement' }).count()).to.equal(1);
    const violations = await seriousViolations(page);
    expect(violations, describeViolations(violations)).to.have.length(0);
  });

  it('when the president creates the case-manager draft from the review then the draft carries its funding check', async () => {
    await page.getByRole('button', { name: 'Créer le brouillon d’offre de coordinateur·rice de parcours' }).click();
    await page.waitForURL(/\/gestion\/offres\/\d+$/);
    // The title with what tells the draft apart from the CPTS's other postings (issue 13).
    expect(await page.getByRole('heading', { level: 1 }).textContent()).to.match(/^Coordinateur ou coordinatrice de parcours de santé complexes \(H\/F\) \(Réf\. \d{4}-\d{2}, brouillon\)$/);
    const check = page.getByRole('region', { name: 'Vérification du financement' });
    const text = ((await check.textContent()) ?? '').replace(/\s+/g, ' ');
    expect(text).to.contain('Poste : Coordinateur ou coordinatrice de parcours de santé complexes (H/F)');
    expect(text).to.contain('L’enveloppe couvre le poste à son salaire haut, avec 22 390 € de reste.');
    // The source of this year's amount: the shipped reference, or the demo region's own row in a later year.
    const { source } = ctx.db.prepare('SELECT source FROM funding_envelopes WHERE size_class = 3 AND year = ? ORDER BY region_id IS NULL LIMIT 1').get(currentYear()) as { source: string };
    expect(text).to.contain(`Montant de l’enveloppe : ${source}`);
    const violations = await seriousViolations(page);
    expect(violations, describeViolations(violations)).to.have.length(0);
  });

  it('when the draft is read on a 375 px screen then the page does not scroll sideways', async () => {
    await page.setViewportSize({ width: 375, height: 800 });
    await page.reload();
    expect(await scrollsSideways(page)).to.equal(false);
    await page.getByRole('link', { name: 'Fiche à imprimer pour la réunion du bureau' }).click();
    await page.waitForURL(/\/financement\/fiche\?offre=\d+$/);
    expect(await scrollsSideways(page)).to.equal(false);
    await page.setViewportSize({ width: 1280, height: 800 });
  });

  it('when the sheet is printed then menus and links are left out and the table, reading and source remain', async () => {
    await page.emulateMedia({ media: 'print' });
    expect(await page.locator('.site-header').isVisible()).to.equal(false);
    expect(await page.getByRole('table', { name: /Calcul du financement du poste/ }).isVisible()).to.equal(true);
    expect(await page.getByText('L’enveloppe couvre le poste à son salaire haut').isVisible()).to.equal(true);
    expect(await page.getByText(/Montant de l’enveloppe\s:/).isVisible()).to.equal(true);
    await page.emulateMedia({ media: 'screen' });
  });

  it('when the president of Baugeois-Vallée opens her team funding then it says what a case manager lacks', async () => {
    await page.getByRole('button', { name: 'Se déconnecter' }).click();
    await page.waitForLoadState('load');
    await loginThroughForm(page, server.url, 'bureau.baugeois@demo.coordo.test', DEMO_PASSWORD);
    const orgId = (ctx.db.prepare("SELECT id FROM organisations WHERE slug = 'cpts-baugeois-vallee'").get() as { id: number }).id;
    await page.goto(`${server.url}/organisations/${orgId}/financement`);
    const text = await mainText();
    expect(text).to.contain('Il reste 8 700 € par an sur le fonctionnement après les charges engagées.');
    expect(text).to.contain('L’enveloppe ne couvre pas le poste, même à son salaire bas : il manque 22 620 €.');
    await page.setViewportSize({ width: 375, height: 800 });
    expect(await scrollsSideways(page)).to.equal(false);
    await page.setViewportSize({ width: 1280, height: 800 });
    const violations = await seriousViolations(page);
    expect(violations, describeViolations(violations)).to.have.length(0);
  });

  it('when the chargée de mission opens the regional dashboard then Sud-Loire is listed as able to hire, Baugeois-Vallée as short', async () => {
    await page.getByRole('button', { name: 'Se déconnecter' }).click();
    await page.waitForLoadState('load');
    await loginThroughForm(page, server.url, 'mission@demo.coordo.test', DEMO_PASSWORD);
    await page.getByRole('link', { name: 'Tableau de bord régional' }).click();
    await page.waitForURL(/\/regions\/\d+\/tableau-de-bord$/);
    const table = page.getByRole('table', { name: 'CPTS en surcharge dont la marge permet une embauche' });
    expect(await table.getByRole('rowheader', { name: 'CPTS Sud-Loire Vignoble' }).count()).to.equal(1);
    expect(await table.getByRole('rowheader', { name: 'CPTS Baugeois-Vallée' }).count()).to.equal(0);
    const text = await mainText();
    expect(text).to.contain('CPTS Baugeois-Vallée — Marge insuffisante');
    expect(text).not.to.contain('22 390');
    await page.getByRole('link', { name: 'Montants de l’ACI par taille' }).click();
    await page.waitForURL(/\/regions\/\d+\/financement$/);
    await page.setViewportSize({ width: 375, height: 800 });
    expect(await scrollsSideways(page)).to.equal(false);
    await page.setViewportSize({ width: 1280, height: 800 });
    const violations = await seriousViolations(page);
    expect(violations, describeViolations(violations)).to.have.length(0);
  });
});
