import { expect } from 'chai';
import ICAL from 'ical.js';
import type { BrowserContext, Page } from 'playwright-core';
import { createTestContext, type TestContext } from '../helpers/app.js';
import { TEST_PASSWORD } from '../helpers/factories.js';
import { describeViolations, launchBrowser, loginThroughForm, seriousViolations, startServer } from '../helpers/browser.js';
import { inDays, linkPath, mailsOf, schedulingWorld, type Mail } from '../scheduling/fixtures.js';

type World = Awaited<ReturnType<typeof schedulingWorld>>;

const noSidewaysScroll = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);

describe('browser: panel availability poll and candidate self-scheduling', function () {
  this.timeout(120_000);
  let ctx: TestContext;
  let w: World;
  let server: Awaited<ReturnType<typeof startServer>>;
  let browser: Awaited<ReturnType<typeof launchBrowser>>;
  let context: BrowserContext;
  let page: Page;

  before(async () => {
    ctx = createTestContext();
    w = await schedulingWorld(ctx.db);
    server = await startServer(ctx.app);
    browser = await launchBrowser();
    context = browser.context;
    page = await context.newPage();
  });
  after(async () => {
    await browser?.close();
    await server?.close();
    ctx?.close();
  });

  const as = async (email: string) => {
    await context.clearCookies();
    await loginThroughForm(page, server.url, email, TEST_PASSWORD);
  };
  const slots = () => ctx.db.prepare("SELECT id, starts_at FROM scheduling_slots WHERE status = 'open' ORDER BY starts_at").all() as { id: number; starts_at: string }[];
  const pollUrl = () => `${server.url}/recrutement/offres/${w.posting.id}/disponibilites`;
  const local = (path: string) => `${server.url}${path}`;
  const icsOf = (mail: Mail) => {
    const [att] = JSON.parse(mail.attachments) as { contentType: string; content: string }[];
    const calendar = new ICAL.Component(ICAL.parse(att.content));
    return { att, calendar, event: calendar.getFirstSubcomponent('vevent')! };
  };

  it('when the bureau proposes slots, three panelists answer, two candidates choose (one clash), one reschedules, then the invitations and the calendar feed agree', async () => {
    // The bureau proposes three 45-minute slots with 15-minute breaks.
    await as(w.bureauA.email);
    await page.goto(pollUrl());
    await page.locator('#f-dates-0').fill(inDays(10));
    await page.locator('#f-from').fill('14:00');
    await page.locator('#f-to').fill('16:45');
    await page.getByLabel(/Durée d’un entretien/).fill('45');
    await page.getByLabel(/Pause entre deux entretiens/).fill('15');
    await page.getByLabel('Adresse (en présentiel)').fill('Maison de santé, 2 rue de l’Église, Vertou');
    await page.getByRole('button', { name: 'Proposer ces créneaux' }).click();
    await page.waitForURL(pollUrl());
    expect(await page.locator('body').innerText()).to.contain('3 créneaux proposés.');
    const [s1, s2, s3] = slots();
    await page.setViewportSize({ width: 375, height: 800 });
    expect(await noSidewaysScroll(page), 'the poll at 375 px').to.equal(true);
    await page.setViewportSize({ width: 1280, height: 900 });
    let violations = await seriousViolations(page);
    expect(violations, describeViolations(violations)).to.have.length(0);

    // Panelist 1, the bureau member: with JavaScript, one click answers the whole day, then one slot changes.
    await page.getByRole('button', { name: 'Tout ce jour : Oui' }).click();
    await page.check(`#answer-${s1.id}-maybe`);
    await page.getByRole('button', { name: 'Enregistrer mes réponses' }).click();
    await page.waitForURL(pollUrl());
    expect(await page.locator('body').innerText()).to.contain('Vos réponses sont enregistrées.');
    await page.getByRole('button', { name: 'Envoyer le sondage au jury' }).click();
    await page.waitForURL(pollUrl());
    expect(await page.locator('body').innerText()).to.contain('Sondage envoyé à 3 membres du jury.');

    // Panelist 2, the chair, from her account.
    await as(w.chargeA.email);
    await page.goto(pollUrl());
    await page.check(`#answer-${s1.id}-yes`);
    await page.check(`#answer-${s2.id}-yes`);
    await page.check(`#answer-${s3.id}-no`);
    await page.getByRole('button', { name: 'Enregistrer mes réponses' }).click();
    await page.waitForURL(pollUrl());

    // Panelist 3, the outside evaluator, through the signed link of the mail, without logging in.
    await context.clearCookies();
    const link = linkPath(mailsOf(ctx.db, 'scheduling.poll').find((m) => m.to_address === w.external.email)!, '/disponibilites/');
    await page.goto(local(link));
    expect(await page.locator('body').innerText()).to.contain('Vous répondez en tant que Évaluatrice Extérieure');
    await page.check(`#answer-${s1.id}-yes`);
    await page.check(`#answer-${s2.id}-no`);
    await page.check(`#answer-${s3.id}-yes`);
    await page.getByRole('button', { name: 'Enregistrer mes réponses' }).click();
    await page.waitForURL(local(link));
    violations = await seriousViolations(page);
    expect(violations, describeViolations(violations)).to.have.length(0);

    // The bureau sees the quorum and invites the two shortlisted candidates.
    await as(w.bureauA.email);
    await page.goto(pollUrl());
    const grid = await page.locator('table.poll-grid').innerText();
    expect(grid.match(/quorum atteint/g)).to.have.length(2);
    await page.getByLabel(/Élodie Martin/).check();
    await page.getByLabel(/Yann Le Bihan/).check();
    await page.getByRole('button', { name: 'Inviter à choisir un créneau' }).click();
    await page.waitForURL(pollUrl());
    expect(await page.locator('body').innerText()).to.contain('2 personnes candidates invitées');
    await context.clearCookies();

    // Two candidates open their pages at the same time; both want 14:00.
    const link1 = linkPath(mailsOf(ctx.db, 'scheduling.invite').find((m) => m.to_address === w.a1.email)!, '/candidature/');
    const link2 = linkPath(mailsOf(ctx.db, 'scheduling.invite').find((m) => m.to_address === w.a2.email)!, '/candidature/');
    const other = await context.newPage();
    await page.goto(local(link1));
    await other.goto(local(link2));
    await page.setViewportSize({ width: 375, height: 800 });
    expect(await noSidewaysScroll(page), 'no sideways scrolling at 375 px').to.equal(true);
    violations = await seriousViolations(page);
    expect(violations, describeViolations(violations)).to.have.length(0);
    await page.getByLabel(/14:00–14:45/).check();
    await other.getByLabel(/14:00–14:45/).check();
    await page.getByRole('button', { name: 'Choisir ce créneau' }).click();
    await page.waitForURL(local(link1));
    expect(await page.locator('body').innerText()).to.contain('C’est noté\u00a0: votre entretien est prévu le');
    await other.getByRole('button', { name: 'Choisir ce créneau' }).click();
    const clash = await other.locator('body').innerText();
    expect(clash).to.contain('Ce créneau vient d’être choisi par une autre personne');
    expect(clash).not.to.contain('14:00–14:45');
    await other.getByLabel(/15:00–15:45/).check();
    await other.getByRole('button', { name: 'Choisir ce créneau' }).click();
    await other.waitForURL(local(link2));
    expect(await other.locator('body').innerText()).to.contain('C’est noté');

    // The invitations carry valid .ics files, REQUEST, with the slot's time.
    const byApp = (id: number) => ctx.db.prepare('SELECT id, uid, starts_at FROM interviews WHERE application_id = ?').get(id) as { id: number; uid: string; starts_at: string };
    const first = icsOf((ctx.db.prepare("SELECT * FROM outbox WHERE template = 'interviews.scheduled' AND to_address = ?").get(w.a1.email) as Mail));
    expect(first.att.contentType).to.equal('text/calendar; charset=utf-8; method=REQUEST');
    expect(first.event.getFirstPropertyValue('uid')).to.equal(byApp(w.a1.id).uid);
    expect((first.event.getFirstPropertyValue('dtstart') as ICAL.Time).toJSDate().toISOString()).to.equal(s1.starts_at);
    const second = icsOf((ctx.db.prepare("SELECT * FROM outbox WHERE template = 'interviews.scheduled' AND to_address = ?").get(w.a2.email) as Mail));
    expect((second.event.getFirstPropertyValue('dtstart') as ICAL.Time).toJSDate().toISOString()).to.equal(s2.starts_at);

    // The chair makes 16:00 possible; the first candidate moves there.
    await as(w.chargeA.email);
    await page.goto(pollUrl());
    await page.check(`#answer-${s3.id}-maybe`);
    await page.getByRole('button', { name: 'Enregistrer mes réponses' }).click();
    await page.waitForURL(pollUrl());
    await context.clearCookies();
    await page.goto(local(link1));
    await page.getByLabel(/16:00–16:45/).check();
    await page.getByRole('button', { name: 'Déplacer mon entretien sur ce créneau' }).click();
    await page.waitForURL(local(link1));
    expect(await page.locator('body').innerText()).to.contain('16:00');
    const moved = icsOf(ctx.db.prepare("SELECT * FROM outbox WHERE template = 'interviews.rescheduled' AND to_address = ? ORDER BY id DESC").get(w.a1.email) as Mail);
    expect(moved.event.getFirstPropertyValue('uid')).to.equal(byApp(w.a1.id).uid);
    expect(moved.event.getFirstPropertyValue('sequence')).to.equal(1);
    expect((moved.event.getFirstPropertyValue('dtstart') as ICAL.Time).toJSDate().toISOString()).to.equal(s3.starts_at);

    // The chair's calendar feed shows the same two interviews.
    await page.setViewportSize({ width: 1280, height: 900 });
    await as(w.chargeA.email);
    await page.goto(local('/compte'));
    await page.getByRole('button', { name: 'Créer mon adresse d’abonnement' }).click();
    const feedUrl = await page.locator('#feed-url').inputValue();
    expect(await page.getByRole('link', { name: 'S’abonner dans mon agenda' }).getAttribute('href')).to.match(/^webcal:\/\//);
    const feed = await fetch(feedUrl.replace('http://coordo.test', server.url));
    expect(feed.headers.get('content-type')).to.equal('text/calendar; charset=utf-8');
    const calendar = new ICAL.Component(ICAL.parse(await feed.text()));
    const tz = new ICAL.Timezone(calendar.getFirstSubcomponent('vtimezone')!);
    const entries = calendar.getAllSubcomponents('vevent').map((e) => {
      const start = e.getFirstPropertyValue('dtstart') as ICAL.Time;
      start.zone = tz;
      return { uid: String(e.getFirstPropertyValue('uid')), start: start.toJSDate().toISOString() };
    });
    expect(entries).to.deep.include({ uid: byApp(w.a1.id).uid, start: s3.starts_at });
    expect(entries).to.deep.include({ uid: byApp(w.a2.id).uid, start: s2.starts_at });
  });
});
