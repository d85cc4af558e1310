/**
 * The accessibility statement (/accessibilite): published in French and English in the RGAA
 * model's sections, its figures those of the browser sweep's results file, and linked from the
 * footer of every page.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { formatDate, formatNumber } from '../../server/core/i18n.js';
import { loadSweepResults, SWEEP_RESULTS_FILE } from '../../server/features/system/accessibility.js';
import { anonymous, pageText } from '../helpers/agent.js';
import { createTestContext, type TestContext } from '../helpers/app.js';
import { listRoutes } from '../helpers/routes.js';
import { seedTenant, type Tenant } from '../helpers/tenant.js';

describe('system: the accessibility statement', function () {
  this.timeout(120_000);
  let ctx: TestContext;
  let tenant: Tenant;
  before(async () => {
    ctx = createTestContext();
    tenant = await seedTenant(ctx);
  });
  after(() => ctx.close());

  it('when the sweep results file is read then it is there, committed with the code', () => {
    const results = loadSweepResults();
    expect(results, SWEEP_RESULTS_FILE).to.not.equal(undefined);
    expect(results!.pages).to.equal(results!.accounts.reduce((n, a) => n + a.pages, 0));
    expect(results!.viewports).to.include.members([1280, 375, 320]);
  });

  it('when a visitor opens it in French then it has the RGAA sections and the sweep’s figures', async () => {
    const results = loadSweepResults()!;
    const res = await anonymous(ctx.app).get('/accessibilite');
    expect(res.status).to.equal(200);
    const text = pageText(res.text);
    expect(res.text).to.match(/<title>Déclaration d’accessibilité · /);
    for (const section of ['État de conformité', 'Résultats des tests', 'Contenus non accessibles', 'Établissement de cette déclaration', 'Retour d’information et contact', 'Voies de recours']) {
      expect(res.text, section).to.include(`>${section}</h2>`);
    }
    expect(text).to.include('partiellement conforme');
    expect(text).to.include('Défenseur des droits');
    // The figures, as the file has them.
    expect(text).to.include(`le ${formatDate(results.date, 'fr')} sur ${formatNumber(results.pages, 'fr')} pages (${formatNumber(results.pageKinds.length, 'fr')} types de page)`);
    const shown = [...res.text.matchAll(/data-account="([^"]+)" data-pages="(\d+)"/g)].map(([, account, pages]) => ({ account, pages: Number(pages) }));
    expect(shown).to.deep.equal(results.accounts);
    const found = Object.fromEntries([...res.text.matchAll(/data-found="(\w+)" data-n="(\d+)"/g)].map(([, k, v]) => [k, Number(v)]));
    expect(found).to.deep.include({ axe: results.found.axe, axeNarrow: results.found.axeNarrow, reflow320: results.found.reflow320, reflow375: results.found.reflow375, brokenLinks: results.found.brokenLinks, console: results.found.console });
    if (results.found.html) expect(found.html).to.equal(results.found.html.errors);
    expect(text).to.include(`axe-core ${results.tools['axe-core']}`);
    expect(text).to.include(`Chromium ${results.tools.chromium}`);
    if (results.tools['vnu-jar']) expect(text).to.include(`vnu-jar ${results.tools['vnu-jar']}`);
    for (const kind of results.pageKinds) expect(res.text).to.include(`<code>${kind.replace(/&/g, '&amp;')}</code>`);
    if (results.problems.length) expect(text).to.include(results.problems[0]!.detail.slice(0, 40));
    else expect(text).to.include('Les tests automatisés n’ont relevé aucune non-conformité');
  });

  it('when a visitor reads it in English then it is the English statement', async () => {
    const res = await anonymous(ctx.app).get('/accessibilite').set('Cookie', 'coordo.lang=en');
    expect(res.status).to.equal(200);
    expect(res.text).to.match(/<title>Accessibility statement · /);
    expect(pageText(res.text)).to.include('partially compliant');
    expect(res.text).to.include('>Remedies</h2>');
  });

  it('when ACCESSIBILITY_CONTACT is set then the statement gives that address; unset, the CPTS contacts', async () => {
    const withContact = createTestContext({ ACCESSIBILITY_CONTACT: 'accessibilite@cpts.test' });
    try {
      const res = await anonymous(withContact.app).get('/accessibilite');
      expect(res.text).to.include('<a href="mailto:accessibilite@cpts.test">accessibilite@cpts.test</a>');
    } finally {
      withContact.close();
    }
    const res = await anonymous(ctx.app).get('/accessibilite');
    expect(pageText(res.text)).to.include('son adresse de contact figure sur chacune de ses offres');
  });

  it('when the results file is missing or malformed then the statement says so or the start stops', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'coordo-a11y-'));
    try {
      expect(loadSweepResults(path.join(dir, 'none.json'))).to.equal(undefined);
      fs.writeFileSync(path.join(dir, 'bad.json'), JSON.stringify({ date: 'yesterday', pages: -1 }));
      expect(() => loadSweepResults(path.join(dir, 'bad.json'))).to.throw(/not a sweep results file/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  for (const who of ['visitor', 'bureau', 'charge'] as const) {
    it(`when ${who} opens any page then its footer links to the statement`, async () => {
      const agent = who === 'visitor' ? anonymous(ctx.app) : await tenant.login(who);
      let pages = 0;
      const missing: string[] = [];
      for (const route of listRoutes(ctx.app).filter((r) => r.method === 'GET')) {
        const url = tenant.url(route);
        const res = await agent.get(url);
        // Whole pages only: a mail's HTML body, shown in a frame of the outbox page, is not one.
        if (!/text\/html/.test(String(res.headers['content-type'] ?? '')) || !/^\s*<!doctype html>/i.test(res.text)) continue;
        pages++;
        if (!/<footer[\s\S]*<a href="\/accessibilite"[^>]*>Accessibilité\u00a0: partiellement conforme<\/a>[\s\S]*<\/footer>/.test(res.text)) missing.push(`${route.path} (${res.status})`);
      }
      expect(missing, missing.join('\n')).to.deep.equal([]);
      expect(pages).to.be.greaterThan(who === 'visitor' ? 5 : 40);
    });
  }
});
