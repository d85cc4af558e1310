import { expect } from 'chai';
import ICAL from 'ical.js';
import { createTestContext, type TestContext } from '../helpers/app.js';
import { pageText } from '../helpers/agent.js';
import { as, post } from '../evaluation/fixtures.js';
import { candidateToken, inDays, linkPath, mailsOf, postFrom, schedulingWorld, visitor, type Mail } from './fixtures.js';

type World = Awaited<ReturnType<typeof schedulingWorld>>;

function icsOf(mail: Mail) {
  const [att] = JSON.parse(mail.attachments) as { filename: string; contentType: string; content: string }[];
  const calendar = new ICAL.Component(ICAL.parse(att.content));
  return { att, calendar, event: calendar.getFirstSubcomponent('vevent')! };
}

describe('scheduling: candidates choose their interview slot', function () {
  this.timeout(30_000);
  let ctx: TestContext;
  let w: World;
  const poll = () => `/recrutement/offres/${w.posting.id}/disponibilites`;
  const slots = () => ctx.db.prepare("SELECT id, starts_at FROM scheduling_slots WHERE status = 'open' ORDER BY starts_at").all() as { id: number; starts_at: string }[];
  const interviews = () => ctx.db.prepare('SELECT id, application_id, uid, sequence, status, starts_at FROM interviews ORDER BY id').all() as { id: number; application_id: number; uid: string; sequence: number; status: string; starts_at: string }[];
  const mailsTo = (to: string) => (ctx.db.prepare('SELECT * FROM outbox WHERE to_address = ? ORDER BY id').all(to) as Mail[]);

  /** Three slots on one day; the chair and the bureau available on the first two, the outside evaluator on all. */
  async function readyPoll() {
    const bureau = await as(ctx.app, w.bureauA.email);
    await post(bureau, `${poll()}/creneaux`, { dates: [inDays(10)], from: '14:00', to: '16:45', duration: '45', gap: '15', mode: 'place', location: 'Maison de santé de Vertou' });
    const [s1, s2, s3] = slots();
    const answer = async (email: string, a: Record<number, string>) =>
      post(await as(ctx.app, email), `${poll()}/reponses`, Object.fromEntries(Object.entries(a).map(([id, v]) => [`answer_${id}`, v])));
    await answer(w.chargeA.email, { [s1.id]: 'yes', [s2.id]: 'yes', [s3.id]: 'no' });
    await answer(w.bureauA.email, { [s1.id]: 'maybe', [s2.id]: 'yes', [s3.id]: 'yes' });
    await answer(w.external.email, { [s1.id]: 'yes', [s2.id]: 'no', [s3.id]: 'yes' });
    return { bureau, s1, s2, s3 };
  }

  async function invite(bureau: Awaited<ReturnType<typeof as>>, ids: number[]) {
    const res = await post(bureau, `${poll()}/candidats`, { applications: ids.map(String) });
    expect(res.status).to.equal(303);
    return ids.map((id) => {
      const email = id === w.a1.id ? w.a1.email : w.a2.email;
      return linkPath(mailsTo(email).filter((m) => m.template === 'scheduling.invite').at(-1)!, '/candidature/');
    });
  }

  beforeEach(async () => {
    ctx = createTestContext();
    w = await schedulingWorld(ctx.db);
  });
  afterEach(() => ctx.close());

  it('when no slot has the quorum yet then inviting is refused with a message and nothing is sent', async () => {
    const bureau = await as(ctx.app, w.bureauA.email);
    await post(bureau, `${poll()}/creneaux`, { dates: [inDays(10)], from: '14:00', to: '15:00', duration: '45', gap: '0', mode: 'place', location: 'Vertou' });
    const res = await post(bureau, `${poll()}/candidats`, { applications: [String(w.a1.id)] });
    expect(res.status).to.equal(409);
    expect(pageText(res.text)).to.contain('Aucun créneau à venir n’a encore le quorum');
    expect(mailsOf(ctx.db, 'scheduling.invite')).to.have.length(0);
    const none = await post(bureau, `${poll()}/candidats`, {});
    expect(none.status).to.equal(422);
    expect(pageText(none.text)).to.contain('Cochez au moins une candidature.');
    const early = await post(bureau, `${poll()}/candidats`, { applications: [String(w.early.id)] });
    expect(early.status, 'not shortlisted').to.equal(422);
    const foreign = await post(bureau, `${poll()}/candidats`, { applications: [String(w.c1.id)] });
    expect(foreign.status, 'another CPTS').to.equal(422);
  });

  it('when two candidates choose, one clash handled, then each gets a REQUEST .ics with the available panel, and one reschedules with the same UID', async () => {
    const { bureau, s1, s2, s3 } = await readyPoll();
    const [link1, link2] = await invite(bureau, [w.a1.id, w.a2.id]);
    const invitation = mailsTo(w.a1.email).find((m) => m.template === 'scheduling.invite')!;
    expect(invitation.subject).to.contain('Choisissez la date de votre entretien');

    const c1 = visitor(ctx.app);
    const c2 = visitor(ctx.app);
    const page1 = await c1.get(link1);
    expect(page1.status).to.equal(200);
    const text1 = pageText(page1.text);
    // Slots 1 and 2 have the quorum with the chair; slot 3 lacks the chair.
    expect(text1).to.contain('14:00–14:45').and.to.contain('15:00–15:45').and.not.to.contain('16:00–16:45');
    const home = pageText((await c1.get(link1.replace(/\/entretien$/, ''))).text);
    expect(home).to.contain('Date de votre entretien').and.to.contain('Choisir mon créneau');

    // Both opened the page with slot 1 free; the first to submit gets it.
    const csrf2 = /name="_csrf" value="([^"]+)"/.exec((await c2.get(link2)).text)![1];
    expect((await postFrom(c1, link1, link1, { slot_id: String(s1.id) })).status).to.equal(303);
    const clash = await c2.post(link2).type('form').send({ _csrf: csrf2, slot_id: String(s1.id) });
    expect(clash.status).to.equal(409);
    const clashText = pageText(clash.text);
    expect(clashText).to.contain('Ce créneau vient d’être choisi par une autre personne');
    expect(clashText).to.contain('15:00–15:45').and.not.to.contain('14:00–14:45');
    expect((await c2.post(link2).type('form').send({ _csrf: csrf2, slot_id: String(s2.id) })).status).to.equal(303);

    const [i1, i2] = interviews();
    expect(i1.application_id).to.equal(w.a1.id);
    expect(i1.starts_at).to.equal(s1.starts_at);
    expect(i2.starts_at).to.equal(s2.starts_at);
    const { att, calendar, event } = icsOf(mailsTo(w.a1.email).find((m) => m.template === 'interviews.scheduled')!);
    expect(att.contentType).to.equal('text/calendar; charset=utf-8; method=REQUEST');
    expect(calendar.getFirstPropertyValue('method')).to.equal('REQUEST');
    expect(event.getFirstPropertyValue('uid')).to.equal(i1.uid);
    expect(event.getFirstPropertyValue('sequence')).to.equal(0);
    expect((event.getFirstPropertyValue('dtstart') as ICAL.Time).toJSDate().toISOString()).to.equal(s1.starts_at);
    const invited = (ctx.db.prepare('SELECT user_id FROM interview_attendees WHERE interview_id = ? ORDER BY user_id').all(i1.id) as { user_id: number }[]).map((r) => r.user_id);
    expect(invited, 'everyone who said yes or if need be').to.deep.equal([w.chargeA.id, w.bureauA.id, w.external.id].sort((a, b) => a - b));
    expect(mailsTo(w.external.email).some((m) => m.template === 'interviews.scheduled')).to.equal(true);
    const attendees2 = (ctx.db.prepare('SELECT user_id FROM interview_attendees WHERE interview_id = ?').all(i2.id) as { user_id: number }[]).map((r) => r.user_id);
    expect(attendees2).not.to.include(w.external.id);

    const grid = pageText((await bureau.get(poll())).text);
    expect(grid).to.contain('réservé par Élodie Martin').and.to.contain('a choisi :');

    // Candidate 1 moves to slot 3? It lacks the quorum: refused. Slot 2 is taken. Free a new one.
    const refused = await postFrom(c1, link1, link1, { slot_id: String(s3.id) });
    expect(refused.status).to.equal(409);
    expect(pageText(refused.text)).to.contain('Ce créneau n’est plus proposé');
    await post(await as(ctx.app, w.chargeA.email), `${poll()}/reponses`, { [`answer_${s3.id}`]: 'maybe' });
    const moved = await postFrom(c1, link1, link1, { slot_id: String(s3.id) });
    expect(moved.status).to.equal(303);
    expect(pageText((await c1.get(link1)).text)).to.contain('Votre entretien est prévu le').and.to.contain('16:00');
    const after = interviews().find((i) => i.id === i1.id)!;
    expect(after.starts_at).to.equal(s3.starts_at);
    const update = icsOf(mailsTo(w.a1.email).filter((m) => m.template === 'interviews.rescheduled').at(-1)!);
    expect(update.event.getFirstPropertyValue('uid')).to.equal(i1.uid);
    expect(update.event.getFirstPropertyValue('sequence')).to.equal(1);
    // The outside evaluator said yes to slot 3 too; nobody was dropped, so no cancellation copy.
    expect(ctx.db.prepare('SELECT slot_id FROM scheduling_bookings ORDER BY slot_id').all()).to.deep.equal([{ slot_id: s2.id }, { slot_id: s3.id }]);
    // Slot 1 is free again for someone else.
    expect(pageText((await c2.get(link2)).text)).to.contain('14:00–14:45');
  });

  it('when the candidate cancels before the deadline then everyone gets METHOD:CANCEL and they may choose again; after the deadline it is refused', async () => {
    const { bureau, s1, s2 } = await readyPoll();
    const [link1] = await invite(bureau, [w.a1.id]);
    const c1 = visitor(ctx.app);
    await postFrom(c1, link1, link1, { slot_id: String(s1.id) });
    const cancel = await postFrom(c1, link1, `${link1}/annuler`, {});
    expect(cancel.status).to.equal(303);
    const [i1] = interviews();
    expect(i1.status).to.equal('cancelled');
    const { att, calendar, event } = icsOf(mailsTo(w.a1.email).find((m) => m.template === 'interviews.cancelled')!);
    expect(att.contentType).to.equal('text/calendar; charset=utf-8; method=CANCEL');
    expect(calendar.getFirstPropertyValue('method')).to.equal('CANCEL');
    expect(event.getFirstPropertyValue('uid')).to.equal(i1.uid);
    expect(event.getFirstPropertyValue('sequence')).to.equal(1);
    expect(mailsTo(w.chargeA.email).some((m) => m.template === 'interviews.cancelled')).to.equal(true);
    expect(pageText((await c1.get(link1)).text)).to.contain('Votre entretien est annulé').and.to.contain('14:00–14:45');

    expect((await postFrom(c1, link1, link1, { slot_id: String(s2.id) })).status).to.equal(303);
    const csrf = /name="_csrf" value="([^"]+)"/.exec((await c1.get(link1)).text)![1];
    // Ten days ahead with a 14-day deadline: too late to move or cancel.
    await post(bureau, `${poll()}/reglages`, { quorum: '2', chair_required: '1', deadline_hours: '336' });
    const page = pageText((await c1.get(link1)).text);
    expect(page).to.contain('Le délai pour déplacer ou annuler cet entretien est passé');
    expect(page).not.to.contain('Annuler mon entretien');
    const late = await c1.post(`${link1}/annuler`).type('form').send({ _csrf: csrf });
    expect(late.status).to.equal(409);
    expect(pageText(late.text)).to.contain('Le délai pour déplacer ou annuler cet entretien est passé');
    const lateMove = await c1.post(link1).type('form').send({ _csrf: csrf, slot_id: String(s1.id) });
    expect(lateMove.status).to.equal(409);
    expect(interviews().filter((i) => i.status === 'scheduled')).to.have.length(1);
  });

  it('when the bureau removes a booked slot then the interview is cancelled, the candidate is told with a link and chooses again', async () => {
    const { bureau, s1, s2 } = await readyPoll();
    const [link1] = await invite(bureau, [w.a1.id]);
    const c1 = visitor(ctx.app);
    await postFrom(c1, link1, link1, { slot_id: String(s1.id) });
    const res = await post(bureau, `${poll()}/creneaux/${s1.id}/retirer`, {});
    expect(res.status).to.equal(303);
    expect(pageText((await bureau.get(poll())).text)).to.contain('l’entretien réservé est annulé');
    expect(interviews()[0].status).to.equal('cancelled');
    const told = mailsTo(w.a1.email).find((m) => m.template === 'scheduling.slot_removed')!;
    expect(told.text_body).to.contain('n’est plus possible');
    const again = linkPath(told, '/candidature/');
    const page = pageText((await c1.get(again)).text);
    expect(page).to.contain('15:00–15:45').and.not.to.contain('14:00–14:45');
    expect((await postFrom(c1, again, again, { slot_id: String(s1.id) })).status, 'the removed slot').to.equal(409);
    expect((await postFrom(c1, again, again, { slot_id: String(s2.id) })).status).to.equal(303);
    expect(interviews().filter((i) => i.status === 'scheduled').map((i) => i.starts_at)).to.deep.equal([s2.starts_at]);
    expect((await post(bureau, `${poll()}/creneaux/${s1.id}/retirer`, {})).status, 'already removed').to.equal(404);
  });

  it('when a panel member’s availability changes after a booking then they join or leave the interview alone, and the organiser is told when the quorum goes', async () => {
    const { bureau, s1 } = await readyPoll();
    const [link1] = await invite(bureau, [w.a1.id]);
    expect((await postFrom(visitor(ctx.app), link1, link1, { slot_id: String(s1.id) })).status).to.equal(303);
    const [interview] = interviews();
    const attendees = () => (ctx.db.prepare('SELECT user_id FROM interview_attendees WHERE interview_id = ? ORDER BY user_id').all(interview.id) as { user_id: number }[]).map((a) => a.user_id);
    expect(attendees()).to.deep.equal([w.chargeA.id, w.bureauA.id, w.external.id].sort((a, b) => a - b));
    const count = () => (ctx.db.prepare('SELECT COUNT(*) AS n FROM outbox').get() as { n: number }).n;
    const toCandidate = () => mailsTo(w.a1.email).length;
    const answer = async (email: string, value: string) => post(await as(ctx.app, email), `${poll()}/reponses`, { [`answer_${s1.id}`]: value });

    // The outside evaluator can no longer come: only they get a cancellation of their copy.
    let before = count();
    const candidateBefore = toCandidate();
    const left = await answer(w.external.email, 'no');
    expect(left.status).to.equal(303);
    expect(attendees()).not.to.include(w.external.id);
    expect(count() - before).to.equal(1);
    const removal = mailsTo(w.external.email).at(-1)!;
    expect(removal.template).to.equal('interviews.removed');
    expect(icsOf(removal).calendar.getFirstPropertyValue('method')).to.equal('CANCEL');

    // They can again: invited alone, with the same UID and sequence as everyone's copy.
    before = count();
    await answer(w.external.email, 'yes');
    expect(attendees()).to.include(w.external.id);
    expect(count() - before).to.equal(1);
    const again = mailsTo(w.external.email).at(-1)!;
    expect(again.template).to.equal('interviews.scheduled');
    const { event } = icsOf(again);
    expect(event.getFirstPropertyValue('uid')).to.equal(interview.uid);
    expect(event.getFirstPropertyValue('sequence')).to.equal(interview.sequence);

    // An answer that changes nothing about attending (maybe after yes) writes to nobody.
    before = count();
    await answer(w.external.email, 'maybe');
    expect(count()).to.equal(before);

    // The chair withdraws: the quorum (chair required) is gone, the organiser is told, the page says so.
    const chair = await as(ctx.app, w.chargeA.email);
    const res = await post(chair, `${poll()}/reponses`, { [`answer_${s1.id}`]: 'no' });
    expect(res.status).to.equal(303);
    expect(attendees()).not.to.include(w.chargeA.id);
    const told = (ctx.db.prepare("SELECT * FROM outbox WHERE template = 'scheduling.quorum_lost'").all() as Mail[]);
    expect(told).to.have.length(1);
    expect(told[0].to_address).to.equal(w.bureauA.email);
    expect(told[0].subject).to.contain('le jury n’a plus le quorum');
    // The posting is named with its reference, as in every mail to members (postings of the same title).
    const reference = ctx.db.prepare('SELECT reference FROM postings WHERE id = ?').pluck().get(w.posting.id) as string;
    expect(told[0].subject).to.contain(`Réf. ${reference}`);
    expect(told[0].text_body).to.contain(`Réf. ${reference}`);
    expect(pageText((await chair.get(poll())).text)).to.contain('un entretien déjà réservé n’a plus le quorum du jury');
    // Nothing of this reached the candidate: their interview did not move.
    expect(toCandidate()).to.equal(candidateBefore);
    expect(interviews()[0].sequence).to.equal(interview.sequence);
    const audit = (ctx.db.prepare("SELECT action FROM audit_log WHERE action LIKE 'interview.attendee_%' ORDER BY id").all() as { action: string }[]).map((a) => a.action);
    expect(audit).to.deep.equal(['interview.attendee_removed', 'interview.attendee_added', 'interview.attendee_removed']);
  });

  it('when the bureau cancels the booked interview from the interviews page then the slot is free again and the candidate may choose anew', async () => {
    const { bureau, s1, s2 } = await readyPoll();
    const [link1, link2] = await invite(bureau, [w.a1.id, w.a2.id]);
    const c1 = visitor(ctx.app);
    await postFrom(c1, link1, link1, { slot_id: String(s1.id) });
    const [i1] = interviews();
    expect((await post(bureau, `/recrutement/entretiens/${i1.id}/annuler`, { reason: 'Le jury est empêché ce jour-là.' })).status).to.equal(303);
    const page = pageText((await c1.get(link1)).text);
    expect(page).to.contain('14:00–14:45');
    expect(page).not.to.contain('Votre entretien est prévu');
    expect(pageText((await bureau.get(poll())).text)).not.to.contain('réservé');
    const c2 = visitor(ctx.app);
    expect((await postFrom(c2, link2, link2, { slot_id: String(s1.id) })).status, 'someone else takes the freed slot').to.equal(303);
    expect((await postFrom(c1, link1, link1, { slot_id: String(s2.id) })).status).to.equal(303);
    expect(interviews().filter((i) => i.status === 'scheduled').map((i) => i.application_id).sort()).to.deep.equal([w.a1.id, w.a2.id].sort());
    expect(ctx.db.prepare('SELECT COUNT(*) AS n FROM scheduling_bookings').get()).to.deep.equal({ n: 2 });
  });

  it('when the link is tampered, expired, revoked, the candidate not invited or rejected meanwhile then the page says so and nothing is booked', async () => {
    const { bureau, s1 } = await readyPoll();
    const [link1] = await invite(bureau, [w.a1.id]);
    const guest = visitor(ctx.app);
    const token = link1.split('/')[2];
    expect((await guest.get(`/candidature/${token.slice(0, -2)}xx/entretien`)).status, 'tampered').to.equal(404);
    expect((await guest.get('/candidature/court/entretien')).status, 'malformed').to.equal(404);
    const notInvited = candidateToken(ctx.db, w.a2.id);
    expect((await guest.get(`/candidature/${notInvited}/entretien`)).status, 'not invited').to.equal(404);
    const expired = candidateToken(ctx.db, w.a1.id, '2020-01-01T00:00:00.000Z');
    expect((await guest.get(`/candidature/${expired}/entretien`)).status, 'expired').to.equal(410);
    expect((await postFrom(guest, link1, `${link1}/annuler`, {})).status, 'nothing booked to cancel').to.equal(404);
    const bad = await postFrom(guest, link1, link1, { slot_id: 'premier' });
    expect(bad.status).to.equal(422);
    expect(pageText(bad.text)).to.contain('Choisissez un créneau dans la liste.');
    expect((await postFrom(guest, link1, link1, { slot_id: '999999' })).status, 'unknown slot').to.equal(409);
    const csrf = /name="_csrf" value="([^"]+)"/.exec((await guest.get(link1)).text)![1];
    expect((await guest.post(link1).type('form').send({ slot_id: String(s1.id) })).status, 'no CSRF token').to.equal(403);
    ctx.db.prepare("UPDATE applications SET status = 'rejected' WHERE id = ?").run(w.a1.id);
    const closed = await guest.get(link1);
    expect(closed.status).to.equal(410);
    expect(pageText(closed.text)).to.contain('Votre candidature n’est plus en cours pour ce poste');
    expect((await guest.post(link1).type('form').send({ _csrf: csrf, slot_id: String(s1.id) })).status).to.equal(410);
    expect(pageText((await guest.get(link1.replace(/\/entretien$/, ''))).text)).not.to.contain('Date de votre entretien');
    ctx.db.prepare('UPDATE application_links SET revoked_at = ? WHERE application_id = ?').run('2026-01-01T00:00:00.000Z', w.a1.id);
    expect((await guest.get(link1)).status, 'revoked').to.equal(410);
    expect(interviews()).to.have.length(0);
    expect(ctx.db.prepare('SELECT COUNT(*) AS n FROM scheduling_bookings').get()).to.deep.equal({ n: 0 });
  });

  it('when the posting screens anonymously then the poll names the booked candidate by their anonymous label', async () => {
    ctx.db.prepare("INSERT INTO pipeline_settings (posting_id, organisation_id, anonymised, updated_at) VALUES (?, ?, 1, '2026-01-01')").run(w.posting.id, w.orgA.id);
    ctx.db.prepare("UPDATE pipeline_stages SET anonymised = 1 WHERE posting_id = ? AND stage_key = 'interview'").run(w.posting.id);
    ctx.db.prepare('UPDATE pipeline_cards SET identity_open = 0 WHERE posting_id = ?').run(w.posting.id);
    const { bureau, s1 } = await readyPoll();
    const [link1] = await invite(bureau, [w.a1.id]);
    await postFrom(visitor(ctx.app), link1, link1, { slot_id: String(s1.id) });
    for (const who of [w.bureauA.email, w.external.email]) {
      const page = pageText((await (await as(ctx.app, who)).get(poll())).text);
      expect(page, who).to.match(/réservé par Candidat·e n°\d+/);
      expect(page, who).not.to.contain('Élodie').and.not.to.contain('Martin');
    }
  });
});
