import { expect } from 'chai';
import type { Page } from 'playwright-core';
import { DEMO_PASSWORD } from '../../server/demo/seed.js';
import { demoSession, describeViolations, loginThroughForm, seriousViolations } from '../helpers/browser.js';

describe('browser: a coordinator–bureau series started from the onboarding step, with agenda, minutes and a carried action', function () {
  this.timeout(120_000);
  let session: Awaited<ReturnType<typeof demoSession>>;
  let page: Page;
  let orgId = 0;
  let meetingUrl = '';

  before(async () => {
    session = await demoSession();
    page = session.page;
    orgId = (session.ctx.db.prepare("SELECT organisation_id FROM memberships m JOIN users u ON u.id = m.user_id WHERE u.email = 'bureau.baugeois@demo.coordo.test'").get() as { organisation_id: number }).organisation_id;
  });
  after(async () => {
    await session?.close();
  });

  const logout = async () => {
    await page.getByRole('button', { name: 'Se déconnecter' }).click();
    await page.waitForLoadState('load');
  };

  it('when the president starts the coordinator’s plan then the coordinator template is preselected', async () => {
    await loginThroughForm(page, session.server.url, 'bureau.baugeois@demo.coordo.test', DEMO_PASSWORD);
    await page.goto(`${session.server.url}/organisations/${orgId}/integration/nouveau`);
    const template = page.getByLabel('Modèle de parcours (obligatoire)');
    // Start from the other post's template: choosing the person switches to theirs.
    await template.selectOption({ index: (await template.locator('option').count()) - 1 });
    const sandrine = await page.locator('[data-person-select] option', { hasText: 'Sandrine Hervé' }).getAttribute('value');
    await page.getByLabel('Personne accueillie (obligatoire)').selectOption(sandrine!);
    expect(await template.locator('option:checked').getAttribute('data-kind')).to.equal('coordinator');
    await page.getByRole('button', { name: 'Démarrer le parcours' }).click();
    await page.waitForURL(/\/integration\/\d+$/);
  });

  it('when the president opens the exchange step and organises the series then it is created with its next meeting', async () => {
    const row = page.locator('li.step', { has: page.getByRole('heading', { name: 'Instaurer le point régulier avec la présidence' }) });
    await row.locator('summary').first().click();
    await row.getByRole('link', { name: /Organiser le point régulier/ }).click();
    await page.waitForURL(/\/echange\/parametres\?etape=\d+$/);
    await page.getByLabel('Fréquence').selectOption('biweekly');
    await page.getByLabel('Jour').selectOption('4');
    await page.getByLabel('Heure').fill('18:00');
    await page.getByLabel('Lien de visioconférence').fill('https://visio.example.org/bureau');
    const violations = await seriousViolations(page);
    expect(violations, describeViolations(violations)).to.have.length(0);
    await page.getByRole('button', { name: 'Enregistrer et envoyer l’invitation' }).click();
    await page.waitForURL(new RegExp(`/organisations/${orgId}/echange$`));
    expect(await page.locator('main').textContent()).to.contain('Le point régulier est organisé');
    await page.getByRole('link', { name: /Ouvrir la réunion/ }).click();
    await page.waitForURL(/\/echange\/\d{4}-\d{2}-\d{2}$/);
    meetingUrl = page.url();
    await page.getByLabel('Ajouter un point').fill('Orientations politiques du projet de santé');
    await page.getByRole('button', { name: 'Ajouter à l’ordre du jour' }).click();
    await page.waitForLoadState('load');
    expect(await page.locator('#ordre-du-jour').textContent()).to.contain('Orientations politiques du projet de santé');
  });

  it('when the coordinator adds a point, records the minutes and an action then the action carries to the next meeting', async () => {
    await logout();
    await loginThroughForm(page, session.server.url, 'coordination.baugeois@demo.coordo.test', DEMO_PASSWORD);
    await page.goto(meetingUrl);
    await page.getByLabel('Ajouter un point').fill('Charge de travail et recrutement');
    await page.getByRole('button', { name: 'Ajouter à l’ordre du jour' }).click();
    await page.waitForLoadState('load');
    const agenda = (await page.locator('#ordre-du-jour').textContent()) ?? '';
    expect(agenda).to.contain('Isabelle Chauvin (bureau)');
    expect(agenda).to.contain('Sandrine Hervé (coordination)');
    await page.getByLabel('Compte rendu des échanges').fill('Tour des orientations ; point sur la charge.');
    await page.getByLabel('Décisions').fill('Ouvrir la réflexion sur un poste de coordinateur·rice de parcours.');
    await page.getByRole('button', { name: 'Enregistrer le compte rendu' }).click();
    await page.waitForLoadState('load');
    await page.getByLabel('Action (obligatoire)').fill('Chiffrer le poste de parcours');
    await page.getByLabel('Responsable (obligatoire)').selectOption({ label: 'Sandrine Hervé' });
    await page.getByRole('button', { name: 'Ajouter l’action' }).click();
    await page.waitForLoadState('load');
    expect(await page.locator('#actions').textContent()).to.contain('Chiffrer le poste de parcours');
    const violations = await seriousViolations(page);
    expect(violations, describeViolations(violations)).to.have.length(0);
    await page.getByRole('link', { name: 'Réunion suivante' }).click();
    await page.waitForURL(/\/echange\/\d{4}-\d{2}-\d{2}$/);
    expect(page.url()).not.to.equal(meetingUrl);
    const carried = (await page.locator('#actions').textContent()) ?? '';
    expect(carried).to.contain('Chiffrer le poste de parcours');
    expect(carried).to.contain('reportée du');
  });

  it('when the demo president opens the Sud-Loire series then two past meetings with minutes are in its history', async () => {
    await logout();
    await loginThroughForm(page, session.server.url, 'bureau@demo.coordo.test', DEMO_PASSWORD);
    const sudLoire = (session.ctx.db.prepare("SELECT organisation_id FROM memberships m JOIN users u ON u.id = m.user_id WHERE u.email = 'bureau@demo.coordo.test'").get() as { organisation_id: number }).organisation_id;
    await page.goto(`${session.server.url}/organisations/${sudLoire}/echange`);
    const history = page.locator('section', { has: page.getByRole('heading', { name: 'Réunions passées' }) });
    expect(await history.getByRole('listitem').count()).to.equal(2);
    expect(await history.textContent()).to.contain('compte rendu');
    const violations = await seriousViolations(page);
    expect(violations, describeViolations(violations)).to.have.length(0);
    await page.goto(`${session.server.url}/organisations/${sudLoire}/tableau-de-bord`);
    expect(await page.locator('#point-regulier').textContent()).to.contain('2 actions en cours');
  });
});
