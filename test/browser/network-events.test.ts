import { expect } from 'chai';
import type { Page } from 'playwright-core';
import { DEMO_PASSWORD } from '../../server/demo/seed.js';
import { addDays, todayInParis } from '../../server/features/onboarding/dates.js';
import { demoSession, describeViolations, loginThroughForm, seriousViolations } from '../helpers/browser.js';
import { linkIn, mailsTo } from '../helpers/mail.js';

describe('browser: the chargée invites the network and a coordinator answers from the mail', function () {
  this.timeout(90_000);
  let session: Awaited<ReturnType<typeof demoSession>>;
  let page: Page;
  let eventUrl = '';

  before(async () => {
    session = await demoSession();
    page = session.page;
  });
  after(async () => {
    await session?.close();
  });

  it('when the chargée fills the event form then the event is created and the coordinators are mailed', async () => {
    await loginThroughForm(page, session.server.url, 'mission@demo.coordo.test', DEMO_PASSWORD);
    const regionId = (session.ctx.db.prepare('SELECT id FROM regions').get() as { id: number }).id;
    await page.goto(`${session.server.url}/reseau/${regionId}`);
    await page.getByRole('link', { name: 'Programmer une rencontre' }).click();
    await page.getByLabel('Intitulé').fill('Atelier soins non programmés');
    await page.getByLabel('Date').fill(addDays(todayInParis(), 12));
    await page.getByLabel('Heure de début').fill('09:30');
    await page.getByLabel('Heure de fin').fill('12:00');
    await page.getByLabel('Lieu', { exact: true }).fill('Nantes, 2 rue de la Loire');
    await page.getByLabel('Lien de visioconférence').fill('https://visio.example.org/atelier');
    await page.getByLabel('Ordre du jour').fill('Accueil\nRetours d’expérience\nSuite à donner');
    await page.getByRole('button', { name: 'Programmer et inviter' }).click();
    await page.waitForURL(/\/reseau\/evenements\/\d+$/);
    eventUrl = page.url();
    const text = (await page.locator('main').textContent()) ?? '';
    expect(text).to.contain('La rencontre est programmée\u00a0; les invitations sont envoyées.');
    expect(text).to.contain('sans réponse');
    expect(await page.locator('.pre-line').innerText()).to.contain('Accueil\nRetours d’expérience');
    const violations = await seriousViolations(page);
    expect(violations, describeViolations(violations)).to.have.length(0);
    expect(mailsTo(session.ctx.db, 'coordination@demo.coordo.test').filter((m) => m.template === 'network.event.invited')).to.have.length(1);
  });

  it('when the coordinator opens the link of the mail without being logged in then a confirmation page records the answer', async () => {
    await page.getByRole('button', { name: 'Se déconnecter' }).click();
    await page.waitForLoadState('load');
    const [mail] = mailsTo(session.ctx.db, 'coordination@demo.coordo.test').filter((m) => m.template === 'network.event.invited');
    const yes = /https?:\/\/\S+\/reseau\/invitation\/\S+\?reponse=yes/.exec(mail.text_body)![0];
    await page.goto(`${session.server.url}${new URL(yes).pathname}${new URL(yes).search}`);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).to.contain('Atelier soins non programmés');
    expect(await page.getByLabel('Oui').isChecked()).to.equal(true);
    const violations = await seriousViolations(page);
    expect(violations, describeViolations(violations)).to.have.length(0);
    await page.getByRole('button', { name: 'Envoyer ma réponse' }).click();
    await page.waitForLoadState('load');
    expect(await page.locator('main').textContent()).to.contain('Votre réponse actuelle\u00a0: Oui.');
    expect(linkIn(mail, '/reseau/invitation/')).to.match(/^\/reseau\/invitation\//);
  });

  it('when the chargée comes back then she sees who answered and who has not', async () => {
    await loginThroughForm(page, session.server.url, 'mission@demo.coordo.test', DEMO_PASSWORD);
    await page.goto(eventUrl);
    const row = page.getByRole('row', { name: /Julien Péan/ });
    expect(await row.textContent()).to.contain('Oui');
    expect(await page.locator('main').textContent()).to.match(/1 oui, 0 peut-être, 0 non, \d+ sans réponse/);
  });
});
