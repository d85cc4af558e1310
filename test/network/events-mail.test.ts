import { expect } from 'chai';
import ICAL from 'ical.js';
import request from 'supertest';
import { anonymous, csrfFrom, login, pageText, submitForm } from '../helpers/agent.js';
import { createTestContext, type TestContext } from '../helpers/app.js';
import { createUser, createWorld, type UserFixture } from '../helpers/factories.js';
import { linkIn, mailsTo, type OutboxMail } from '../helpers/mail.js';
import { addDays, todayInParis } from '../../server/features/onboarding/dates.js';
import { createI18n } from '../../server/core/i18n.js';
import { commonMessages } from '../../server/core/messages.js';
import { messages as networkMessages } from '../../server/features/network/messages.js';
import { sendEventReminders } from '../../server/features/network/events.js';

type Attachment = { filename: string; contentType: string; content: string };
const attachmentsOf = (ctx: TestContext, mail: OutboxMail) =>
  JSON.parse((ctx.db.prepare('SELECT attachments FROM outbox WHERE id = ?').get(mail.id) as { attachments: string }).attachments) as Attachment[];
const calendarOf = (ctx: TestContext, mail: OutboxMail) => new ICAL.Component(ICAL.parse(attachmentsOf(ctx, mail)[0].content));

describe('network: events that reach people (invitations, answers from the mail, changes, reminders)', () => {
  let ctx: TestContext;
  let world: Awaited<ReturnType<typeof createWorld>>;
  let coordA2: UserFixture;
  let coordB: UserFixture;
  const count = (table: string) => (ctx.db.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n;
  const event = () => ({
    kind: 'meeting',
    title: 'Réunion des coordinateurs',
    date: addDays(todayInParis(), 20),
    time: '14:30',
    end_time: '17:00',
    place: 'Angers',
    video_url: 'https://visio.example.org/reseau',
    agenda: 'Tour de table\nIndicateurs ACI\n\nAtelier été',
    audience: 'region',
  });
  const mailsOf = (u: UserFixture, template: string) => mailsTo(ctx.db, u.email).filter((m) => m.template === template);

  beforeEach(async () => {
    ctx = createTestContext();
    world = await createWorld(ctx.db);
    coordA2 = await createUser(ctx.db, { name: 'Coord A2', memberships: [{ organisationId: world.orgA2.id, role: 'coordinator' }] });
    coordB = await createUser(ctx.db, { name: 'Coord Bravo', memberships: [{ organisationId: world.orgB.id, role: 'coordinator' }] });
  });
  afterEach(() => ctx.close());

  async function createEvent(fields: Record<string, unknown> = {}) {
    const charge = await login(ctx.app, world.chargeA.email, world.chargeA.password);
    const res = await submitForm(charge, `/reseau/${world.regionA.id}/evenements`, { ...event(), ...fields }, `/reseau/${world.regionA.id}/evenements/nouveau`);
    expect(res.status, pageText(res.text ?? '')).to.equal(302);
    return { charge, id: Number(/(\d+)$/.exec(res.headers.location)![1]) };
  }

  it('when the chargée programs an event for the region then each coordinator of the region gets an invitation with a REQUEST .ics and answer links', async () => {
    const { id } = await createEvent();
    for (const u of [world.coordinatorA, coordA2]) {
      const [mail] = mailsOf(u, 'network.event.invited');
      expect(mail, u.name).to.not.equal(undefined);
      expect(mail.subject).to.contain('Invitation\u00a0: Réunion des coordinateurs');
      expect(mail.text_body).to.contain('Où\u00a0: Angers');
      expect(mail.text_body).to.contain('Visioconférence\u00a0: https://visio.example.org/reseau');
      expect(mail.text_body).to.contain('Tour de table\nIndicateurs ACI');
      expect(linkIn(mail, '/reseau/invitation/')).to.match(/^\/reseau\/invitation\/[A-Za-z0-9_-]{40,}$/);
      const cal = calendarOf(ctx, mail);
      expect(cal.getFirstPropertyValue('method')).to.equal('REQUEST');
      const vevent = cal.getFirstSubcomponent('vevent')!;
      expect(vevent.getFirstPropertyValue('sequence')).to.equal(0);
      expect(String(vevent.getFirstPropertyValue('attendee'))).to.contain(u.email);
      const start = (vevent.getFirstPropertyValue('dtstart') as ICAL.Time).toJSDate();
      const end = new Date(start.getTime() + (vevent.getFirstPropertyValue('duration') as ICAL.Duration).toSeconds() * 1000);
      const paris = (d: Date) => new Intl.DateTimeFormat('fr-FR', { timeZone: 'Europe/Paris', hour: '2-digit', minute: '2-digit' }).format(d);
      expect([paris(start), paris(end)]).to.deep.equal(['14:30', '17:00']);
    }
    // Not the other region, not the bureau, not the chargée herself.
    for (const u of [coordB, world.bureauA, world.chargeA]) expect(mailsTo(ctx.db, u.email), u.name).to.have.length(0);
    expect(count('network_event_invitations')).to.equal(2);
    // Tokens are stored hashed only.
    const token = linkIn(mailsOf(world.coordinatorA, 'network.event.invited')[0], '/reseau/invitation/').split('/').pop()!;
    expect(ctx.db.prepare('SELECT COUNT(*) AS n FROM network_event_answer_tokens WHERE token_hash = ?').get(token)).to.deep.equal({ n: 0 });
    const page = await (await login(ctx.app, world.chargeA.email, world.chargeA.password)).get(`/reseau/evenements/${id}`);
    expect(pageText(page.text)).to.contain('0 oui, 0 peut-être, 0 non, 2 sans réponse (2 invité·es)');
    expect(page.text).to.contain('class="prose pre-line"');
  });

  it('when the event is for some CPTS only then only their coordinators are invited', async () => {
    await createEvent({ audience: 'organisations', organisation_ids: [String(world.orgA2.id)] });
    expect(mailsOf(coordA2, 'network.event.invited')).to.have.length(1);
    expect(mailsOf(world.coordinatorA, 'network.event.invited')).to.have.length(0);
    const charge = await login(ctx.app, world.chargeA.email, world.chargeA.password);
    const none = await submitForm(charge, `/reseau/${world.regionA.id}/evenements`, { ...event(), audience: 'organisations' }, `/reseau/${world.regionA.id}/evenements/nouveau`);
    expect(none.status).to.equal(422);
    expect(pageText(none.text)).to.contain('Cochez au moins une CPTS');
    const foreign = await submitForm(charge, `/reseau/${world.regionA.id}/evenements`, { ...event(), audience: 'organisations', organisation_ids: String(world.orgB.id) }, `/reseau/${world.regionA.id}/evenements/nouveau`);
    expect(foreign.status).to.equal(422);
    expect(count('network_events')).to.equal(1);
  });

  it('when a coordinator follows the mailed link without a session then a confirmation page asks, and only the posted form records the answer', async () => {
    const { id, charge } = await createEvent();
    const link = linkIn(mailsOf(world.coordinatorA, 'network.event.invited')[0], '/reseau/invitation/');
    const visitor = anonymous(ctx.app);
    const page = await visitor.get(`${link}?reponse=maybe`);
    expect(page.status).to.equal(200);
    expect(page.headers['cache-control']).to.contain('no-store');
    expect(pageText(page.text)).to.contain('Bonjour Coord A');
    expect(page.text).to.match(/id="rsvp-maybe" name="response" value="maybe" checked/);
    expect(count('network_event_rsvps')).to.equal(0); // a GET (a mail scanner) records nothing
    // Without the page's token: refused.
    expect((await request(ctx.app).post(link).type('form').send({ response: 'yes' })).status).to.equal(403);
    const bad = await visitor.post(link).type('form').send({ _csrf: csrfFrom(page.text), response: 'perhaps' });
    expect(bad.status).to.equal(422);
    const ok = await visitor.post(link).type('form').send({ _csrf: csrfFrom(page.text), response: 'yes' });
    expect(ok.status).to.equal(303);
    expect(pageText((await visitor.get(link)).text)).to.contain('Votre réponse actuelle : Oui.');
    expect(ctx.db.prepare('SELECT user_id, response FROM network_event_rsvps').all()).to.deep.equal([{ user_id: world.coordinatorA.id, response: 'yes' }]);
    const organiser = pageText((await charge.get(`/reseau/evenements/${id}`)).text);
    expect(organiser).to.contain('1 oui, 0 peut-être, 0 non, 1 sans réponse');
    expect(organiser).to.contain('Pas encore répondu');
    // A made-up or malformed token is a 404.
    const unknown = await visitor.get('/reseau/invitation/abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG');
    expect(unknown.status).to.equal(404);
    expect(pageText(unknown.text)).to.contain('Ce lien de réponse n’existe pas ou n’est plus valable');
    expect((await visitor.get('/reseau/invitation/%3Cscript%3E')).status).to.equal(404);
  });

  it('when the chargée changes the event then invitees get the update with SEQUENCE 1, and those no longer invited a CANCEL', async () => {
    const { id, charge } = await createEvent();
    const edit = await charge.get(`/reseau/evenements/${id}/modifier`);
    expect(edit.status).to.equal(200);
    expect(edit.text).to.contain('value="14:30"');
    const res = await submitForm(charge, `/reseau/evenements/${id}/modifier`, { ...event(), time: '15:00', audience: 'organisations', organisation_ids: String(world.orgA.id) }, `/reseau/evenements/${id}/modifier`);
    expect(res.status).to.equal(302);
    const [updated] = mailsOf(world.coordinatorA, 'network.event.updated');
    expect(updated.subject).to.contain('Modification');
    expect(calendarOf(ctx, updated).getFirstSubcomponent('vevent')!.getFirstPropertyValue('sequence')).to.equal(1);
    const [cancelled] = mailsOf(coordA2, 'network.event.cancelled');
    expect(calendarOf(ctx, cancelled).getFirstPropertyValue('method')).to.equal('CANCEL');
    expect(count('network_event_invitations')).to.equal(1);
    // The link of the first mail still works for the one still invited.
    expect((await anonymous(ctx.app).get(linkIn(mailsOf(world.coordinatorA, 'network.event.invited')[0], '/reseau/invitation/'))).status).to.equal(200);
    expect((await anonymous(ctx.app).get(linkIn(mailsOf(coordA2, 'network.event.invited')[0], '/reseau/invitation/'))).status).to.equal(404);
  });

  it('when the chargée cancels the event then every invitee gets a CANCEL, the event leaves the directory and can no longer be answered', async () => {
    const { id, charge } = await createEvent();
    const link = linkIn(mailsOf(world.coordinatorA, 'network.event.invited')[0], '/reseau/invitation/');
    const visitor = anonymous(ctx.app);
    const token = csrfFrom((await visitor.get(link)).text); // the page opened before the cancellation
    expect((await submitForm(charge, `/reseau/evenements/${id}/annuler`, {}, `/reseau/evenements/${id}`)).status).to.equal(302);
    for (const u of [world.coordinatorA, coordA2]) {
      const [mail] = mailsOf(u, 'network.event.cancelled');
      const cal = calendarOf(ctx, mail);
      expect(cal.getFirstPropertyValue('method')).to.equal('CANCEL');
      expect(cal.getFirstSubcomponent('vevent')!.getFirstPropertyValue('status')).to.equal('CANCELLED');
      expect(cal.getFirstSubcomponent('vevent')!.getFirstPropertyValue('sequence')).to.equal(1);
    }
    expect(pageText((await charge.get(`/reseau/${world.regionA.id}`)).text)).not.to.contain('Réunion des coordinateurs');
    const page = await visitor.get(link);
    expect(pageText(page.text)).to.contain('Cette rencontre est annulée.');
    expect(page.text).not.to.contain(`action="${link}"`);
    const res = await visitor.post(link).type('form').send({ _csrf: token, response: 'yes' });
    expect(res.status).to.equal(409);
    expect(count('network_event_rsvps')).to.equal(0);
    expect((await submitForm(charge, `/reseau/evenements/${id}/annuler`, {}, `/reseau/evenements/${id}`)).status).to.equal(404);
  });

  it('when someone other than the region’s chargée edits or cancels an event then 404 and nothing is mailed', async () => {
    const { id } = await createEvent();
    const before = count('outbox');
    for (const u of [world.coordinatorA, world.bureauA, world.chargeB, world.admin]) {
      const agent = await login(ctx.app, u.email, u.password);
      expect((await agent.get(`/reseau/evenements/${id}/modifier`)).status, u.name).to.equal(404);
      expect((await submitForm(agent, `/reseau/evenements/${id}/modifier`, event(), '/compte')).status, u.name).to.equal(404);
      expect((await submitForm(agent, `/reseau/evenements/${id}/annuler`, {}, '/compte')).status, u.name).to.equal(404);
    }
    expect(count('outbox')).to.equal(before);
    expect((ctx.db.prepare('SELECT sequence, cancelled_at FROM network_events').get() as { sequence: number }).sequence).to.equal(0);
  });

  it('when an event is two days away then invitees who did not decline get one reminder, however often the job runs', async () => {
    const { id } = await createEvent();
    const starts = new Date((ctx.db.prepare('SELECT starts_at FROM network_events WHERE id = ?').get(id) as { starts_at: string }).starts_at);
    ctx.db.prepare("INSERT INTO network_event_rsvps (event_id, user_id, response, updated_at) VALUES (?, ?, 'no', ?)").run(id, coordA2.id, new Date().toISOString());
    const mail = { baseUrl: 'http://coordo.test', translator: createI18n([commonMessages, networkMessages]).translator };
    expect(sendEventReminders(ctx.db, mail, new Date(starts.getTime() - 72 * 3600_000)).sent).to.equal(0);
    const soon = new Date(starts.getTime() - 30 * 3600_000);
    expect(sendEventReminders(ctx.db, mail, soon).sent).to.equal(1);
    expect(sendEventReminders(ctx.db, mail, new Date(soon.getTime() + 3600_000)).sent).to.equal(0);
    const [reminder] = mailsOf(world.coordinatorA, 'network.event.reminder');
    expect(reminder.subject).to.contain('Rappel\u00a0: Réunion des coordinateurs');
    expect(reminder.text_body).to.contain('/reseau/invitation/');
    expect(mailsOf(coordA2, 'network.event.reminder')).to.have.length(0);
  });

  it('when the chargée pairs a mentor then both get a mail with the other’s contact details and phone, and see each other on their home page', async () => {
    const mentor = await login(ctx.app, coordA2.email, coordA2.password);
    expect((await submitForm(mentor, '/reseau/profil/coordonnees', { phone: 'abc' }, '/reseau/profil/coordonnees')).status).to.equal(422);
    expect((await submitForm(mentor, '/reseau/profil/coordonnees', { phone: '06 12 34 56 78' }, '/reseau/profil/coordonnees')).status).to.equal(302);
    const charge = await login(ctx.app, world.chargeA.email, world.chargeA.password);
    const res = await submitForm(charge, `/reseau/${world.regionA.id}/binomes`, { mentee: `${world.coordinatorA.id}:${world.orgA.id}`, mentor: `${coordA2.id}:${world.orgA2.id}` }, `/reseau/${world.regionA.id}/binomes/nouveau`);
    expect(res.status).to.equal(302);
    const [toMentee] = mailsOf(world.coordinatorA, 'network.pairing.mentee');
    expect(toMentee.text_body).to.contain('Coord A2 (CPTS Alpha Deux)');
    expect(toMentee.text_body).to.contain(`E-mail\u00a0: ${coordA2.email}`);
    expect(toMentee.text_body).to.contain('Téléphone\u00a0: 06 12 34 56 78');
    const [toMentor] = mailsOf(coordA2, 'network.pairing.mentor');
    expect(toMentor.text_body).to.contain(`E-mail\u00a0: ${world.coordinatorA.email}`);
    expect(toMentor.text_body).not.to.contain('Téléphone');
    const menteeHome = pageText((await (await login(ctx.app, world.coordinatorA.email, world.coordinatorA.password)).get('/tableau-de-bord')).text);
    expect(menteeHome).to.contain('Votre pair référent·e : Coord A2 (CPTS Alpha Deux)');
    expect(menteeHome).to.contain('06 12 34 56 78');
    expect(pageText((await mentor.get('/tableau-de-bord')).text)).to.contain('Vous accompagnez Coord A (CPTS Alpha)');
    expect(pageText((await charge.get('/tableau-de-bord')).text)).not.to.contain('Vous accompagnez Coord A');
  });

  it('when the profile page is opened without a session then it asks to log in', async () => {
    const res = await anonymous(ctx.app).get('/reseau/profil/coordonnees');
    expect(res.status).to.be.oneOf([302, 401]);
  });
});
