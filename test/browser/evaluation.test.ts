import { expect } from 'chai';
import type { Page } from 'playwright-core';
import { DEMO_PASSWORD } from '../../server/demo/seed.js';
import type { TestContext } from '../helpers/app.js';
import { demoSession, describeViolations, loginThroughForm, seriousViolations } from '../helpers/browser.js';

describe('browser: the chargée de mission rates a candidate from the interview kit', function () {
  this.timeout(90_000);
  let ctx: TestContext;
  let server: Awaited<ReturnType<typeof demoSession>>['server'];
  let page: Page;
  let session: Awaited<ReturnType<typeof demoSession>>;
  let applicationId: number;
  let postingId: number;

  before(async () => {
    session = await demoSession();
    ({ ctx, server, page } = session);
    const row = ctx.db
      .prepare("SELECT a.id, a.posting_id FROM applications a JOIN candidates c ON c.id = a.candidate_id WHERE c.last_name = 'Rousseau' AND c.first_name = 'Émilie'")
      .get() as { id: number; posting_id: number };
    applicationId = row.id;
    postingId = row.posting_id;
    await loginThroughForm(page, server.url, 'mission@demo.coordo.test', DEMO_PASSWORD);
  });
  after(async () => {
    await session?.close();
  });

  it('when she opens the kit at 1280 px then the 11-criterion card fits in about three screens, shows its progress and keeps the draft as she goes', async () => {
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.goto(`${server.url}/recrutement/candidatures/${applicationId}/evaluation`);
    const criteria = page.locator('fieldset.criterion[data-criterion]');
    expect(await criteria.count()).to.equal(11);
    const size = await page.evaluate(() => ({ height: document.documentElement.scrollHeight, width: document.documentElement.scrollWidth }));
    expect(size.width, 'no sideways scrolling').to.equal(1280);
    expect(size.height, `kit height ${size.height} px`).to.be.at.most(3 * 800);
    // Descriptors and questions are folded until asked for.
    const descriptor = criteria.first().locator('.levels-described');
    expect(await descriptor.isVisible()).to.equal(false);
    await criteria.first().locator('summary').click();
    expect(await descriptor.isVisible()).to.equal(true);
    await criteria.first().locator('summary').click();
    // Ratings are radio buttons; the progress follows them.
    expect(await page.locator('[data-progress-text]').textContent()).to.equal('Critères renseignés\u00a0: 0 sur 11');
    await criteria.nth(0).getByLabel(/^4 – Excellent/).check();
    await criteria.nth(1).getByLabel('Non évalué').check();
    expect(await page.locator('[data-progress-text]').textContent()).to.equal('Critères renseignés\u00a0: 2 sur 11');
    expect(await page.locator('#kit-progress').evaluate((el) => (el as HTMLProgressElement).value)).to.equal(2);
    // The draft saves itself: a reload shows the ratings chosen, without any button pressed.
    await page.waitForFunction(() => document.querySelector('[data-autosave-status]')?.textContent?.startsWith('Brouillon enregistré automatiquement'));
    const draft = ctx.db.prepare("SELECT COUNT(*) AS n FROM evaluations e JOIN users u ON u.id = e.panelist_user_id WHERE e.application_id = ? AND e.status = 'draft' AND u.email = 'mission@demo.coordo.test'").get(applicationId) as { n: number };
    expect(draft.n).to.equal(1);
    await page.reload();
    expect(await page.locator('fieldset.criterion[data-criterion]').first().getByLabel(/^4 – Excellent/).isChecked()).to.equal(true);
    expect(await page.locator('[data-progress-text]').textContent()).to.equal('Critères renseignés\u00a0: 2 sur 11');
    // No flash about the automatic save was left for the next page.
    expect(await page.locator('.flash').count()).to.equal(0);
  });

  it('when she opens the kit from her dashboard then the others’ ratings are hidden, and after submitting they show', async () => {
    await page.goto(`${server.url}/tableau-de-bord`);
    await page.getByRole('link', { name: 'Émilie Rousseau' }).first().click();
    await page.waitForURL(`${server.url}/recrutement/candidatures/${applicationId}/evaluation`);
    const before = await page.locator('main, body').first().innerText();
    expect(before).to.contain('s’affichent une fois votre propre évaluation soumise');
    expect(before).not.to.contain('Expérience réelle de coordination de CPTS');
    const violations = await seriousViolations(page);
    expect(violations, describeViolations(violations)).to.have.length(0);

    const fieldsets = page.locator('fieldset.criterion[data-criterion]');
    const n = await fieldsets.count();
    expect(n).to.equal(11);
    for (let i = 0; i < n; i++) {
      await fieldsets.nth(i).getByLabel(/^3 – Bon/).check();
    }
    // The comment is folded with the level descriptions and questions, until asked for.
    expect(await fieldsets.first().getByLabel(/Commentaire/).isVisible()).to.equal(false);
    await fieldsets.first().locator('summary').click();
    await fieldsets.first().getByLabel(/Commentaire/).fill('Très convaincante sur le lien avec les libéraux.');
    await page.getByLabel('Favorable', { exact: true }).check();
    await page.getByLabel('Synthèse').fill('Profil expérimenté, je recommande.');
    await page.getByRole('button', { name: 'Soumettre mon évaluation' }).click();
    await page.waitForURL(`${server.url}/recrutement/candidatures/${applicationId}/evaluation`);
    const after = await page.locator('body').innerText();
    expect(after).to.contain('Évaluation soumise.');
    expect(after).to.contain('Expérience réelle de coordination de CPTS');
    expect(after).to.contain('Dr Hélène Moreau');
    expect(after).to.contain('Très convaincante sur le lien avec les libéraux.');
    const again = await seriousViolations(page);
    expect(again, describeViolations(again)).to.have.length(0);
  });

  it('when she opens the ranking then the matrix shows text besides colour and axe-core finds no serious violation', async () => {
    await page.goto(`${server.url}/recrutement/offres/${postingId}/classement`);
    const text = await page.locator('body').innerText();
    expect(text).to.contain('Matrice de comparaison');
    expect(text).to.contain('Manon Girard');
    expect(text).to.match(/Bon|Excellent/);
    const violations = await seriousViolations(page);
    expect(violations, describeViolations(violations)).to.have.length(0);
  });
});
