import { expect } from 'chai';
import ICAL from 'ical.js';
import { createTestContext, type TestContext } from '../helpers/app.js';
import { pageText } from '../helpers/agent.js';
import { as, post } from '../evaluation/fixtures.js';
import { stagesOf } from '../pipeline/fixtures.js';
import { candidateToken, inDays, linkPath, postFrom, schedulingWorld, visitor, type Mail } from '../scheduling/fixtures.js';

type World = Awaited<ReturnType<typeof schedulingWorld>>;
type Interview = { id: number; application_id: number; uid: string; sequence: number; status: string; starts_at: string };

function calendarOf(mail: Mail) {
  const [att] = JSON.parse(mail.attachments) as { contentType: string; content: string }[];
  const calendar = new ICAL.Component(ICAL.parse(att.content));
  return { contentType: att.contentType, method: calendar.getFirstPropertyValue('method'), event: calendar.getFirstSubcomponent('vevent')! };
}

describe('interviews: an application that ends keeps no interview to come', function () {
  this.timeout(30_000);
  let ctx: TestContext;
  let w: World;
  const interviews = () => ctx.db.prepare('SELECT id, application_id, uid, sequence, status, starts_at FROM interviews ORDER BY id').all() as Interview[];
  const mailsTo = (to: string, template = 'interviews.cancelled') => ctx.db.prepare('SELECT * FROM outbox WHERE to_address = ? AND template = ? ORDER BY id').all(to, template) as (Mail & { next_attempt_at: string; created_at: string })[];
  const panel = () => [w.chargeA, w.bureauA, w.external];
  beforeEach(async () => {
    ctx = createTestContext();
    w = await schedulingWorld(ctx.db);
  });
  afterEach(() => ctx.close());

  /** The bureau plans an interview of an application with the whole panel invited, `days` from now. */
  async function planned(applicationId: number, days = 10, start = '14:30') {
    const bureau = await as(ctx.app, w.bureauA.email);
    const res = await post(bureau, `/recrutement/candidatures/${applicationId}/entretiens`, {
      date: inDays(days),
      start_time: start,
      end_time: '15:15',
      mode: 'place',
      location: 'Maison de santé, Vertou',
      attendees: panel().map((m) => String(m.id)),
    });
    expect(res.status).to.equal(303);
    return { bureau, interview: interviews().at(-1)! };
  }

  /** An interview that already took place (history, not to be cancelled). */
  const past = (applicationId: number) => {
    const yesterday = new Date(Date.now() - 86_400_000);
    ctx.db
      .prepare(
        `INSERT INTO interviews (organisation_id, posting_id, application_id, uid, starts_at, ends_at, duration_minutes, mode, organizer_name, organizer_email, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, 60, 'place', 'Bureau A', 'bureau@alpha.test', ?, ?)`,
      )
      .run(w.orgA.id, w.posting.id, applicationId, `uid-past-${applicationId}`, yesterday.toISOString(), new Date(yesterday.getTime() + 3_600_000).toISOString(), yesterday.toISOString(), yesterday.toISOString());
  };

  it('when a candidate who booked a slot withdraws then the interview is cancelled, the slot is free, and they and the panel get the cancelling calendar file', async () => {
    // The panel's poll, one slot with the quorum, the candidate invited and booking it.
    const bureau = await as(ctx.app, w.bureauA.email);
    const poll = `/recrutement/offres/${w.posting.id}/disponibilites`;
    await post(bureau, `${poll}/creneaux`, { dates: [inDays(10)], from: '14:00', to: '14:45', duration: '45', gap: '0', mode: 'place', location: 'Maison de santé de Vertou' });
    const slot = ctx.db.prepare('SELECT id FROM scheduling_slots').pluck().get() as number;
    for (const m of panel()) await post(await as(ctx.app, m.email), `${poll}/reponses`, { [`answer_${slot}`]: 'yes' });
    expect((await post(bureau, `${poll}/candidats`, { applications: [String(w.a1.id), String(w.a2.id)] })).status).to.equal(303);
    const inviteOf = (email: string) => ctx.db.prepare("SELECT * FROM outbox WHERE to_address = ? AND template = 'scheduling.invite'").get(email) as Mail;
    const choose = linkPath(inviteOf(w.a1.email), '/candidature/');
    const candidate = visitor(ctx.app);
    expect((await postFrom(candidate, choose, choose, { slot_id: String(slot) })).status).to.equal(303);
    const [booked] = interviews();
    expect(booked.status).to.equal('scheduled');
    past(w.a1.id);

    const home = choose.replace(/\/entretien$/, '');
    expect(pageText((await candidate.get(home)).text)).to.contain('(heure de Paris), durée 45 minutes');
    const withdrawn = await postFrom(candidate, home, `${home}/retirer`, {});
    expect(withdrawn.status).to.equal(302);
    const page = pageText((await candidate.get(home)).text);
    expect(page).to.contain('Votre candidature a été retirée. Votre entretien prévu est annulé');
    expect(page).not.to.contain('durée 45 minutes');

    const after = interviews();
    expect(after.find((i) => i.id === booked.id)).to.include({ status: 'cancelled', sequence: booked.sequence + 1 });
    expect(after.find((i) => i.uid === `uid-past-${w.a1.id}`)!.status, 'the past interview stays in the history').to.equal('scheduled');
    expect(ctx.db.prepare('SELECT COUNT(*) FROM scheduling_bookings').pluck().get(), 'the slot is free again').to.equal(0);
    const other = linkPath(inviteOf(w.a2.email), '/candidature/');
    expect(pageText((await visitor(ctx.app).get(other)).text)).to.contain('14:00–14:45');

    for (const m of panel()) {
      const [mail] = mailsTo(m.email);
      expect(mail, m.email).to.not.equal(undefined);
      expect(mail.text_body).to.contain('La personne a retiré sa candidature.');
      expect(mail.text_body).to.contain('Le fichier joint retire l’entretien de votre agenda.');
      const ics = calendarOf(mail);
      expect(ics.method).to.equal('CANCEL');
      expect(ics.event.getFirstPropertyValue('uid')).to.equal(booked.uid);
      expect(ics.event.getFirstPropertyValue('sequence')).to.equal(booked.sequence + 1);
    }
    const [mine] = mailsTo(w.a1.email);
    expect(mine.text_body).to.contain('Vous avez retiré votre candidature au poste');
    expect(mine.text_body).not.to.contain('Nous revenons vers vous');
    expect(calendarOf(mine).method).to.equal('CANCEL');
    // Their own act: no undo window, nobody of the CPTS holds it back.
    expect(ctx.db.prepare("SELECT COUNT(*) FROM pipeline_mails WHERE application_id = ? AND template_key = 'interview_cancelled'").pluck().get(w.a1.id)).to.equal(0);
    expect(mine.next_attempt_at).to.equal(mine.created_at);
    const audit = ctx.db.prepare("SELECT details FROM audit_log WHERE action = 'interview.cancelled'").pluck().get() as string;
    expect(JSON.parse(audit)).to.deep.equal({ interview: booked.id, ended: 'withdrawn' });
  });

  it('when the bureau does not retain a candidate with an interview to come then the form says it will be cancelled, and it is, even with no rejection mail', async () => {
    const { bureau, interview } = await planned(w.early.id);
    past(w.early.id);
    const form = pageText((await bureau.get(`/recrutement/candidatures/${w.early.id}/refuser`)).text);
    expect(form).to.contain('Un entretien est prévu le').and.to.contain('ne pas retenir la candidature l’annule');
    const before = mailsTo(w.early.email).length;
    const stage = ctx.db.prepare('SELECT stage_id FROM pipeline_cards WHERE application_id = ?').pluck().get(w.early.id) as number;
    const res = await post(bureau, `/recrutement/candidatures/${w.early.id}/refuser`, { expected_stage_id: String(stage), reason: 'profile', mail: 'none' });
    expect(res.status).to.equal(303);
    const flashed = pageText((await bureau.get(res.headers.location as string)).text);
    expect(flashed).to.contain('Un entretien prévu est annulé');

    expect(interviews().find((i) => i.id === interview.id)!.status).to.equal('cancelled');
    expect(interviews().find((i) => i.uid === `uid-past-${w.early.id}`)!.status).to.equal('scheduled');
    for (const m of panel()) {
      const [mail] = mailsTo(m.email);
      expect(mail.text_body, m.email).to.contain('La candidature n’a pas été retenue.');
      expect(calendarOf(mail).method).to.equal('CANCEL');
    }
    // The candidate must not come: told at once that the interview is cancelled (the CPTS's
    // reasons stay out of it), through the undo window of the mails the bureau sends.
    const mine = mailsTo(w.early.email);
    expect(mine).to.have.length(before + 1);
    expect(mine.at(-1)!.text_body).to.contain('est annulé.').and.not.to.contain('retenue').and.not.to.contain('Nous revenons vers vous');
    expect(ctx.db.prepare('SELECT template_key FROM pipeline_mails WHERE application_id = ? ORDER BY id').pluck().all(w.early.id)).to.deep.equal(['interview_scheduled', 'interview_cancelled']);
    expect(ctx.db.prepare("SELECT COUNT(*) FROM outbox WHERE to_address = ? AND template LIKE 'candidate.rejection%'").pluck().get(w.early.email)).to.equal(0);
  });

  it('when candidates are not retained in bulk or by a panel decision then their interviews to come are cancelled too', async () => {
    const { bureau } = await planned(w.early.id, 10, '10:00');
    await planned(w.a1.id, 11, '10:00');
    const stage = ctx.db.prepare('SELECT stage_id FROM pipeline_cards WHERE application_id = ?').pluck().get(w.early.id) as number;
    const bulk = await post(bureau, `/recrutement/organisations/${w.orgA.id}/candidatures/lot`, { action: 'reject', ids: [`${w.early.id}:${stage}`], reason: 'profile', mail: 'none' });
    expect(bulk.status, bulk.text?.slice(0, 300)).to.equal(303);
    expect(interviews().filter((i) => i.application_id === w.early.id).map((i) => i.status)).to.deep.equal(['cancelled']);

    const interview = stagesOf(ctx.db, w.posting.id).find((s) => s.stage_key === 'interview')!;
    const decided = await post(bureau, `/recrutement/candidatures/${w.a1.id}/decision`, {
      outcome: 'rejected',
      rationale: 'Le jury retient un autre profil, plus proche des besoins de la CPTS sur l’exercice coordonné.',
      expected_stage_id: String(interview.id),
    });
    expect(decided.status).to.equal(303);
    expect(interviews().filter((i) => i.application_id === w.a1.id).map((i) => i.status)).to.deep.equal(['cancelled']);
    expect(mailsTo(w.chargeA.email)).to.have.length(2);

    // A withdrawal the bureau records (the candidate phoned): the move to "Désistement".
    await planned(w.a2.id, 12, '10:00');
    const withdrawn = stagesOf(ctx.db, w.posting.id).find((s) => s.kind === 'withdrawn')!;
    const moved = await post(bureau, `/recrutement/candidatures/${w.a2.id}/deplacer`, { stage_id: String(withdrawn.id), expected_stage_id: String(interview.id) });
    expect(moved.status).to.equal(303);
    expect(pageText((await bureau.get(moved.headers.location as string)).text)).to.contain('Un entretien prévu est annulé');
    expect(interviews().filter((i) => i.application_id === w.a2.id).map((i) => i.status)).to.deep.equal(['cancelled']);
    expect(mailsTo(w.chargeA.email).at(-1)!.text_body).to.contain('La personne a retiré sa candidature.');
  });

  it('when a candidate who applied in English is not retained then their cancellation is in English, and each panel member’s in their own language', async () => {
    ctx.db.prepare("UPDATE applications SET locale = 'en' WHERE id = ?").run(w.early.id);
    ctx.db.prepare("UPDATE users SET locale = 'en' WHERE id = ?").run(w.external.id);
    const { bureau } = await planned(w.early.id);
    const stage = ctx.db.prepare('SELECT stage_id FROM pipeline_cards WHERE application_id = ?').pluck().get(w.early.id) as number;
    expect((await post(bureau, `/recrutement/candidatures/${w.early.id}/refuser`, { expected_stage_id: String(stage), reason: 'profile', mail: 'none' })).status).to.equal(303);
    const mine = mailsTo(w.early.email).at(-1)!;
    expect(mine.subject).to.match(/^Interview cancelled – /);
    expect(mine.text_body).to.contain('is cancelled.').and.not.to.contain('annulé');
    expect(mailsTo(w.external.email).at(-1)!.text_body).to.contain('The application was not retained.');
    expect(mailsTo(w.chargeA.email).at(-1)!.text_body).to.contain('La candidature n’a pas été retenue.');
  });

  it('when the candidate erases their application then the panel gets a cancellation that names no one, and nothing of the person is written again', async () => {
    const { interview } = await planned(w.early.id);
    const token = candidateToken(ctx.db, w.early.id);
    const candidate = visitor(ctx.app);
    const erased = await postFrom(candidate, `/candidature/${token}/supprimer`, `/candidature/${token}/supprimer`, { confirm: '1' });
    expect(erased.status).to.equal(200);
    expect(ctx.db.prepare('SELECT COUNT(*) FROM interviews WHERE id = ?').pluck().get(interview.id)).to.equal(0);
    for (const m of panel()) {
      const [mail] = mailsTo(m.email);
      expect(mail, m.email).to.not.equal(undefined);
      expect(mail.text_body).to.contain('la candidature a été effacée, avec les données de la personne');
      for (const part of [mail.subject, mail.text_body, mail.html_body, mail.attachments]) {
        expect(part).not.to.contain('Précoce');
        expect(part).not.to.contain(w.early.email);
      }
      const ics = calendarOf(mail);
      expect(ics.method).to.equal('CANCEL');
      expect(ics.event.getFirstPropertyValue('uid')).to.equal(interview.uid);
      expect(ics.event.getFirstPropertyValue('sequence')).to.equal(interview.sequence + 1);
      expect(ctx.db.prepare('SELECT COUNT(*) FROM outbox_applications WHERE outbox_id = ?').pluck().get(mail.id)).to.equal(0);
    }
    // The person's address is gone: no mail to them stays queued, this one included.
    expect(ctx.db.prepare('SELECT COUNT(*) FROM outbox WHERE to_address = ?').pluck().get(w.early.email)).to.equal(0);
  });
});
