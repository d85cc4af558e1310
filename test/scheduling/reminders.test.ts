import { expect } from 'chai';
import { runExclusive } from '../../server/core/scheduler.js';
import { createLogger } from '../../server/core/logger.js';
import { interviewRemindersJob } from '../../server/jobs/interview-reminders.js';
import { allJobs } from '../../server/jobs/index.js';
import { createTestContext, type TestContext } from '../helpers/app.js';
import { as, post } from '../evaluation/fixtures.js';
import { mailsOf, schedulingWorld } from './fixtures.js';

type World = Awaited<ReturnType<typeof schedulingWorld>>;

describe('scheduling: the day-before interview reminder', function () {
  this.timeout(30_000);
  let ctx: TestContext;
  let w: World;
  beforeEach(async () => {
    ctx = createTestContext();
    w = await schedulingWorld(ctx.db);
  });
  afterEach(() => ctx.close());

  const schedule = async (applicationId: number, date: string, start = '09:30') => {
    const bureau = await as(ctx.app, w.bureauA.email);
    const res = await post(bureau, `/recrutement/candidatures/${applicationId}/entretiens`, { date, start_time: start, end_time: '10:15', mode: 'video', video_url: 'https://visio.example.test/jury', attendees: [String(w.chargeA.id), String(w.external.id)] });
    expect(res.status).to.equal(303);
  };

  it('when the job runs the day before then the candidate and each attendee get one reminder, and a second run (or process) sends nothing', async () => {
    await schedule(w.a1.id, '2031-03-12');
    await schedule(w.a2.id, '2031-03-13');
    const job = interviewRemindersJob(ctx.db, ctx.config, undefined, () => new Date('2031-03-11T07:00:00Z'));
    expect(allJobs(ctx.db, ctx.config, createLogger('silent')).map((j) => j.name)).to.include('interviews.reminders');
    expect(await runExclusive(ctx.db, job, 'test-a')).to.equal(true);
    const reminders = mailsOf(ctx.db, 'scheduling.reminder');
    expect(reminders.map((m) => m.to_address).sort()).to.deep.equal([w.a1.email, w.chargeA.email, w.external.email].sort());
    const candidate = reminders.find((m) => m.to_address === w.a1.email)!;
    expect(candidate.subject).to.contain('Rappel\u00a0: entretien demain').and.to.contain('12 mars 2031 à 09:30');
    expect(candidate.text_body).to.contain('https://visio.example.test/jury');
    const panel = reminders.find((m) => m.to_address === w.external.email)!;
    expect(panel.text_body).to.contain('vous êtes attendu·e dans le jury').and.to.contain(`/recrutement/candidatures/${w.a1.id}/evaluation`);
    expect(`${panel.subject} ${panel.text_body} ${panel.html_body}`, 'no copy of the candidate’s identity').not.to.contain('Martin');
    await runExclusive(ctx.db, job, 'test-b');
    expect(mailsOf(ctx.db, 'scheduling.reminder'), 'idempotent').to.have.length(3);
    // The next day's interview is reminded the next day.
    await runExclusive(ctx.db, interviewRemindersJob(ctx.db, ctx.config, undefined, () => new Date('2031-03-12T07:00:00Z')), 'test-a');
    expect(mailsOf(ctx.db, 'scheduling.reminder').filter((m) => m.to_address === w.a2.email)).to.have.length(1);
  });

  it('when an interview is moved to another day or cancelled then the reminder follows it', async () => {
    await schedule(w.a1.id, '2031-03-12');
    const { id } = ctx.db.prepare('SELECT id FROM interviews').get() as { id: number };
    const at = (iso: string) => interviewRemindersJob(ctx.db, ctx.config, undefined, () => new Date(iso));
    await runExclusive(ctx.db, at('2031-03-11T07:00:00Z'), 'test');
    expect(mailsOf(ctx.db, 'scheduling.reminder')).to.have.length(3);
    const bureau = await as(ctx.app, w.bureauA.email);
    await post(bureau, `/recrutement/entretiens/${id}/modifier`, { date: '2031-03-20', start_time: '09:30', end_time: '10:15', mode: 'video', video_url: 'https://visio.example.test/jury', attendees: [String(w.chargeA.id)], expected_sequence: '0' });
    await runExclusive(ctx.db, at('2031-03-19T07:00:00Z'), 'test');
    expect(mailsOf(ctx.db, 'scheduling.reminder'), 'moved: reminded again, to the new attendees').to.have.length(5);
    await post(bureau, `/recrutement/entretiens/${id}/annuler`, { reason: 'Le jury est empêché ce jour-là.' });
    ctx.db.prepare('DELETE FROM interview_reminders').run();
    await runExclusive(ctx.db, at('2031-03-19T07:00:00Z'), 'test');
    expect(mailsOf(ctx.db, 'scheduling.reminder'), 'cancelled: no reminder').to.have.length(5);
  });

  it('when the candidate was turned down or withdrew before the day then nobody is reminded of their interview', async () => {
    await schedule(w.a1.id, '2031-03-12');
    await schedule(w.a2.id, '2031-03-13');
    ctx.db.prepare("UPDATE applications SET status = 'rejected' WHERE id = ?").run(w.a1.id);
    ctx.db.prepare("UPDATE applications SET status = 'withdrawn' WHERE id = ?").run(w.a2.id);
    await runExclusive(ctx.db, interviewRemindersJob(ctx.db, ctx.config, undefined, () => new Date('2031-03-11T07:00:00Z')), 'test');
    await runExclusive(ctx.db, interviewRemindersJob(ctx.db, ctx.config, undefined, () => new Date('2031-03-12T07:00:00Z')), 'test');
    expect(mailsOf(ctx.db, 'scheduling.reminder')).to.have.length(0);
    ctx.db.prepare("UPDATE applications SET status = 'interview' WHERE id = ?").run(w.a1.id);
    await runExclusive(ctx.db, interviewRemindersJob(ctx.db, ctx.config, undefined, () => new Date('2031-03-11T07:05:00Z')), 'test');
    expect(mailsOf(ctx.db, 'scheduling.reminder').map((m) => m.to_address)).to.include(w.a1.email);
  });

  it('when the posting screens anonymously then the panel’s reminder reveals nothing of the candidate', async () => {
    await schedule(w.a1.id, '2031-03-12');
    ctx.db.prepare("INSERT INTO pipeline_settings (posting_id, organisation_id, anonymised, updated_at) VALUES (?, ?, 1, '2026-01-01')").run(w.posting.id, w.orgA.id);
    ctx.db.prepare("UPDATE pipeline_stages SET anonymised = 1 WHERE posting_id = ? AND stage_key = 'interview'").run(w.posting.id);
    ctx.db.prepare('UPDATE pipeline_cards SET identity_open = 0 WHERE posting_id = ?').run(w.posting.id);
    await runExclusive(ctx.db, interviewRemindersJob(ctx.db, ctx.config, undefined, () => new Date('2031-03-11T07:00:00Z')), 'test');
    const panel = mailsOf(ctx.db, 'scheduling.reminder').filter((m) => m.to_address !== w.a1.email);
    expect(panel).to.have.length(2);
    for (const m of panel) {
      expect(`${m.subject} ${m.text_body} ${m.html_body}`).not.to.contain('Élodie').and.not.to.contain('Martin');
    }
  });
});
