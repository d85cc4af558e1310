/**
 * Issue 13, "speed of screening", measured as a president would live it: from the board,
 * screen 10 new applications (read the CV, then move or reject each), counting every click and
 * key press, with JavaScript and without. Then the board's fit at 1280 px and at 375 px.
 */
import { expect } from 'chai';
import type { Locator, Page } from 'playwright-core';
import { DEMO_PASSWORD } from '../../server/demo/seed.js';
import type { TestContext } from '../helpers/app.js';
import { demoSession, describeViolations, launchBrowser, loginThroughForm, seriousViolations } from '../helpers/browser.js';
import { stageByKey } from '../pipeline/fixtures.js';
import { cvLine, screeningPosting } from '../pipeline/screening-fixtures.js';

const ACTION_BUDGET = 25;
/** Which of the 10 are rejected (the others move on to Présélection). */
const REJECTED = new Set([1, 4, 6, 9]);

describe('browser: screening 10 new applications from the board', function () {
  this.timeout(120_000);
  let session: Awaited<ReturnType<typeof demoSession>>;
  let ctx: TestContext;
  let url: string;
  let orgId: number;

  before(async () => {
    session = await demoSession();
    ctx = session.ctx;
    url = session.server.url;
    orgId = (ctx.db.prepare("SELECT id FROM organisations WHERE slug = 'cpts-sud-loire-vignoble'").get() as { id: number }).id;
  });
  after(async () => {
    await session?.close();
  });

  const stageName = (applicationId: number) =>
    (ctx.db.prepare('SELECT s.name FROM pipeline_cards c JOIN pipeline_stages s ON s.id = c.stage_id WHERE c.application_id = ?').get(applicationId) as { name: string }).name;

  /**
   * Screens the posting's 10 new applications from its board and returns the number of
   * actions (clicks + key presses). `keys`: move on and browse with the keyboard shortcuts.
   */
  async function screenTen(page: Page, data: Awaited<ReturnType<typeof screeningPosting>>, keys: boolean): Promise<number> {
    let actions = 0;
    const click = async (target: Locator) => {
      actions++;
      await target.click();
    };
    const press = async (key: string) => {
      actions++;
      await page.keyboard.press(key);
    };
    const tri = (id: number) => `${url}/recrutement/candidatures/${id}/tri`;
    const { apps, posting } = data;

    await page.goto(`${url}/recrutement/offres/${posting.id}`);
    await click(page.getByRole('list', { name: /Nouvelle candidature/ }).getByRole('link', { name: apps[0].name, exact: true }));
    await page.waitForURL(tri(apps[0].id));
    expect(await page.locator('.screening-position').textContent()).to.equal('1 sur 10 à l’étape «\u00a0Nouvelle candidature\u00a0»');

    // Next and previous, once each.
    if (keys) await press('j');
    else await click(page.getByRole('link', { name: 'Suivante' }));
    await page.waitForURL(tri(apps[1].id));
    if (keys) await press('k');
    else await click(page.getByRole('link', { name: 'Précédente' }));
    await page.waitForURL(tri(apps[0].id));

    for (const [i, app] of apps.entries()) {
      expect(page.url()).to.equal(tri(app.id));
      expect(await page.getByRole('heading', { level: 1 }).textContent()).to.contain(app.name);
      // The CV is read on the page itself.
      if (app.type === 'pdf') {
        const src = await page.locator('iframe.document-frame').getAttribute('src');
        expect(src).to.match(new RegExp(`^/recrutement/candidatures/${app.id}/documents/\\d+\\?apercu=1$`));
        const pdf = await page.request.get(`${url}${src}`);
        expect(pdf.headers()['content-type']).to.equal('application/pdf');
        expect(pdf.headers()['content-disposition']).to.match(/^inline;/);
      } else {
        expect(await page.locator('.document-text').innerText()).to.contain(cvLine(app.name));
      }
      const next = i + 1 < apps.length ? tri(apps[i + 1].id) : new RegExp(`/recrutement/offres/${posting.id}#col-\\d+$`);
      if (REJECTED.has(i)) {
        await click(page.getByLabel('Profil sans lien suffisant avec les missions du poste'));
        await click(page.getByRole('button', { name: 'Ne pas retenir' }));
      } else if (keys) {
        await press('a');
      } else {
        await click(page.getByRole('button', { name: 'Passer à « Présélection »' }));
      }
      await page.waitForURL(next);
    }
    expect(await page.getByRole('status').allTextContents()).to.include('Plus aucune candidature à l’étape «\u00a0Nouvelle candidature\u00a0».');
    for (const [i, app] of apps.entries()) expect(stageName(app.id), app.name).to.equal(REJECTED.has(i) ? 'Non retenu(e)' : 'Présélection');
    const rejectionMails = ctx.db.prepare("SELECT COUNT(*) AS n FROM outbox WHERE template = 'candidate.rejection' AND to_address IN (" + apps.map(() => '?').join(',') + ')').get(...apps.map((a) => a.email)) as { n: number };
    expect(rejectionMails.n).to.equal(REJECTED.size);
    return actions;
  }

  it('with JavaScript: 10 applications screened from the board within the budget, keys shown in a help panel', async () => {
    const data = await screeningPosting(ctx.db, ctx.config.uploadDir, orgId, 10, { title: 'Coordination (tri au clavier)' });
    const { page } = session;
    await page.setViewportSize({ width: 1280, height: 800 });
    await loginThroughForm(page, url, 'bureau@demo.coordo.test', DEMO_PASSWORD);
    // The help panel, checked first (not part of the count): the shortcuts and how to turn them off.
    await page.goto(`${url}/recrutement/candidatures/${data.apps[0].id}/tri`);
    await page.keyboard.press('?');
    const help = page.locator('#shortcut-help');
    expect(await help.getAttribute('open')).to.equal('');
    expect(await help.innerText()).to.contain('candidature suivante').and.to.contain('Activer les raccourcis clavier');
    const violations = await seriousViolations(page);
    expect(violations, describeViolations(violations)).to.have.length(0);
    await page.keyboard.press('?');

    const actions = await screenTen(page, data, true);
    console.log(`      screening 10 applications with JavaScript: ${actions} actions (budget ${ACTION_BUDGET})`);
    expect(actions).to.be.at.most(ACTION_BUDGET);
  });

  it('with the shortcuts turned off, a key does nothing', async () => {
    const data = await screeningPosting(ctx.db, ctx.config.uploadDir, orgId, 2, { title: 'Coordination (raccourcis coupés)' });
    const { page } = session;
    await page.goto(`${url}/recrutement/candidatures/${data.apps[0].id}/tri`);
    await page.keyboard.press('?');
    await page.getByLabel('Activer les raccourcis clavier').uncheck();
    await page.keyboard.press('?');
    await page.keyboard.press('a');
    await page.waitForTimeout(300);
    expect(page.url()).to.equal(`${url}/recrutement/candidatures/${data.apps[0].id}/tri`);
    expect(stageName(data.apps[0].id)).to.equal('Nouvelle candidature');
    // The choice is kept for the next page; turned back on for the other tests.
    await page.reload();
    expect(await page.getByLabel('Activer les raccourcis clavier').isChecked()).to.equal(false);
    await page.evaluate(() => window.localStorage.removeItem('coordo.screening.shortcuts'));
  });

  it('without JavaScript: the same 10 with links and buttons only, within the budget', async () => {
    const data = await screeningPosting(ctx.db, ctx.config.uploadDir, orgId, 10, { title: 'Coordination (tri sans JavaScript)' });
    const plain = await launchBrowser({ javaScriptEnabled: false });
    try {
      const page = await plain.context.newPage();
      await page.setViewportSize({ width: 1280, height: 800 });
      await loginThroughForm(page, url, 'bureau@demo.coordo.test', DEMO_PASSWORD);
      await page.goto(`${url}/recrutement/candidatures/${data.apps[0].id}/tri`);
      // Without the script, the shortcut help stays hidden (no key would work).
      expect(await page.locator('#shortcut-help').isVisible()).to.equal(false);
      const actions = await screenTen(page, data, false);
      console.log(`      screening 10 applications without JavaScript: ${actions} actions (budget ${ACTION_BUDGET})`);
      expect(actions).to.be.at.most(ACTION_BUDGET);
    } finally {
      await plain.close();
    }
  });

  it('under anonymised screening the CV shows only once asked for, and the name never', async () => {
    const data = await screeningPosting(ctx.db, ctx.config.uploadDir, orgId, 2, { anonymised: true, title: 'Coordination (tri anonymisé)' });
    const { page } = session;
    const docx = data.apps[1];
    await page.goto(`${url}/recrutement/candidatures/${docx.id}/tri`);
    const before = await page.locator('main').innerText();
    expect(before).not.to.contain(docx.name);
    expect(await page.locator('.document-text, iframe').count()).to.equal(0);
    await page.getByRole('link', { name: 'Afficher les documents (ouverture enregistrée)' }).click();
    expect(await page.locator('.document-text').innerText()).to.contain(cvLine(docx.name));
    expect(await page.getByRole('heading', { level: 1 }).textContent()).not.to.contain(docx.name);
    const recorded = ctx.db.prepare("SELECT COUNT(*) AS n FROM pipeline_reveals WHERE application_id = ? AND what = 'document'").get(docx.id) as { n: number };
    expect(recorded.n).to.equal(1);
  });

  it('the board fits 1280 px: all 8 columns side by side, no page-level sideways scrolling, the columns’ region reachable by keyboard; and 375 px scrolls only inside it', async () => {
    const { page } = session;
    const postingId = (
      ctx.db
        .prepare("SELECT p.id FROM postings p WHERE p.organisation_id = ? AND p.kind = 'coordinator' AND p.status = 'published' ORDER BY p.id LIMIT 1")
        .get(orgId) as { id: number }
    ).id;
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.goto(`${url}/recrutement/offres/${postingId}`);
    const fit = await page.evaluate(() => {
      const columns = [...document.querySelectorAll('.board-column')].map((c) => c.getBoundingClientRect());
      return { pageWidth: document.documentElement.scrollWidth, columns: columns.length, rightmost: Math.max(...columns.map((r) => r.right)) };
    });
    console.log(`      board at 1280 px: page ${fit.pageWidth} px wide, ${fit.columns} columns, the last ending at ${Math.round(fit.rightmost)} px`);
    expect(fit.pageWidth).to.equal(1280);
    expect(fit.columns).to.equal(8);
    expect(fit.rightmost).to.be.at.most(1280);
    // Each card: one visible primary action (its name); the move is folded.
    const firstCard = page.locator('.board-card').first();
    expect(await firstCard.locator('a:visible, button:visible, select:visible').count()).to.equal(1);
    const region = page.getByRole('region', { name: /Colonnes du tableau/ });
    expect(await region.getAttribute('tabindex')).to.equal('0');
    const violations = await seriousViolations(page);
    expect(violations, describeViolations(violations)).to.have.length(0);

    await page.setViewportSize({ width: 375, height: 800 });
    const someone = (ctx.db.prepare('SELECT application_id FROM pipeline_cards WHERE posting_id = ? AND stage_id = ?').get(postingId, stageByKey(ctx.db, postingId, 'new').id) as { application_id: number }).application_id;
    for (const path of [`/recrutement/offres/${postingId}`, `/recrutement/candidatures/${someone}/tri`]) {
      await page.goto(`${url}${path}`);
      expect(await page.evaluate(() => document.documentElement.scrollWidth), `${path} at 375 px`).to.equal(375);
    }
    // At 375 px the board scrolls inside its region: the columns are there, beyond its edge.
    await page.goto(`${url}/recrutement/offres/${postingId}`);
    expect(await region.evaluate((el) => el.scrollWidth > el.clientWidth)).to.equal(true);
    await region.focus();
    await page.keyboard.press('ArrowRight');
    await page.waitForFunction(() => (document.querySelector('.board')?.scrollLeft ?? 0) > 0);
    await page.setViewportSize({ width: 1280, height: 800 });
  });
});
