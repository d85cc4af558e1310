import { expect } from 'chai';
import type { Page } from 'playwright-core';
import { DEMO_PASSWORD } from '../../server/demo/seed.js';
import type { TestContext } from '../helpers/app.js';
import { demoSession, describeViolations, loginThroughForm, seriousViolations } from '../helpers/browser.js';
import { lastMailTo } from '../helpers/mail.js';

describe('browser: the demo president screens candidates on the pipeline board', function () {
  this.timeout(60_000);
  let ctx: TestContext;
  let server: Awaited<ReturnType<typeof demoSession>>['server'];
  let page: Page;
  let session: Awaited<ReturnType<typeof demoSession>>;
  let postingId: number;

  const stageOf = (first: string, last: string) =>
    (
      ctx.db
        .prepare(
          `SELECT s.name FROM pipeline_cards c JOIN applications a ON a.id = c.application_id JOIN candidates cd ON cd.id = a.candidate_id
           JOIN pipeline_stages s ON s.id = c.stage_id WHERE cd.first_name = ? AND cd.last_name = ? AND c.posting_id = ?`,
        )
        .get(first, last, postingId) as { name: string }
    ).name;
  const card = (name: string) => page.locator('.board-card', { has: page.getByRole('link', { name, exact: true }) });
  const expectNoViolations = async () => {
    const violations = await seriousViolations(page);
    expect(violations, describeViolations(violations)).to.have.length(0);
  };

  before(async () => {
    session = await demoSession();
    ({ ctx, server, page } = session);
    postingId = (
      ctx.db
        .prepare("SELECT p.id FROM postings p JOIN organisations o ON o.id = p.organisation_id WHERE o.slug = 'cpts-sud-loire-vignoble' AND p.kind = 'coordinator' AND p.status = 'published'")
        .get() as { id: number }
    ).id;
    await loginThroughForm(page, server.url, 'bureau@demo.coordo.test', DEMO_PASSWORD);
  });
  after(async () => {
    await session?.close();
  });

  it('when the president opens the board then each stage is a headed list with its count, and axe finds nothing serious', async () => {
    await page.goto(`${server.url}/recrutement/offres/${postingId}`);
    const heading = page.getByRole('heading', { level: 2, name: /Nouvelle candidature/ });
    expect(await heading.textContent()).to.match(/Nouvelle candidature\s*5/);
    expect(await page.getByRole('list', { name: /Présélection/ }).getByRole('listitem').count()).to.equal(4);
    await expectNoViolations();
  });

  it('when she moves a card with the keyboard through its folded form then it changes column without a reload, the move is announced and saved', async () => {
    await page.goto(`${server.url}/recrutement/offres/${postingId}`);
    const target = card('Sophie Garnier');
    // One visible control besides the name: the folded "Déplacer".
    await target.locator('summary').focus();
    await page.keyboard.press('Enter');
    await target.getByLabel('Déplacer Sophie Garnier vers').focus();
    await target.getByLabel('Déplacer Sophie Garnier vers').selectOption({ label: 'Présélection' });
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => document.getElementById('board-live')?.textContent?.includes('déplacé'));
    expect(await page.locator('#board-live').textContent()).to.equal('Sophie Garnier\u00a0: déplacé·e vers «\u00a0Présélection\u00a0».');
    expect(await page.getByRole('list', { name: /Présélection/ }).getByRole('link', { name: 'Sophie Garnier' }).count()).to.equal(1);
    expect(await page.getByRole('heading', { level: 2, name: /Présélection/ }).textContent()).to.match(/Présélection\s*5/);
    expect(await page.evaluate(() => document.activeElement?.closest('.board-card')?.id)).to.match(/^card-\d+$/);
    expect(stageOf('Sophie', 'Garnier')).to.equal('Présélection');
  });

  it('when the board script is not loaded then the folded link leads to the move form, and the board comes back with the card in its new column', async () => {
    await page.context().route('**/js/board.js', (route) => route.fulfill({ status: 200, contentType: 'text/javascript', body: '' }));
    await page.goto(`${server.url}/recrutement/offres/${postingId}`);
    const target = card('Karim Benali');
    await target.locator('summary').click();
    await target.getByRole('link', { name: 'Choisir l’étape : Karim Benali' }).click();
    await page.waitForURL(/\/deplacer\?retour=board$/);
    await expectNoViolations();
    await page.getByLabel('Déplacer Karim Benali vers').selectOption({ label: 'Entretien' });
    await page.getByRole('button', { name: 'OK : Déplacer Karim Benali' }).click();
    await page.waitForURL(new RegExp(`/recrutement/offres/${postingId}#card-\\d+$`));
    expect(await page.getByRole('status').first().textContent()).to.contain('Karim Benali\u00a0: déplacé·e vers «\u00a0Entretien\u00a0».');
    expect(await page.getByRole('list', { name: /Entretien/ }).getByRole('link', { name: 'Karim Benali' }).count()).to.equal(1);
    expect(stageOf('Karim', 'Benali')).to.equal('Entretien');
    await page.context().unroute('**/js/board.js');
  });

  it('when she rejects a candidate with the mail then the mail is queued and the timeline shows it', async () => {
    await page.goto(`${server.url}/recrutement/offres/${postingId}`);
    const target = card('Thomas Lefèvre');
    await target.locator('summary').click();
    await target.getByLabel('Déplacer Thomas Lefèvre vers').selectOption({ label: 'Non retenu(e)' });
    await target.getByRole('button', { name: 'OK : Déplacer Thomas Lefèvre' }).click();
    await page.waitForURL(/\/refuser/);
    await expectNoViolations();
    await page.getByLabel('Motif').selectOption({ label: 'Expérience ou compétences insuffisantes au regard du poste' });
    await page.getByLabel('Envoyer le courriel de refus adapté (avec ou sans entretien)').check();
    await page.getByRole('button', { name: 'Confirmer : ne pas retenir' }).click();
    await page.waitForURL(new RegExp(`/recrutement/offres/${postingId}`));
    expect(stageOf('Thomas', 'Lefèvre')).to.equal('Non retenu(e)');
    expect(lastMailTo(ctx.db, 'thomas.lefevre@exemple.test').template).to.equal('candidate.rejection');
    await page.getByRole('link', { name: 'Thomas Lefèvre', exact: true }).click();
    await page.waitForURL(/\/recrutement\/candidatures\/\d+\/tri$/);
    await page.getByRole('link', { name: 'Fiche complète' }).click();
    await page.waitForURL(/\/recrutement\/candidatures\/\d+$/);
    const timeline = await page.getByRole('region', { name: 'Historique' }).textContent();
    expect(timeline).to.contain('Courriel envoyé\u00a0: Votre candidature au poste');
    expect(timeline).to.contain('Étape\u00a0: Nouvelle candidature → Non retenu(e)');
    expect(timeline).to.contain('Candidature reçue');
    await expectNoViolations();
  });

  it('when axe-core checks the list pages then there is no serious or critical violation', async () => {
    await page.goto(`${server.url}/recrutement/offres/${postingId}/liste`);
    await expectNoViolations();
    const orgId = (ctx.db.prepare("SELECT id FROM organisations WHERE slug = 'cpts-sud-loire-vignoble'").get() as { id: number }).id;
    await page.goto(`${server.url}/recrutement/organisations/${orgId}/candidatures`);
    expect(await page.getByRole('table').count()).to.equal(1);
    await expectNoViolations();
  });
});
