import { expect } from 'chai';
import type { Page } from 'playwright-core';
import { DEMO_PASSWORD, seedDemo } from '../../server/demo/seed.js';
import { createTestContext, type TestContext } from '../helpers/app.js';
import { describeViolations, launchBrowser, loginThroughForm, seriousViolations, startServer } from '../helpers/browser.js';
import { lastMailTo, linkIn } from '../helpers/mail.js';
import { minimalPdf } from '../../server/demo/pdf.js';

const EMAIL = 'maelle.kerjean@exemple.test';

describe('browser: a pooled candidate goes from consent to the second CPTS’s pipeline', function () {
  this.timeout(90_000);
  let ctx: TestContext;
  let server: Awaited<ReturnType<typeof startServer>>;
  let browser: Awaited<ReturnType<typeof launchBrowser>>;
  const one = (sql: string, ...args: unknown[]) => ctx.db.prepare(sql).get(...args) as Record<string, unknown>;

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

  const others: Awaited<ReturnType<typeof launchBrowser>>[] = [];
  after(async () => {
    for (const b of others) await b.close();
  });
  /** Another person at another computer: their own browser profile, so their own cookies. */
  async function fresh(): Promise<{ page: Page }> {
    const b = await launchBrowser();
    others.push(b);
    return { page: await b.context.newPage() };
  }

  it('when she consents, the chargée finds her by her CV and proposes Sud-Loire’s posting, and she accepts with her CV, then her application is in Sud-Loire’s pipeline', async () => {
    const mayenne = one("SELECT p.id, p.slug FROM postings p JOIN organisations o ON o.id = p.organisation_id WHERE o.slug = 'cpts-du-pays-de-mayenne' AND p.status = 'published' ORDER BY p.id LIMIT 1");
    const sudLoire = one("SELECT p.id, p.title FROM postings p JOIN organisations o ON o.id = p.organisation_id WHERE o.slug = 'cpts-sud-loire-vignoble' AND p.status = 'published' ORDER BY p.id LIMIT 1");

    // 1. The candidate applies to Mayenne and ticks the separate regional consent.
    const candidate = await browser.context.newPage();
    await candidate.goto(`${server.url}/offres/${String(mayenne.slug)}/postuler`);
    await candidate.getByLabel('Prénom').fill('Maëlle');
    await candidate.getByRole('textbox', { name: /^Nom/ }).fill('Kerjean');
    await candidate.getByLabel('Adresse e-mail').fill(EMAIL);
    await candidate.getByLabel('CV').setInputFiles({ name: 'CV Maëlle Kerjean.pdf', mimeType: 'application/pdf', buffer: minimalPdf(['Maelle Kerjean', 'Coordinatrice de parcours en addictologie', 'Master de sante publique']) });
    // Mayenne's posting asks its own questions (demo data): answered as the apply form's test does.
    await candidate.getByRole('group', { name: /permis B/ }).getByLabel('Oui').check();
    await candidate.getByRole('group', { name: /prendre le poste/ }).getByLabel('Dès que possible').check();
    await candidate.getByLabel('Comment avez-vous connu cette offre ?').selectOption('board');
    const regional = candidate.getByLabel(/partagée avec les autres CPTS de la région/);
    expect(await regional.isChecked()).to.equal(false);
    await regional.check();
    await candidate.getByRole('button', { name: 'Envoyer ma candidature' }).click();
    await candidate.waitForURL(/\/postuler\/envoyee$/);
    const source = one('SELECT a.id, a.region_pool_consent FROM applications a JOIN candidates c ON c.id = a.candidate_id WHERE c.email = ?', EMAIL);
    expect(source.region_pool_consent).to.equal(1);
    // Mayenne's recruitment ends (the bureau closes the posting).
    ctx.db.prepare("UPDATE postings SET status = 'closed', closed_at = ? WHERE id = ?").run(new Date().toISOString(), mayenne.id);

    // 2. The region's chargée searches the pool by a word of the CV and proposes Sud-Loire's posting.
    const { page: charge } = await fresh();
    await loginThroughForm(charge, server.url, 'mission@demo.coordo.test', DEMO_PASSWORD);
    const region = one("SELECT id FROM regions WHERE slug = 'pays-de-la-loire'");
    await charge.goto(`${server.url}/regions/${String(region.id)}/tableau-de-bord`);
    expect(await charge.getByRole('heading', { name: /Repères régionaux/ }).count()).to.equal(1);
    await charge.getByRole('link', { name: 'Vivier régional' }).click();
    await charge.getByLabel('Rechercher dans les messages et les CV').fill('addictologie');
    await charge.getByRole('button', { name: 'Rechercher' }).click();
    await charge.waitForURL(/vivier\?q=addictologie/);
    const entry = charge.locator(`#pool-${String(source.id)}`);
    expect(await entry.getByRole('heading', { level: 2 }).textContent()).to.equal('Maëlle Kerjean');
    expect(describeViolations(await seriousViolations(charge))).to.equal('');
    await entry.getByLabel('Proposer pour l’offre').selectOption(String(sudLoire.id));
    await entry.getByRole('button', { name: 'Proposer ce poste' }).click();
    await charge.waitForLoadState('load');
    expect(await charge.locator('.flash').first().textContent()).to.contain('Proposition envoyée');
    const before = Number(one("SELECT COUNT(*) AS n FROM applications a JOIN candidates c ON c.id = a.candidate_id WHERE c.email = ? AND a.posting_id = ?", EMAIL, sudLoire.id).n);
    expect(before).to.equal(0);

    // 3. The mail names Sud-Loire and its posting; she ticks her CV and accepts.
    const mail = lastMailTo(ctx.db, EMAIL);
    expect(mail.subject).to.contain('CPTS Sud-Loire Vignoble');
    expect(mail.text_body).to.contain(String(sudLoire.title));
    await candidate.goto(server.url + linkIn(mail, '/vivier/'));
    expect(await candidate.getByRole('heading', { level: 1 }).textContent()).to.equal('Une proposition de poste');
    expect(describeViolations(await seriousViolations(candidate))).to.equal('');
    await candidate.getByLabel(/CV Maëlle Kerjean\.pdf/).check();
    await candidate.getByRole('button', { name: 'Accepter et transmettre' }).click();
    await candidate.waitForLoadState('load');
    expect(await candidate.getByRole('status').first().textContent()).to.contain('Vous avez accepté');

    // 4. Sud-Loire's bureau finds the application in its pipeline, with the CV; Mayenne's is unchanged.
    const created = one("SELECT a.id, a.source FROM applications a JOIN candidates c ON c.id = a.candidate_id WHERE c.email = ? AND a.posting_id = ?", EMAIL, sudLoire.id);
    expect(created.source).to.equal('region_pool');
    const { page: bureau } = await fresh();
    await loginThroughForm(bureau, server.url, 'bureau@demo.coordo.test', DEMO_PASSWORD);
    await bureau.goto(`${server.url}/recrutement/offres/${String(sudLoire.id)}/liste`);
    const anonymous = Boolean(one('SELECT COALESCE((SELECT anonymised FROM pipeline_settings WHERE posting_id = ?), 0) AS a', sudLoire.id).a);
    const list = (await bureau.locator('main').textContent()) ?? '';
    expect(list).to.match(anonymous ? /Candidat·e n°\d+/ : /Maëlle Kerjean/);
    await bureau.goto(`${server.url}/recrutement/candidatures/${String(created.id)}`);
    expect((await bureau.locator('main').textContent()) ?? '').to.match(/CV/);
    expect(one('SELECT COUNT(*) AS n FROM application_documents WHERE application_id = ?', created.id).n).to.equal(1);
    expect(one('SELECT status FROM applications WHERE id = ?', source.id).status).to.equal('received');
  });
});
