import { expect } from 'chai';
import type { Page } from 'playwright-core';
import { DEMO_PASSWORD, seedDemo } from '../../server/demo/seed.js';
import { createTestContext, type TestContext } from '../helpers/app.js';
import { describeViolations, launchBrowser, seriousViolations, startServer } from '../helpers/browser.js';
import { lastMailTo, linkIn } from '../helpers/mail.js';
import { pdfFile } from '../fixtures/documents.js';

describe('browser: a candidate applies from the public job board', function () {
  this.timeout(60_000);
  let ctx: TestContext;
  let server: Awaited<ReturnType<typeof startServer>>;
  let browser: Awaited<ReturnType<typeof launchBrowser>>;
  let page: Page;

  before(async () => {
    ctx = createTestContext();
    await seedDemo(ctx.db, { passwordCost: 2 ** 10, uploadDir: ctx.config.uploadDir, baseUrl: ctx.config.baseUrl });
    server = await startServer(ctx.app);
    browser = await launchBrowser();
    page = await browser.context.newPage();
  });
  after(async () => {
    await browser?.close();
    await server?.close();
    ctx?.close();
  });

  it('when a candidate finds the Mayenne posting on /offres and applies with a PDF then they see the confirmation and get the acknowledgement', async () => {
    await page.goto(`${server.url}/offres`);
    // The board lists several coordinator postings: take the Pays de Mayenne one.
    await page.locator('.cards a[href^="/offres/coordinateur-cpts-du-pays-de-mayenne-"]').click();
    await page.waitForURL(/\/offres\/coordinateur-cpts-du-pays-de-mayenne-\d{4}$/);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).to.contain('Coordinateur ou coordinatrice de CPTS');
    const ld = JSON.parse((await page.locator('script[type="application/ld+json"]').textContent()) ?? '{}');
    expect(ld['@type']).to.equal('JobPosting');

    await page.getByRole('link', { name: 'Postuler à cette offre' }).first().click();
    await page.waitForURL(/\/postuler$/);
    await page.getByLabel('Prénom').fill('Inès');
    await page.getByRole('textbox', { name: /^Nom/ }).fill('Garnier');
    await page.getByLabel('Adresse e-mail').fill('ines.garnier@exemple.test');
    await page.getByLabel('CV').setInputFiles({ name: 'CV Inès Garnier.pdf', mimeType: 'application/pdf', buffer: pdfFile('Ines Garnier') });
    await page.getByLabel('Message ou lettre de motivation').fill('Coordinatrice de MSP depuis cinq ans.');
    // The posting's own questions (the demo states the permis B as a knock-out criterion).
    await page.getByRole('group', { name: /permis B/ }).getByLabel('Oui').check();
    await page.getByRole('group', { name: /prendre le poste/ }).getByLabel('Dès que possible').check();
    await page.getByLabel('Comment avez-vous connu cette offre ?').selectOption('board');
    await page.getByRole('button', { name: 'Envoyer ma candidature' }).click();
    await page.waitForLoadState('load');
    expect(await page.getByRole('heading', { level: 1 }).textContent()).to.equal('Candidature envoyée');
    expect(await page.getByRole('status').first().textContent()).to.contain('CPTS du Pays de Mayenne');

    // POST-redirect-GET: the confirmation has its own address, and reloading it sends nothing.
    expect(page.url()).to.match(/\/postuler\/envoyee$/);
    const outbox = () => (ctx.db.prepare('SELECT COUNT(*) AS n FROM outbox').get() as { n: number }).n;
    const mails = outbox();
    await page.reload();
    expect(await page.getByRole('heading', { level: 1 }).textContent()).to.equal('Candidature envoyée');
    expect(outbox()).to.equal(mails);

    const ack = lastMailTo(ctx.db, 'ines.garnier@exemple.test');
    const link = linkIn(ack, '/candidature/');
    await page.goto(`${server.url}${link}`);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).to.equal('Ma candidature');
    expect(await page.locator('main').textContent()).to.contain('CV Inès Garnier.pdf');
    const violations = await seriousViolations(page);
    expect(violations, describeViolations(violations)).to.have.length(0);

    // Completing the application through the link: a document, then the message.
    await page.locator('input#f-document[type=file]').setInputFiles({ name: 'Attestation.pdf', mimeType: 'application/pdf', buffer: pdfFile('Attestation') });
    await page.getByRole('button', { name: 'Ajouter ce document' }).click();
    await page.waitForLoadState('load');
    expect(page.url()).to.equal(`${server.url}${link}`);
    expect(await page.locator('main').textContent()).to.contain('Votre document a été ajouté à votre candidature.');
    expect(await page.locator('main').textContent()).to.contain('Attestation.pdf');
    await page.getByRole('textbox', { name: /Message ou lettre de motivation/ }).fill('Disponible dès le mois prochain.');
    await page.getByRole('button', { name: 'Enregistrer mon message' }).click();
    await page.waitForLoadState('load');
    expect(await page.locator('main').textContent()).to.contain('Votre message a été mis à jour.');
    expect(await page.locator('main').textContent()).to.contain('Disponible dès le mois prochain.');
  });

  it('when a required field is missing in the browser then the error summary lists it and the values stay', async () => {
    await page.goto(`${server.url}/offres`);
    await page.locator('.cards a[href^="/offres/gestionnaire-de-cas-cpts-sud-loire-vignoble-"]').click();
    await page.getByRole('link', { name: 'Postuler à cette offre' }).first().click();
    await page.getByLabel('Prénom').fill('Paul');
    await page.getByRole('button', { name: 'Envoyer ma candidature' }).click();
    await page.waitForLoadState('load');
    // The summary names the field before its message, and the title says there is an error.
    expect(await page.locator('.error-summary').textContent()).to.match(/CV[^:]*\s: joignez votre CV/);
    expect(await page.title()).to.match(/^Erreur\s: /);
    expect(await page.getByLabel('Prénom').inputValue()).to.equal('Paul');
    const violations = await seriousViolations(page);
    expect(violations, describeViolations(violations)).to.have.length(0);
  });

  it('when axe-core checks the board, a posting page and the apply form then there is no serious or critical violation', async () => {
    for (const path of ['/offres', '/offres/coordinateur-cpts-du-pays-de-mayenne-' + new Date().getUTCFullYear(), '/offres/coordinateur-cpts-du-pays-de-mayenne-' + new Date().getUTCFullYear() + '/postuler', '/cpts/cpts-du-pays-de-mayenne/offres']) {
      const res = await page.goto(`${server.url}${path}`);
      expect(res?.status(), path).to.equal(200);
      const violations = await seriousViolations(page);
      expect(violations, `${path}\n${describeViolations(violations)}`).to.have.length(0);
    }
  });

  it('when the Atom feed is read by the browser’s XML parser then it is well-formed', async () => {
    await page.goto(`${server.url}/offres`);
    const result = await page.evaluate(async () => {
      const text = await (await fetch('/offres.atom')).text();
      const doc = new DOMParser().parseFromString(text, 'application/xml');
      return { error: doc.getElementsByTagName('parsererror').length, entries: doc.getElementsByTagName('entry').length, root: doc.documentElement.namespaceURI };
    });
    const open = (ctx.db.prepare("SELECT COUNT(*) AS n FROM postings WHERE status = 'published'").get() as { n: number }).n;
    expect(open).to.be.greaterThan(1);
    expect(result).to.deep.equal({ error: 0, entries: open, root: 'http://www.w3.org/2005/Atom' });
  });

  it('when the Mayenne president reviews the posting and its applications then the bureau pages have no serious violation either', async () => {
    const bureau = await browser.context.newPage();
    await bureau.goto(`${server.url}/connexion`);
    await bureau.getByLabel('Adresse e-mail').fill('bureau.mayenne@demo.coordo.test');
    await bureau.getByLabel('Mot de passe').fill(DEMO_PASSWORD);
    await bureau.getByRole('button', { name: 'Se connecter' }).click();
    await bureau.waitForURL(`${server.url}/tableau-de-bord`);
    const org = ctx.db.prepare("SELECT id FROM organisations WHERE slug = 'cpts-du-pays-de-mayenne'").get() as { id: number };
    const posting = ctx.db.prepare('SELECT id FROM postings WHERE organisation_id = ? ORDER BY id LIMIT 1').get(org.id) as { id: number };
    for (const path of [`/organisations/${org.id}/offres`, `/organisations/${org.id}/offres/nouvelle`, `/gestion/offres/${posting.id}`, `/gestion/offres/${posting.id}/modifier`, `/gestion/offres/${posting.id}/candidatures`]) {
      const res = await bureau.goto(`${server.url}${path}`);
      expect(res?.status(), path).to.equal(200);
      const violations = await seriousViolations(bureau);
      expect(violations, `${path}\n${describeViolations(violations)}`).to.have.length(0);
    }
    expect(await bureau.locator('main').textContent()).to.contain('Inès Garnier');
    await bureau.close();
  });
});
