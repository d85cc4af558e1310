import { expect } from 'chai';
import type { Page } from 'playwright-core';
import { DEMO_PASSWORD, seedDemo } from '../../server/demo/seed.js';
import { createTestContext, type TestContext } from '../helpers/app.js';
import { describeViolations, launchBrowser, loginThroughForm, seriousViolations, startServer } from '../helpers/browser.js';

/** The demo coordinator's plan as a compact checklist, with and without JavaScript. */
describe('browser: the onboarding plan as a checklist with filters, with and without JavaScript', function () {
  this.timeout(120_000);
  let ctx: TestContext;
  let server: Awaited<ReturnType<typeof startServer>>;
  let planUrl = '';

  before(async () => {
    ctx = createTestContext();
    await seedDemo(ctx.db, { passwordCost: 2 ** 10, uploadDir: ctx.config.uploadDir });
    server = await startServer(ctx.app);
    planUrl = `${server.url}/integration/${(ctx.db.prepare('SELECT id FROM onboarding_plans').get() as { id: number }).id}`;
  });
  after(async () => {
    await server?.close();
    ctx?.close();
  });

  const visibleRows = (page: Page) => page.locator('li.check-row:visible').count();

  async function withBrowser(javaScriptEnabled: boolean, run: (page: Page) => Promise<void>) {
    const browser = await launchBrowser({ javaScriptEnabled });
    try {
      const page = await browser.context.newPage();
      await page.setViewportSize({ width: 1280, height: 800 });
      await loginThroughForm(page, server.url, 'coordination@demo.coordo.test', DEMO_PASSWORD);
      await run(page);
    } finally {
      await browser.close();
    }
  }

  it('with JavaScript: the 21 steps fit in about three screens at 1280 px, filters apply in place, and a step opens on demand', async () => {
    await withBrowser(true, async (page) => {
      await page.goto(planUrl);
      const height = await page.evaluate(() => document.documentElement.scrollHeight);
      expect(height, `page height ${height}px`).to.be.below(3 * 800 + 200);
      expect(await page.locator('li.check-row').count()).to.equal(21);
      const overdueCount = Number(await page.locator('[data-filter="overdue"] .badge').textContent());
      await page.getByRole('link', { name: /^En retard/ }).click();
      expect(page.url()).to.match(/\?filtre=overdue$/);
      expect(await visibleRows(page)).to.equal(overdueCount);
      expect(await page.getByRole('link', { name: /^En retard/ }).getAttribute('aria-current')).to.equal('true');
      const mineCount = Number(await page.locator('[data-filter="mine"] .badge').textContent());
      await page.getByRole('link', { name: /^Mes étapes/ }).click();
      expect(await visibleRows(page)).to.equal(mineCount);
      await page.getByRole('link', { name: /^Toutes/ }).click();
      const doneFold = page.locator('details.done-fold').first();
      expect(await doneFold.isVisible()).to.equal(true);
      expect(await doneFold.getAttribute('open')).to.equal(null);
      const row = page.locator('li.step', { has: page.getByRole('heading', { name: 'Rencontrer les correspondants ARS et CPAM du territoire' }) });
      expect(await row.getByText('Claire Bouvier').isVisible()).to.equal(false);
      await row.locator('summary').first().click();
      expect(await row.getByText(/Claire Bouvier/).isVisible()).to.equal(true);
      const violations = await seriousViolations(page);
      expect(violations, describeViolations(violations)).to.have.length(0);
    });
  });

  it('without JavaScript: the filter links reload the page filtered by the server, and the details still open', async () => {
    await withBrowser(false, async (page) => {
      await page.goto(planUrl);
      const todoCount = Number(await page.locator('[data-filter="todo"] .badge').textContent());
      await page.getByRole('link', { name: /^À faire/ }).click();
      await page.waitForURL(/\?filtre=todo$/);
      expect(await visibleRows(page)).to.equal(todoCount);
      expect(await page.locator('details.done-fold:visible').count()).to.equal(0);
      const row = page.locator('li.check-row:visible').first();
      await row.locator('summary').first().click();
      expect(await row.locator('textarea[name="body"]').isVisible()).to.equal(true);
    });
  });

  it('at 375 px the checklist reads without sideways scrolling, long addresses wrapping', async () => {
    await withBrowser(true, async (page) => {
      await page.setViewportSize({ width: 375, height: 740 });
      await page.goto(planUrl);
      for (const s of await page.locator('details.check-details').all()) await s.evaluate((d) => ((d as HTMLDetailsElement).open = true));
      const width = await page.evaluate(() => document.documentElement.scrollWidth);
      expect(width).to.be.at.most(375);
      const regionId = (ctx.db.prepare('SELECT id FROM regions').get() as { id: number }).id;
      const series = ctx.db.prepare('SELECT organisation_id, first_date FROM exchange_series').get() as { organisation_id: number; first_date: string };
      const eventId = (ctx.db.prepare('SELECT id FROM network_events ORDER BY starts_at').get() as { id: number }).id;
      for (const path of [`/reseau/${regionId}`, `/reseau/evenements/${eventId}`, `/organisations/${series.organisation_id}/echange`, `/organisations/${series.organisation_id}/echange/${series.first_date}`, '/tableau-de-bord']) {
        await page.goto(`${server.url}${path}`);
        expect(await page.evaluate(() => document.documentElement.scrollWidth), path).to.be.at.most(375);
      }
    });
  });
});
