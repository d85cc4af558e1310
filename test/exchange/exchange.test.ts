import { expect } from 'chai';
import ICAL from 'ical.js';
import { loadActor } from '../../server/core/auth.js';
import { createI18n } from '../../server/core/i18n.js';
import { commonMessages } from '../../server/core/messages.js';
import { messages as exchangeMessages } from '../../server/features/exchange/messages.js';
import { sendMeetingReminders } from '../../server/features/exchange/reminders.js';
import { isoWeekday } from '../../server/features/exchange/recurrence.js';
import { addDays, todayInParis } from '../../server/features/onboarding/dates.js';
import { createPlanForHire } from '../../server/features/onboarding/service.js';
import { parisToUtc } from '../../server/features/network/time.js';
import { anonymous, login, pageText, submitForm, type Agent } from '../helpers/agent.js';
import { createTestContext, type TestContext } from '../helpers/app.js';
import { createUser, createWorld, type UserFixture } from '../helpers/factories.js';
import { mailsTo, type OutboxMail } from '../helpers/mail.js';

describe('exchange: the coordinator–bureau meeting series', () => {
  let ctx: TestContext;
  let world: Awaited<ReturnType<typeof createWorld>>;
  let treasurer: UserFixture;
  let planId: number;
  let stepId: number;
  const today = todayInParis();
  const tomorrow = addDays(today, 1);
  const count = (table: string) => (ctx.db.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n;
  const base = () => `/organisations/${world.orgA.id}/echange`;
  const calendarOf = (mail: OutboxMail) =>
    new ICAL.Component(ICAL.parse((JSON.parse((ctx.db.prepare('SELECT attachments FROM outbox WHERE id = ?').get(mail.id) as { attachments: string }).attachments) as { content: string }[])[0].content));
  const series = (fields: Record<string, unknown> = {}) => ({
    frequency: 'weekly',
    weekday: String(isoWeekday(tomorrow)),
    start_time: '18:30',
    duration_minutes: '60',
    start_date: today,
    place: 'Maison de santé, 3 rue des Écoles',
    video_url: '',
    participant_ids: [String(world.coordinatorA.id), String(world.bureauA.id)],
    plan_step_id: String(stepId),
    ...fields,
  });

  beforeEach(async () => {
    ctx = createTestContext();
    world = await createWorld(ctx.db);
    treasurer = await createUser(ctx.db, { name: 'Trésorier A', memberships: [{ organisationId: world.orgA.id, role: 'bureau', title: 'Trésorier' }] });
    planId = createPlanForHire(ctx.db, loadActor(ctx.db, world.bureauA.id)!, { organisationId: world.orgA.id, userId: world.coordinatorA.id, kind: 'coordinator', startDate: today }).planId;
    stepId = (ctx.db.prepare("SELECT id FROM onboarding_plan_steps WHERE plan_id = ? AND tag = 'bureau_exchange'").get(planId) as { id: number }).id;
  });
  afterEach(() => ctx.close());

  async function startSeries(agent?: Agent) {
    const bureau = agent ?? (await login(ctx.app, world.bureauA.email, world.bureauA.password));
    const res = await submitForm(bureau, `${base()}/parametres`, series(), `${base()}/parametres?etape=${stepId}`);
    expect(res.status, pageText(res.text ?? '')).to.equal(302);
    return bureau;
  }

  it('when the bureau starts the series from the onboarding step then participants get one recurring invitation and the step is done', async () => {
    const bureau = await login(ctx.app, world.bureauA.email, world.bureauA.password);
    const plan = await bureau.get(`/integration/${planId}`);
    expect(plan.text).to.contain(`href="${base()}/parametres?etape=${stepId}"`);
    const form = await bureau.get(`${base()}/parametres?etape=${stepId}`);
    expect(form.status).to.equal(200);
    expect(form.text).to.contain(`name="plan_step_id" value="${stepId}"`);
    await startSeries(bureau);
    expect((ctx.db.prepare('SELECT status FROM onboarding_plan_steps WHERE id = ?').get(stepId) as { status: string }).status).to.equal('done');
    for (const u of [world.coordinatorA, world.bureauA]) {
      const [mail] = mailsTo(ctx.db, u.email).filter((m) => m.template === 'exchange.series.created');
      expect(mail, u.name).to.not.equal(undefined);
      expect(mail.text_body).to.contain('chaque');
      const cal = calendarOf(mail);
      expect(cal.getFirstPropertyValue('method')).to.equal('REQUEST');
      const vevent = cal.getFirstSubcomponent('vevent')!;
      expect(String(vevent.getFirstPropertyValue('rrule'))).to.match(/^FREQ=WEEKLY;BYDAY=(MO|TU|WE|TH|FR|SA|SU)$/);
      expect(vevent.getFirstProperty('dtstart')!.getParameter('tzid')).to.equal('Europe/Paris');
    }
    expect(mailsTo(ctx.db, treasurer.email)).to.have.length(0);
    const page = pageText((await bureau.get(base())).text);
    expect(page).to.contain('Prochaine réunion');
    expect(page).to.contain('Bureau A, Coord A');
    const ics = await bureau.get(`${base()}.ics`);
    expect(ics.headers['content-type']).to.contain('text/calendar');
    expect(ics.text).to.contain('RRULE:FREQ=WEEKLY');
    // The plan's step now points to the series' next meeting, not a computed rhythm.
    const planHtml = (await bureau.get(`/integration/${planId}`)).text;
    const from = planHtml.indexOf(`id="etape-${stepId}"`);
    const stepText = pageText(planHtml.slice(from, planHtml.indexOf('<li id="etape-', from + 10)));
    expect(stepText).to.contain('Prochain point coordination – bureau');
    expect(stepText).not.to.contain('prochaine fois le');
  });

  it('when the series is invalid then the form comes back with a message naming the field and nothing is written', async () => {
    const bureau = await login(ctx.app, world.bureauA.email, world.bureauA.password);
    const page = `${base()}/parametres`;
    const noBureau = await submitForm(bureau, page, series({ participant_ids: String(world.coordinatorA.id) }), page);
    expect(noBureau.status).to.equal(422);
    expect(pageText(noBureau.text)).to.contain('au moins un coordinateur ou une coordinatrice et un membre du bureau');
    const past = await submitForm(bureau, page, series({ start_date: addDays(today, -3) }), page);
    expect(past.status).to.equal(422);
    expect(pageText(past.text)).to.contain('Choisissez une date à partir d’aujourd’hui.');
    const garbage = await submitForm(bureau, page, series({ frequency: 'daily', weekday: '9', start_time: '7h', duration_minutes: '0', place: '', video_url: 'ftp://x' }), page);
    expect(garbage.status).to.equal(422);
    const stranger = await submitForm(bureau, page, series({ participant_ids: [String(world.coordinatorA.id), String(world.bureauB.id)] }), page);
    expect(stranger.status).to.equal(422);
    const otherStep = await submitForm(bureau, page, series({ plan_step_id: String(stepId + 1) }), page);
    expect(otherStep.status).to.equal(422);
    expect(count('exchange_series')).to.equal(0);
    expect(count('outbox')).to.equal(0);
  });

  it('when the chargée, the admin, another CPTS’s bureau or coordinator open the exchange then 404: only the CPTS’s bureau and coordinator read it', async () => {
    await startSeries();
    const date = (ctx.db.prepare('SELECT first_date FROM exchange_series').get() as { first_date: string }).first_date;
    const coordA2 = await createUser(ctx.db, { name: 'Coord A2', memberships: [{ organisationId: world.orgA2.id, role: 'coordinator' }] });
    for (const u of [world.chargeA, world.admin, world.bureauB, coordA2, world.nobody]) {
      const agent = await login(ctx.app, u.email, u.password);
      expect((await agent.get(base())).status, u.name).to.equal(404);
      expect((await agent.get(`${base()}/${date}`)).status, u.name).to.equal(404);
      expect((await agent.get(`${base()}.ics`)).status, u.name).to.equal(404);
      expect((await submitForm(agent, `${base()}/parametres`, series(), '/compte')).status, u.name).to.equal(404);
      expect((await submitForm(agent, `${base()}/${date}/points`, { body: 'Intrusion' }, '/compte')).status, u.name).to.equal(404);
      expect((await submitForm(agent, `${base()}/${date}/compte-rendu`, { minutes: 'x', decisions: '' }, '/compte')).status, u.name).to.equal(404);
      expect((await submitForm(agent, `${base()}/${date}/actions`, { title: 'x', owner_user_id: String(world.coordinatorA.id), due_date: date }, '/compte')).status, u.name).to.equal(404);
      expect((await agent.get(`${base()}/parametres`)).status, u.name).to.equal(404);
    }
    const coord = await login(ctx.app, world.coordinatorA.email, world.coordinatorA.password);
    expect((await coord.get(base())).status).to.equal(200);
    expect((await coord.get(`${base()}/${addDays(date, 1)}`)).status).to.equal(404); // not a meeting date
    expect((await coord.get(`${base()}/pas-une-date`)).status).to.equal(404);
    expect(count('exchange_agenda_items')).to.equal(0);
    expect(count('exchange_actions')).to.equal(0);
    expect((await anonymous(ctx.app).get(base())).status).to.equal(302);
  });

  it('when each side adds an agenda point, minutes and an action are recorded, then the action is carried to the next meeting until done', async () => {
    const bureau = await startSeries();
    const first = (ctx.db.prepare('SELECT first_date FROM exchange_series').get() as { first_date: string }).first_date;
    const second = addDays(first, 7);
    const coord = await login(ctx.app, world.coordinatorA.email, world.coordinatorA.password);
    const meeting = `${base()}/${first}`;
    expect((await submitForm(coord, `${meeting}/points`, { body: 'Budget des actions de prévention' }, meeting)).status).to.equal(302);
    expect((await submitForm(bureau, `${meeting}/points`, { body: 'Préparer l’AG <b>de juin</b>' }, meeting)).status).to.equal(302);
    expect((await submitForm(bureau, `${meeting}/points`, { body: '   ' }, meeting)).status).to.equal(422);
    const page = await bureau.get(meeting);
    const text = pageText(page.text);
    expect(text).to.contain('Budget des actions de prévention — proposé par Coord A (coordination)');
    expect(text).to.contain('proposé par Bureau A (bureau)');
    expect(page.text).to.contain('Préparer l’AG &lt;b&gt;de juin&lt;/b&gt;');

    expect((await submitForm(coord, `${meeting}/compte-rendu`, { minutes: 'Échanges sur le budget.', decisions: 'Valider le budget prévention.' }, meeting)).status).to.equal(302);
    const badAction = await submitForm(coord, `${meeting}/actions`, { title: '', owner_user_id: String(world.bureauB.id), due_date: '2026-02-30' }, meeting);
    expect(badAction.status).to.equal(422);
    expect(pageText(badAction.text)).to.contain('Ce champ est obligatoire.');
    const stranger = await submitForm(coord, `${meeting}/actions`, { title: 'Relancer la CPAM', owner_user_id: String(world.bureauB.id), due_date: addDays(first, 10) }, meeting);
    expect(stranger.status).to.equal(422);
    expect((await submitForm(coord, `${meeting}/actions`, { title: 'Relancer la CPAM', owner_user_id: String(treasurer.id), due_date: addDays(first, 10) }, meeting)).status).to.equal(302);
    const recorded = pageText((await coord.get(meeting)).text);
    expect(recorded).to.contain('Échanges sur le budget.');
    expect(recorded).to.contain('Valider le budget prévention.');
    expect(recorded).to.contain('Relancer la CPAM');

    const next = pageText((await bureau.get(`${base()}/${second}`)).text);
    expect(next).to.contain('Relancer la CPAM');
    expect(next).to.match(/reportée du \d+/);
    const actionId = (ctx.db.prepare('SELECT id FROM exchange_actions').get() as { id: number }).id;
    expect((await submitForm(bureau, `${base()}/actions/${actionId}/statut`, { done: '1', back: second }, `${base()}/${second}`)).status).to.equal(302);
    expect(pageText((await bureau.get(`${base()}/${addDays(second, 7)}`)).text)).not.to.contain('Relancer la CPAM');
    expect(pageText((await bureau.get(meeting)).text)).to.contain('Relancer la CPAM'); // still in the record of the meeting that decided it
    const other = await login(ctx.app, world.bureauB.email, world.bureauB.password);
    expect((await submitForm(other, `/organisations/${world.orgB.id}/echange/actions/${actionId}/statut`, { done: '0' }, '/compte')).status).to.equal(404);
  });

  it('when the series changes then participants get the update (SEQUENCE 1) and a removed participant a CANCEL', async () => {
    const bureau = await startSeries();
    const res = await submitForm(bureau, `${base()}/parametres`, series({ frequency: 'monthly', participant_ids: [String(world.bureauA.id), String(treasurer.id), String(world.coordinatorA.id)] }), `${base()}/parametres`);
    expect(res.status).to.equal(302);
    const [updated] = mailsTo(ctx.db, world.coordinatorA.email).filter((m) => m.template === 'exchange.series.updated');
    expect(calendarOf(updated).getFirstSubcomponent('vevent')!.getFirstPropertyValue('sequence')).to.equal(1);
    expect(String(calendarOf(updated).getFirstSubcomponent('vevent')!.getFirstPropertyValue('rrule'))).to.match(/^FREQ=MONTHLY;BYDAY=-?\d(MO|TU|WE|TH|FR|SA|SU)$/);
    expect(mailsTo(ctx.db, treasurer.email).filter((m) => m.template === 'exchange.series.updated')).to.have.length(1);
    await submitForm(bureau, `${base()}/parametres`, series({ frequency: 'monthly', participant_ids: [String(world.bureauA.id), String(world.coordinatorA.id)] }), `${base()}/parametres`);
    const [removed] = mailsTo(ctx.db, treasurer.email).filter((m) => m.template === 'exchange.series.removed');
    expect(calendarOf(removed).getFirstPropertyValue('method')).to.equal('CANCEL');
  });

  it('when a running series changes its weekday then its first date may stay in the past and earlier meetings stay in the history', async () => {
    const bureau = await startSeries();
    const past = addDays(tomorrow, -14);
    ctx.db.prepare('UPDATE exchange_series SET first_date = ?').run(past);
    expect((await submitForm(bureau, `${base()}/${past}/compte-rendu`, { minutes: 'Premier échange.', decisions: '' }, `${base()}/${past}`)).status).to.equal(302);
    const otherDay = String((isoWeekday(tomorrow) % 7) + 1);
    const res = await submitForm(bureau, `${base()}/parametres`, series({ weekday: otherDay, start_date: past }), `${base()}/parametres`);
    expect(res.status, pageText(res.text ?? '')).to.equal(302);
    expect((await bureau.get(base())).text).to.contain(`href="${base()}/${past}"`);
    const meeting = await bureau.get(`${base()}/${past}`);
    expect(meeting.status).to.equal(200);
    expect(pageText(meeting.text)).to.contain('Premier échange.');
    const tooEarly = await submitForm(bureau, `${base()}/parametres`, series({ start_date: addDays(past, -7) }), `${base()}/parametres`);
    expect(tooEarly.status).to.equal(422);
  });

  it('when a meeting is two days away then participants get the agenda and open actions once, and the bureau dashboard shows the next meeting', async () => {
    const bureau = await startSeries();
    const first = (ctx.db.prepare('SELECT first_date FROM exchange_series').get() as { first_date: string }).first_date;
    const coord = await login(ctx.app, world.coordinatorA.email, world.coordinatorA.password);
    await submitForm(coord, `${base()}/${first}/points`, { body: 'Recrutement d’un·e gestionnaire de cas' }, `${base()}/${first}`);
    await submitForm(coord, `${base()}/${first}/actions`, { title: 'Chiffrer le poste', owner_user_id: String(world.coordinatorA.id), due_date: addDays(first, 3) }, `${base()}/${first}`);
    const start = parisToUtc(first, '18:30')!;
    const mail = { baseUrl: 'http://coordo.test', translator: createI18n([commonMessages, exchangeMessages]).translator };
    const before = new Date(start.getTime() - 36 * 3600_000);
    expect(sendMeetingReminders(ctx.db, mail, before).sent).to.equal(1);
    expect(sendMeetingReminders(ctx.db, mail, new Date(before.getTime() + 3600_000)).sent).to.equal(0);
    const [reminder] = mailsTo(ctx.db, world.bureauA.email).filter((m) => m.template === 'exchange.meeting.reminder');
    expect(reminder.text_body).to.contain('Recrutement d’un·e gestionnaire de cas');
    expect(reminder.text_body).to.contain('Chiffrer le poste');
    expect(mailsTo(ctx.db, world.coordinatorA.email).filter((m) => m.template === 'exchange.meeting.reminder')).to.have.length(1);

    const dash = pageText((await bureau.get(`/organisations/${world.orgA.id}/tableau-de-bord`)).text);
    expect(dash).to.contain('Point régulier avec la coordination');
    expect(dash).to.contain('1 action en cours');
    expect(dash).to.contain('Chiffrer le poste');
    const home = pageText((await coord.get('/tableau-de-bord')).text);
    expect(home).to.contain('Point régulier coordination – bureau');
    expect(home).to.contain('1 action en cours');
    const charge = await login(ctx.app, world.chargeA.email, world.chargeA.password);
    expect(pageText((await charge.get('/tableau-de-bord')).text)).not.to.contain('Point régulier coordination – bureau');
    const chargeDash = await charge.get(`/organisations/${world.orgA.id}/tableau-de-bord`);
    expect(chargeDash.status).to.equal(200);
    expect(pageText(chargeDash.text)).not.to.contain('Chiffrer le poste');
  });
});
