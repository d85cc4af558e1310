import { expect } from 'chai';
import ICAL from 'ical.js';
import { nowIso } from '../../server/core/db.js';
import { createTestContext, type TestContext } from '../helpers/app.js';
import { csrfOf, pageText } from '../helpers/agent.js';
import { as, post } from '../evaluation/fixtures.js';
import { inDays, schedulingWorld, visitor } from './fixtures.js';

type World = Awaited<ReturnType<typeof schedulingWorld>>;

describe('scheduling: the members’ calendar subscription', function () {
  this.timeout(30_000);
  let ctx: TestContext;
  let w: World;
  beforeEach(async () => {
    ctx = createTestContext();
    w = await schedulingWorld(ctx.db);
  });
  afterEach(() => ctx.close());

  async function subscribe(email: string) {
    const agent = await as(ctx.app, email);
    const account = pageText((await agent.get('/compte')).text);
    expect(account).to.contain('Abonnement agenda').and.to.contain('Aucun abonnement pour le moment.');
    const res = await post(agent, '/compte/agenda', {}, '/compte');
    expect(res.status).to.equal(200);
    expect(res.headers['cache-control']).to.equal('no-store');
    const webcal = /href="(webcal:\/\/coordo\.test\/agenda\/[A-Za-z0-9_-]{43}\.ics)"/.exec(res.text)![1];
    return { agent, webcal, path: webcal.replace('webcal://coordo.test', '') };
  }

  const schedule = async (applicationId: number, date: string, attendees: number[]) => {
    const bureau = await as(ctx.app, w.bureauA.email);
    const res = await post(bureau, `/recrutement/candidatures/${applicationId}/entretiens`, {
      date,
      start_time: '14:30',
      end_time: '15:15',
      mode: 'place',
      location: 'Maison de santé, 2 rue de l’Église, Vertou — salle « Émeraude »',
      attendees: attendees.map(String),
    });
    expect(res.status).to.equal(303);
  };

  it('when a member subscribes then the feed is valid iCalendar in Europe/Paris with their interviews, network events and onboarding meetings', async () => {
    await schedule(w.a1.id, '2031-07-01', [w.chargeA.id, w.external.id]);
    await schedule(w.a2.id, '2031-07-02', [w.bureauA.id]);
    ctx.db
      .prepare(
        `INSERT INTO network_events (region_id, kind, title, starts_at, duration_minutes, place, agenda, uid, created_by, created_at, updated_at)
         VALUES (?, 'meeting', 'Réunion régionale', '2031-07-03T08:00:00.000Z', 90, 'Nantes', 'Échanges de pratiques', 'event-feed@coordo', ?, ?, ?)`,
      )
      .run(w.regionA.id, w.chargeA.id, nowIso(), nowIso());
    const { path } = await subscribe(w.chargeA.email);
    const res = await visitor(ctx.app).get(path);
    expect(res.status).to.equal(200);
    expect(res.headers['content-type']).to.equal('text/calendar; charset=utf-8');
    expect(res.headers['cache-control']).to.equal('no-store');
    for (const line of res.text.split('\r\n')) expect(Buffer.byteLength(line), line).to.be.at.most(75);
    const calendar = new ICAL.Component(ICAL.parse(res.text));
    expect(calendar.getFirstSubcomponent('vtimezone')!.getFirstPropertyValue('tzid')).to.equal('Europe/Paris');
    const events = calendar.getAllSubcomponents('vevent');
    const summaries = events.map((e) => String(e.getFirstPropertyValue('summary')));
    expect(summaries.some((s) => s.startsWith('Entretien – Élodie Martin – Coordinateur·rice CPTS Alpha (Réf. '))).to.equal(true);
    expect(summaries).to.include('Réunion régionale');
    expect(summaries.some((s) => s.includes('Yann')), 'an interview she does not attend').to.equal(false);
    const interview = events.find((e) => String(e.getFirstPropertyValue('summary')).startsWith('Entretien'))!;
    const start = interview.getFirstProperty('dtstart')!;
    expect(start.getParameter('tzid')).to.equal('Europe/Paris');
    const registered = new ICAL.Timezone(calendar.getFirstSubcomponent('vtimezone')!);
    const time = interview.getFirstPropertyValue('dtstart') as ICAL.Time;
    time.zone = registered;
    expect(time.toJSDate().toISOString(), '14:30 in Paris in July is 12:30 UTC').to.equal('2031-07-01T12:30:00.000Z');
    const uid = (ctx.db.prepare('SELECT uid FROM interviews WHERE application_id = ?').get(w.a1.id) as { uid: string }).uid;
    expect(interview.getFirstPropertyValue('uid'), 'the same UID as the invitations').to.equal(uid);
    expect(String(interview.getFirstPropertyValue('location'))).to.contain('salle « Émeraude »');
    expect(res.text).not.to.contain(w.a1.email);
    const account = pageText((await (await as(ctx.app, w.chargeA.email)).get('/compte')).text);
    expect(account).to.contain('Abonnement actif depuis le').and.to.contain('Dernière lecture par votre agenda');
  });

  it('when the posting screens anonymously then the panelist’s feed names the candidate by their label only', async () => {
    await schedule(w.a1.id, '2031-07-01', [w.external.id]);
    ctx.db.prepare("INSERT INTO pipeline_settings (posting_id, organisation_id, anonymised, updated_at) VALUES (?, ?, 1, '2026-01-01')").run(w.posting.id, w.orgA.id);
    ctx.db.prepare("UPDATE pipeline_stages SET anonymised = 1 WHERE posting_id = ? AND stage_key = 'interview'").run(w.posting.id);
    ctx.db.prepare('UPDATE pipeline_cards SET identity_open = 0 WHERE posting_id = ?').run(w.posting.id);
    const { path } = await subscribe(w.external.email);
    const text = (await visitor(ctx.app).get(path)).text;
    expect(text).to.match(/SUMMARY:Entretien – Candidat·e n°\d+ – /);
    expect(text).not.to.contain('Élodie').and.not.to.contain('Martin');
    // Off the panel, the interview leaves the feed.
    ctx.db.prepare('DELETE FROM panel_members WHERE posting_id = ? AND user_id = ?').run(w.posting.id, w.external.id);
    expect((await visitor(ctx.app).get(path)).text).not.to.contain('SUMMARY:Entretien');
  });

  it('when the address is regenerated or revoked then the old one is refused; a tampered one too; the routes need a login', async () => {
    const { agent, path } = await subscribe(w.bureauA.email);
    expect((await visitor(ctx.app).get(path)).status).to.equal(200);
    const again = await post(agent, '/compte/agenda', {}, '/compte');
    const newPath = /href="webcal:\/\/coordo\.test(\/agenda\/[A-Za-z0-9_-]{43}\.ics)"/.exec(again.text)![1];
    expect((await visitor(ctx.app).get(path)).status, 'regenerated').to.equal(404);
    expect((await visitor(ctx.app).get(newPath)).status).to.equal(200);
    expect((await visitor(ctx.app).get(`${newPath.slice(0, -8)}abc.ics`)).status, 'tampered').to.equal(404);
    expect((await visitor(ctx.app).get('/agenda/court.ics')).status).to.equal(404);
    expect((await post(agent, '/compte/agenda/revoquer', {}, '/compte')).status).to.equal(303);
    expect(pageText((await agent.get('/compte')).text)).to.contain('Abonnement désactivé');
    expect((await visitor(ctx.app).get(newPath)).status, 'revoked').to.equal(404);
    const guest = visitor(ctx.app);
    const token = await csrfOf(guest);
    expect((await guest.post('/compte/agenda').type('form').send({ _csrf: token })).status).to.equal(401);
    expect((await guest.post('/compte/agenda/revoquer').type('form').send({ _csrf: token })).status).to.equal(401);
    expect((await agent.post('/compte/agenda').type('form').send({})).status, 'no CSRF token').to.equal(403);
    const { path: chargePath } = await subscribe(w.external.email);
    expect((await visitor(ctx.app).get(chargePath)).status).to.equal(200);
    ctx.db.prepare('UPDATE users SET disabled_at = ? WHERE id = ?').run(nowIso(), w.external.id);
    expect((await visitor(ctx.app).get(chargePath)).status, 'a disabled account').to.equal(404);
  });

  it('when a member owns onboarding meetings then they appear as all-day entries on their due date', async () => {
    const planId = Number(
      ctx.db
        .prepare(
          `INSERT INTO onboarding_plans (organisation_id, user_id, kind, template_name, phases, start_date, created_at) VALUES (?, ?, 'coordinator', 'Parcours', '[]', ?, ?)`,
        )
        .run(w.orgA.id, w.coordinatorA.id, inDays(1), nowIso()).lastInsertRowid,
    );
    const step = (title: string, tag: string | null, owner: string) =>
      ctx.db
        .prepare(
          `INSERT INTO onboarding_plan_steps (plan_id, organisation_id, position, phase, title, owner_role, due_offset_days, due_date, tag) VALUES (?, ?, 1, 'p', ?, ?, 3, ?, ?)`,
        )
        .run(planId, w.orgA.id, title, owner, '2031-09-15', tag);
    step('Instaurer le point régulier avec la présidence', 'bureau_exchange', 'bureau');
    step('Préparer le poste de travail', null, 'bureau');
    const { path } = await subscribe(w.bureauA.email);
    const calendar = new ICAL.Component(ICAL.parse((await visitor(ctx.app).get(path)).text));
    const entries = calendar.getAllSubcomponents('vevent').filter((e) => String(e.getFirstPropertyValue('summary')).startsWith('Intégration'));
    expect(entries.map((e) => String(e.getFirstPropertyValue('summary')))).to.deep.equal(['Intégration – Instaurer le point régulier avec la présidence (Coord A)']);
    const start = entries[0].getFirstPropertyValue('dtstart') as ICAL.Time;
    expect(start.isDate).to.equal(true);
    expect(start.toString()).to.equal('2031-09-15');
  });
});
