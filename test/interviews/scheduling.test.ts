import { expect } from 'chai';
import fc from 'fast-check';
import ICAL from 'ical.js';
import { nowIso } from '../../server/core/db.js';
import { deliverDueMail } from '../../server/core/mailer.js';
import { newToken } from '../../server/core/tokens.js';
import { interviewIcs } from '../../server/features/interviews/ics.js';
import { videoUrl } from '../../server/features/interviews/schemas.js';
import { createTestContext, type TestContext } from '../helpers/app.js';
import { anonymous, pageText } from '../helpers/agent.js';
import { startSmtp } from '../helpers/smtp.js';
import { as, evaluationWorld, post, seatPanel } from '../evaluation/fixtures.js';

type World = Awaited<ReturnType<typeof evaluationWorld>>;
type Row = { to_address: string; subject: string; text_body: string; attachments: string };

function icsOf(row: Row) {
  const [att] = JSON.parse(row.attachments) as { filename: string; contentType: string; content: string }[];
  const calendar = new ICAL.Component(ICAL.parse(att.content));
  return { att, calendar, event: calendar.getFirstSubcomponent('vevent')! };
}

const future = (days: number) => {
  const d = new Date(Date.now() + days * 86_400_000);
  return d.toISOString().slice(0, 10);
};

describe('interviews: scheduling with calendar invitations', function () {
  this.timeout(30_000);
  let ctx: TestContext;
  let w: World;
  const mails = (to?: string) =>
    (to ? ctx.db.prepare('SELECT * FROM outbox WHERE to_address = ? ORDER BY id').all(to) : ctx.db.prepare('SELECT * FROM outbox ORDER BY id').all()) as Row[];
  beforeEach(async () => {
    ctx = createTestContext();
    w = await evaluationWorld(ctx.db);
    seatPanel(ctx.db, w.posting.id, w.orgA.id, [{ id: w.chargeA.id, kind: 'charge', chair: true }, { id: w.bureauA.id }]);
  });
  afterEach(() => ctx.close());

  const form = (o: Record<string, unknown> = {}) => ({ date: future(10), start_time: '14:30', end_time: '15:15', mode: 'place', location: 'Maison de santé, 2 rue de la Loire, Vertou', attendees: [String(w.chargeA.id), String(w.bureauA.id)], ...o });

  it('when the bureau schedules then the candidate and each attending panelist get a METHOD:REQUEST invitation in UTC from Paris time', async () => {
    const bureau = await as(ctx.app, w.bureauA.email);
    const path = `/recrutement/candidatures/${w.a1.id}/entretiens`;
    expect((await bureau.get(path)).status).to.equal(200);
    const date = '2030-07-14';
    const res = await post(bureau, path, form({ date, start_time: '09:00', end_time: '10:00' }));
    expect(res.status).to.equal(303);
    const all = mails();
    expect(all.map((m) => m.to_address).sort()).to.deep.equal([w.a1.email, w.bureauA.email, w.chargeA.email].sort());
    const { att, calendar, event } = icsOf(mails(w.a1.email)[0]);
    expect(att.contentType).to.equal('text/calendar; charset=utf-8; method=REQUEST');
    expect(calendar.getFirstPropertyValue('method')).to.equal('REQUEST');
    expect((event.getFirstPropertyValue('dtstart') as ICAL.Time).toJSDate().toISOString()).to.equal('2030-07-14T07:00:00.000Z');
    expect(event.getFirstPropertyValue('sequence')).to.equal(0);
    expect(String(event.getFirstPropertyValue('location'))).to.contain('Vertou');
    expect(mails(w.a1.email)[0].text_body).to.contain('14 juillet 2030 à 09:00');
    const page = pageText((await bureau.get(path)).text);
    expect(page).to.contain('14 juillet 2030 à 09:00').and.to.contain('prévu');
    const row = ctx.db.prepare('SELECT starts_at, ends_at, duration_minutes FROM interviews').get();
    expect(row).to.deep.equal({ starts_at: '2030-07-14T07:00:00.000Z', ends_at: '2030-07-14T08:00:00.000Z', duration_minutes: 60 });
  });

  it('when the candidate is invited then their mail and calendar name no panel member’s address, answers go to the CPTS contact; the panel’s copy lists everyone', async () => {
    const bureau = await as(ctx.app, w.bureauA.email);
    ctx.db.prepare("UPDATE postings SET contact_email = 'recrutement@cpts-alpha.example' WHERE id = ?").run(w.posting.id);
    expect((await post(bureau, `/recrutement/candidatures/${w.a1.id}/entretiens`, form())).status).to.equal(303);
    const [candidate] = ctx.db.prepare('SELECT * FROM outbox WHERE to_address = ?').all(w.a1.email) as (Row & { html_body: string; reply_to: string; auto_submitted: number })[];
    const everything = [candidate.subject, candidate.text_body, candidate.html_body, candidate.attachments].join('\n');
    for (const panelist of [w.bureauA.email, w.chargeA.email]) expect(everything, panelist).not.to.contain(panelist);
    const { event } = icsOf(candidate);
    const attendees = event.getAllProperties('attendee').map((p) => String(p.getFirstValue()).toLowerCase());
    expect(attendees).to.deep.equal([`mailto:${w.a1.email}`.toLowerCase()]);
    expect(String(event.getFirstPropertyValue('organizer')).toLowerCase()).to.equal('mailto:recrutement@cpts-alpha.example');
    expect(candidate.reply_to).to.equal('recrutement@cpts-alpha.example');
    expect(candidate.auto_submitted).to.equal(0);
    const panelCopy = icsOf(mails(w.chargeA.email)[0]).event;
    expect(panelCopy.getAllProperties('attendee').map((p) => String(p.getFirstValue()).toLowerCase()).sort()).to.deep.equal(
      [w.a1.email, w.bureauA.email, w.chargeA.email].map((e) => `mailto:${e}`.toLowerCase()).sort(),
    );
  });

  it('when rescheduled then the UID stays and SEQUENCE grows; when cancelled then everyone gets METHOD:CANCEL', async () => {
    const bureau = await as(ctx.app, w.bureauA.email);
    await post(bureau, `/recrutement/candidatures/${w.a1.id}/entretiens`, form());
    const id = (ctx.db.prepare('SELECT id FROM interviews').get() as { id: number }).id;
    const first = icsOf(mails(w.a1.email)[0]).event;
    expect((await bureau.get(`/recrutement/entretiens/${id}/modifier`)).status).to.equal(200);
    const moved = await post(bureau, `/recrutement/entretiens/${id}/modifier`, form({ start_time: '16:00', end_time: '17:00', attendees: [String(w.chargeA.id)], expected_sequence: '0' }));
    expect(moved.status).to.equal(303);
    const second = icsOf(mails(w.a1.email)[1]).event;
    expect(second.getFirstPropertyValue('uid')).to.equal(first.getFirstPropertyValue('uid'));
    expect(second.getFirstPropertyValue('sequence')).to.equal(1);
    const removed = icsOf(mails(w.bureauA.email)[1]);
    expect(removed.calendar.getFirstPropertyValue('method')).to.equal('CANCEL');
    const stale = await post(bureau, `/recrutement/entretiens/${id}/modifier`, form({ expected_sequence: '0' }));
    expect(stale.status).to.equal(409);
    expect((await post(bureau, `/recrutement/entretiens/${id}/annuler`, { reason: 'Un membre du jury est empêché.' })).status).to.equal(303);
    const cancel = icsOf(mails(w.a1.email)[2]);
    expect(cancel.att.contentType).to.equal('text/calendar; charset=utf-8; method=CANCEL');
    expect(cancel.calendar.getFirstPropertyValue('method')).to.equal('CANCEL');
    expect(cancel.event.getFirstPropertyValue('uid')).to.equal(first.getFirstPropertyValue('uid'));
    expect(cancel.event.getFirstPropertyValue('sequence')).to.equal(2);
    expect(icsOf(mails(w.chargeA.email).at(-1)!).calendar.getFirstPropertyValue('method')).to.equal('CANCEL');
  });

  it('when the date is past, the end before the start, the link not http(s) or the attendee off the panel then 422 with the values kept and nothing sent', async () => {
    const bureau = await as(ctx.app, w.bureauA.email);
    const path = `/recrutement/candidatures/${w.a1.id}/entretiens`;
    const cases: [Record<string, unknown>, string][] = [
      [{ date: '2020-01-06' }, 'Cette date est passée'],
      [{ start_time: '15:00', end_time: '14:00' }, 'L’heure de fin doit être après l’heure de début.'],
      [{ mode: 'video', video_url: 'javascript:alert(1)' }, 'commençant par https://'],
      [{ mode: 'video', video_url: 'ftp://visio.example.test/salle' }, 'commençant par https://'],
      [{ mode: 'place', location: '' }, 'Indiquez l’adresse'],
      [{ attendees: [String(w.coordinatorA.id)] }, 'Choisissez une valeur dans la liste.'],
      [{ attendees: [] }, 'Cochez au moins un membre du jury.'],
      [{ date: '2030-03-31', start_time: '02:30' }, 'Saisissez une date valide'],
    ];
    for (const [over, message] of cases) {
      const res = await post(bureau, path, form(over));
      expect(res.status, message).to.equal(422);
      expect(pageText(res.text), message).to.contain(message);
    }
    const kept = await post(bureau, path, form({ start_time: '15:00', end_time: '14:00', location: 'Salle du conseil' }));
    expect(kept.text).to.contain('value="Salle du conseil"');
    expect(ctx.db.prepare('SELECT COUNT(*) AS n FROM interviews').get()).to.deep.equal({ n: 0 });
    expect(mails()).to.have.length(0);
  });

  it('when the video link has a space then the form says so (422, nothing sent); an upper-case host is accepted, normalised, and reaches the invitation', async () => {
    const bureau = await as(ctx.app, w.bureauA.email);
    const path = `/recrutement/candidatures/${w.a1.id}/entretiens`;
    const spaced = await post(bureau, path, form({ mode: 'video', video_url: 'https://visio.example.test/salle 12' }));
    expect(spaced.status).to.equal(422);
    expect(pageText(spaced.text)).to.contain('Indiquez un lien web complet, sans espace');
    expect(mails()).to.have.length(0);
    const upper = await post(bureau, path, form({ mode: 'video', video_url: 'https://Visio.Example.test/Salle-12' }));
    expect(upper.status).to.equal(303);
    expect(ctx.db.prepare('SELECT video_url FROM interviews').pluck().get()).to.equal('https://visio.example.test/Salle-12');
    expect(icsOf(mails(w.a1.email)[0]!).event.getFirstPropertyValue('url')).to.equal('https://visio.example.test/Salle-12');
  });

  it('whatever link the form accepts, the calendar invitation can be built (property)', () => {
    const hostile = fc.oneof(
      fc.webUrl({ withQueryParameters: true, withFragments: true }),
      fc.webUrl().map((u) => u.toUpperCase()),
      fc.tuple(fc.webUrl(), fc.constantFrom(' ', '\t', '\u0000', '\u00a0', '"', '<', ':8', ':80')).map(([u, c]) => u.replace(/\/\/([^/]+)/, `//$1${c}`)),
      fc.string(),
    );
    fc.assert(
      fc.property(hostile, (candidate) => {
        const parsed = videoUrl.safeParse(candidate);
        if (!parsed.success || parsed.data === '') return;
        interviewIcs({
          uid: 'u@coordo',
          sequence: 0,
          method: 'REQUEST',
          start: new Date('2030-01-01T10:00:00Z'),
          durationMinutes: 30,
          title: 'Entretien',
          description: 'Entretien',
          url: parsed.data,
          organizer: { name: 'Bureau', email: 'bureau@exemple.test' },
          attendees: [{ name: 'Candidate', email: 'candidate@exemple.test' }],
        });
      }),
      { numRuns: 500 },
    );
  });

  it('when a panel member already has an interview then scheduling warns but goes ahead', async () => {
    const bureau = await as(ctx.app, w.bureauA.email);
    await post(bureau, `/recrutement/candidatures/${w.a1.id}/entretiens`, form());
    const res = await post(bureau, `/recrutement/candidatures/${w.a2.id}/entretiens`, form({ start_time: '15:00', end_time: '16:00' }));
    expect(res.status).to.equal(303);
    const page = pageText((await bureau.get(res.headers.location)).text);
    expect(page).to.contain('Attention : déjà pris par un autre entretien').and.to.contain('Chargée A');
    expect(ctx.db.prepare('SELECT COUNT(*) AS n FROM interviews').get()).to.deep.equal({ n: 2 });
  });

  it('when someone outside the bureau or chargés schedules, or the candidate is of another CPTS, then 404', async () => {
    const coordinator = await as(ctx.app, w.coordinatorA.email);
    expect((await coordinator.get(`/recrutement/candidatures/${w.a1.id}/entretiens`)).status).to.equal(404);
    seatPanel(ctx.db, w.posting.id, w.orgA.id, [{ id: w.coordinatorA.id }]);
    expect((await coordinator.get(`/recrutement/candidatures/${w.a1.id}/entretiens`)).status, 'a panelist reads').to.equal(200);
    expect((await post(coordinator, `/recrutement/candidatures/${w.a1.id}/entretiens`, form())).status, 'but does not schedule').to.equal(404);
    const other = await as(ctx.app, w.bureauB.email);
    expect((await post(other, `/recrutement/candidatures/${w.a1.id}/entretiens`, form())).status).to.equal(404);
    const charge = await as(ctx.app, w.chargeA.email);
    expect((await post(charge, `/recrutement/candidatures/${w.c1.id}/entretiens`, form())).status).to.equal(404);
    expect((await post(charge, `/recrutement/candidatures/${w.a1.id}/entretiens`, form())).status, 'the chargée de mission schedules').to.equal(303);
    const id = (ctx.db.prepare('SELECT id FROM interviews').get() as { id: number }).id;
    expect((await post(other, `/recrutement/entretiens/${id}/annuler`, {})).status).to.equal(404);
    expect((await post(coordinator, `/recrutement/entretiens/${id}/annuler`, {})).status).to.equal(404);
  });

  it('when the candidate opens their private link then the coming interview shows', async () => {
    const bureau = await as(ctx.app, w.bureauA.email);
    await post(bureau, `/recrutement/candidatures/${w.a1.id}/entretiens`, form({ date: '2031-12-03', start_time: '14:30', end_time: '15:15' }));
    const { token, hash } = newToken();
    ctx.db.prepare('INSERT INTO application_links (application_id, token_hash, expires_at, created_at) VALUES (?, ?, ?, ?)').run(w.a1.id, hash, '2099-01-01T00:00:00.000Z', nowIso());
    const res = await anonymous(ctx.app).get(`/candidature/${token}`);
    expect(res.status).to.equal(200);
    expect(pageText(res.text)).to.contain('Votre entretien').and.to.contain('3 décembre 2031 à 14:30').and.to.contain('Vertou');
  });

  it('when the outbox is delivered then the invitation arrives at the SMTP server with its calendar attachment', async () => {
    const bureau = await as(ctx.app, w.bureauA.email);
    await post(bureau, `/recrutement/candidatures/${w.a1.id}/entretiens`, form());
    const smtp = await startSmtp();
    try {
      // The candidate's copy leaves once its undo window (5 minutes) is over.
      const result = await deliverDueMail(ctx.db, smtp.transport(), { from: 'Coordo <no-reply@coordo.test>', now: () => new Date(Date.now() + 6 * 60_000) });
      expect(result.failed).to.equal(0);
      const received = smtp.received.find((m) => (m.to && !Array.isArray(m.to) ? m.to.text : '') === w.a1.email)!;
      expect(received.subject).to.contain('Entretien');
      const ics = received.attachments.find((a) => a.filename === 'entretien.ics')!;
      expect(ics.contentType).to.equal('text/calendar');
      const header = ics.headers.get('content-type') as { value: string; params: Record<string, string> };
      expect(header.params.charset?.toLowerCase(), 'the MIME part declares its charset').to.equal('utf-8');
      const event = new ICAL.Component(ICAL.parse(ics.content.toString('utf8'))).getFirstSubcomponent('vevent')!;
      expect(String(event.getFirstPropertyValue('uid'))).to.match(/^entretien-.+@coordo$/);
    } finally {
      await smtp.stop();
    }
  });
});
