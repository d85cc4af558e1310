import { expect } from 'chai';
import { createTestContext, type TestContext } from '../helpers/app.js';
import { pageText } from '../helpers/agent.js';
import { as, evaluationWorld, post, seatPanel } from '../evaluation/fixtures.js';

type World = Awaited<ReturnType<typeof evaluationWorld>>;
type Row = { id: number; to_address: string; subject: string; text_body: string; html_body: string; attachments: string; next_attempt_at: string; created_at: string };

const future = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);

describe('interviews: cancelling asks for a reason, and every mail speaks of a calendar file only when it carries one', () => {
  let ctx: TestContext;
  let w: World;
  const mails = (to: string) => ctx.db.prepare('SELECT * FROM outbox WHERE to_address = ? ORDER BY id').all(to) as Row[];
  const interview = () => ctx.db.prepare('SELECT id, status, cancel_reason FROM interviews').get() as { id: number; status: string; cancel_reason: string | null };
  beforeEach(async () => {
    ctx = createTestContext();
    w = await evaluationWorld(ctx.db);
    seatPanel(ctx.db, w.posting.id, w.orgA.id, [{ id: w.chargeA.id, kind: 'charge', chair: true }, { id: w.bureauA.id }]);
  });
  afterEach(() => ctx.close());

  async function scheduled() {
    const bureau = await as(ctx.app, w.bureauA.email);
    const res = await post(bureau, `/recrutement/candidatures/${w.a1.id}/entretiens`, {
      date: future(10),
      start_time: '14:30',
      end_time: '15:15',
      mode: 'place',
      location: 'Maison de santé, Vertou',
      attendees: [String(w.chargeA.id), String(w.bureauA.id)],
    });
    expect(res.status).to.equal(303);
    return bureau;
  }

  it('when the bureau cancels without a reason then the form asks for one and nothing is cancelled or sent', async () => {
    const bureau = await scheduled();
    const { id } = interview();
    const page = await bureau.get(`/recrutement/entretiens/${id}/annuler`);
    expect(page.status).to.equal(200);
    expect(pageText(page.text)).to.contain('Motif de l’annulation');
    const before = mails(w.a1.email).length;
    const res = await post(bureau, `/recrutement/entretiens/${id}/annuler`, { reason: ' ' });
    expect(res.status).to.equal(422);
    expect(pageText(res.text)).to.contain('Indiquez le motif de l’annulation');
    expect(res.text).to.contain('href="#f-reason"');
    expect(interview().status).to.equal('scheduled');
    expect(mails(w.a1.email)).to.have.length(before);
  });

  it('when cancelled with a reason then candidate and panel are told why, with a calendar file that removes the event and text that says so', async () => {
    const bureau = await scheduled();
    const { id } = interview();
    const res = await post(bureau, `/recrutement/entretiens/${id}/annuler`, { reason: 'Un membre du jury est empêché ; nous vous proposons une autre date.' });
    expect(res.status).to.equal(303);
    expect(interview()).to.include({ status: 'cancelled', cancel_reason: 'Un membre du jury est empêché ; nous vous proposons une autre date.' });
    for (const to of [w.a1.email, w.chargeA.email]) {
      const mail = mails(to).at(-1)!;
      expect(mail.subject).to.contain('Entretien annulé');
      expect(mail.text_body).to.contain('Motif\u00a0: Un membre du jury est empêché');
      expect(mail.text_body).to.contain('Le fichier joint retire l’entretien de votre agenda.');
      expect(mail.text_body).not.to.contain('ajoute l’entretien');
      expect(JSON.parse(mail.attachments)).to.have.length(1);
    }
    const list = pageText((await bureau.get(`/recrutement/candidatures/${w.a1.id}/entretiens`)).text);
    expect(list).to.contain('Motif : Un membre du jury est empêché');
  });

  it('when any interview mail mentions the attached file then it carries one, and the candidate’s copy waits in its undo window', async () => {
    const bureau = await scheduled();
    await post(bureau, `/recrutement/entretiens/${interview().id}/annuler`, { reason: 'Le poste est suspendu.' });
    const all = ctx.db.prepare("SELECT * FROM outbox WHERE template LIKE 'interviews.%'").all() as Row[];
    expect(all.length).to.be.greaterThan(3);
    for (const m of all) expect(/fichier joint/.test(m.text_body), m.subject).to.equal(JSON.parse(m.attachments).length > 0);
    for (const m of mails(w.a1.email)) expect(Date.parse(m.next_attempt_at) - Date.parse(m.created_at)).to.equal(5 * 60_000);
    for (const m of mails(w.chargeA.email)) expect(m.next_attempt_at).to.equal(m.created_at);
    const recorded = ctx.db.prepare('SELECT template_key FROM pipeline_mails WHERE application_id = ? ORDER BY id').all(w.a1.id) as { template_key: string }[];
    expect(recorded.map((r) => r.template_key)).to.deep.equal(['interview_scheduled', 'interview_cancelled']);
  });

  it('when someone without the right opens or posts the cancel form then 404 and the interview stays', async () => {
    await scheduled();
    const { id } = interview();
    for (const email of [w.coordinatorA.email, w.bureauB.email]) {
      const agent = await as(ctx.app, email);
      expect((await agent.get(`/recrutement/entretiens/${id}/annuler`)).status, email).to.equal(404);
      expect((await post(agent, `/recrutement/entretiens/${id}/annuler`, { reason: 'Pas moi.' })).status, email).to.equal(404);
    }
    expect(interview().status).to.equal('scheduled');
  });
});
