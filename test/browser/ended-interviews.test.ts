import { expect } from 'chai';
import type { Page } from 'playwright-core';
import type { TestContext } from '../helpers/app.js';
import { describeViolations, seriousViolations, signedInDemo } from '../helpers/browser.js';

const inDays = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);

describe('browser: the demo president does not retain a candidate who has an interview planned', function () {
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

  it('when the interview is planned, the reject form says it will be cancelled, and after the rejection the page says it was', async () => {
    // A candidate still being screened, on a posting with a panel.
    const app = ctx.db
      .prepare(
        `SELECT a.id FROM applications a JOIN pipeline_cards c ON c.application_id = a.id JOIN pipeline_stages s ON s.id = c.stage_id
         JOIN organisations o ON o.id = a.organisation_id
         WHERE o.slug = 'cpts-sud-loire-vignoble' AND s.kind = 'middle' AND s.stage_key = 'screening' AND a.status NOT IN ('withdrawn', 'rejected', 'hired')
           AND EXISTS (SELECT 1 FROM panel_members pm WHERE pm.posting_id = a.posting_id) ORDER BY a.id LIMIT 1`,
      )
      .get() as { id: number };
    await page.goto(`${server.url}/recrutement/candidatures/${app.id}/entretiens`);
    await page.getByLabel('Date').fill(inDays(9));
    await page.getByLabel('Heure de début (heure de Paris)').fill('10:00');
    await page.getByLabel('Heure de fin').fill('11:00');
    await page.getByLabel('Adresse (en présentiel)').fill('Maison de santé, Vertou');
    await page.locator('input[name="attendees"]').first().check();
    await page.getByRole('button', { name: 'Planifier et envoyer les invitations' }).click();
    await page.getByText('Entretien planifié').first().waitFor();

    for (const width of [1280, 375]) {
      await page.setViewportSize({ width, height: 900 });
      await page.goto(`${server.url}/recrutement/candidatures/${app.id}/refuser`);
      expect(await page.locator('p.notice').innerText()).to.match(/^Un entretien est prévu le .+\s:\sne pas retenir la candidature l’annule/);
      expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth), `no sideways scrolling at ${width} px`).to.equal(true);
      const violations = await seriousViolations(page);
      expect(violations, describeViolations(violations)).to.have.length(0);
    }
    await page.locator('select[name="reason"]').selectOption({ index: 1 });
    await page.getByRole('button', { name: 'Confirmer : ne pas retenir' }).click();
    await page.getByText('Un entretien prévu est annulé').waitFor();
    expect(ctx.db.prepare('SELECT status FROM interviews WHERE application_id = ?').pluck().all(app.id)).to.deep.equal(['cancelled']);
  });
});
