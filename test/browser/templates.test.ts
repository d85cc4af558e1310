import { expect } from 'chai';
import type { Page } from 'playwright-core';
import type { TestContext } from '../helpers/app.js';
import { describeViolations, seriousViolations, signedInDemo } from '../helpers/browser.js';

describe('browser: the demo president writes the CPTS’s own rejection mail in English', function () {
  this.timeout(60_000);
  let session: Awaited<ReturnType<typeof signedInDemo>>;
  let ctx: TestContext;
  let server: typeof session.server;
  let page: Page;

  before(async () => {
    session = await signedInDemo('bureau@demo.coordo.test');
    ({ ctx, server, page } = session);
  });
  after(() => session.close());

  it('when the list offers each language, the English editor saves its copy, and the pages fit 1280 and 375 px', async () => {
    const org = ctx.db.prepare("SELECT id FROM organisations WHERE slug = 'cpts-sud-loire-vignoble'").pluck().get() as number;
    for (const width of [1280, 375]) {
      await page.setViewportSize({ width, height: 900 });
      await page.goto(`${server.url}/recrutement/organisations/${org}/modeles`);
      expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth), `no sideways scrolling at ${width} px`).to.equal(true);
      const violations = await seriousViolations(page);
      expect(violations, describeViolations(violations)).to.have.length(0);
    }
    // From the list: one link to the English copy, two fields, one button.
    await page.getByRole('row', { name: /Refus sans entretien/ }).getByRole('link', { name: 'Modifier en anglais' }).click();
    await page.getByText('Version anglaise').waitFor();
    await page.getByLabel('Objet').fill('Our answer, {cpts}');
    await page.getByLabel('Texte').fill('Dear {candidat},\n\nThank you for applying to “{offre}”.');
    await page.getByRole('button', { name: 'Enregistrer' }).click();
    await page.getByText('Le modèle de courriel a été enregistré.').waitFor();
    expect(page.url()).to.match(/\/modeles\/rejection\?langue=en$/);
    expect(ctx.db.prepare("SELECT locale, subject FROM candidate_mail_templates WHERE organisation_id = ? AND template_key = 'rejection'").all(org)).to.deep.equal([{ locale: 'en', subject: 'Our answer, {cpts}' }]);
    const violations = await seriousViolations(page);
    expect(violations, describeViolations(violations)).to.have.length(0);
  });
});
