import { expect } from 'chai';
import { createI18n } from '../../server/core/i18n.js';
import { commonMessages } from '../../server/core/messages.js';
import { enqueueMail } from '../../server/core/mailer.js';
import { messages as applicationMessages } from '../../server/features/applications/messages.js';
import { messages as pipelineMessages } from '../../server/features/pipeline/messages.js';
import { sendApplicationDigests } from '../../server/features/applications/service.js';
import { waitingApplications } from '../../server/features/pipeline/waiting.js';
import { holdCandidateMail } from '../../server/features/pipeline/candidate-mails.js';
import { anonymous, login, pageText, submitForm, type Agent } from '../helpers/agent.js';
import { createTestContext, type TestContext } from '../helpers/app.js';
import { createWorld } from '../helpers/factories.js';
import { createApplication, createPosting, stageByKey, type ApplicationFixture, type PostingFixture } from '../pipeline/fixtures.js';

const DAY = 86_400_000;
const ago = (days: number) => new Date(Date.now() - days * DAY).toISOString();

describe('dashboards: every candidate gets an answer (applications waiting for a reply)', () => {
  let ctx: TestContext;
  let world: Awaited<ReturnType<typeof createWorld>>;
  let posting: PostingFixture;
  let old: ApplicationFixture;
  let bureau: Agent;
  const dashboard = () => `/organisations/${world.orgA.id}/tableau-de-bord`;
  const waitingIds = () => waitingApplications(ctx.db, [world.orgA.id]).map((w) => w.application_id);
  const mailTo = (a: ApplicationFixture, template: string) =>
    enqueueMail(ctx.db, { template, to: a.email, subject: 'Votre candidature', text: '', html: '', organisationId: world.orgA.id, applicationIds: [a.id] });

  beforeEach(async () => {
    ctx = createTestContext();
    world = await createWorld(ctx.db);
    posting = createPosting(ctx.db, world.orgA.id, { title: 'Coordination Alpha' });
    old = createApplication(ctx.db, posting, { createdAt: ago(20) });
    bureau = await login(ctx.app, world.bureauA.email, world.bureauA.password);
  });
  afterEach(() => ctx.close());

  it('when an application has had only its acknowledgement for more than 15 days then the dashboard lists it, oldest first', async () => {
    mailTo(old, 'applications.ack');
    const older = createApplication(ctx.db, posting, { createdAt: ago(40) });
    createApplication(ctx.db, posting, { createdAt: ago(5) });
    expect(waitingIds()).to.deep.equal([older.id, old.id]);
    const page = pageText((await bureau.get(dashboard())).text);
    expect(page).to.contain('Candidatures sans réponse depuis plus de 15 jours');
    expect(page).to.contain('2 candidatures attendent une réponse.');
    expect(page).to.contain('aucun courriel en dehors de l’accusé de réception');
  });

  it('when the CPTS has written to the candidate or moved the application on then it is no longer waiting; a cancelled or held mail is no reply', async () => {
    const written = createApplication(ctx.db, posting, { createdAt: ago(20) });
    mailTo(written, 'candidate.interview');
    const moved = createApplication(ctx.db, posting, { createdAt: ago(20) });
    ctx.db.prepare('UPDATE pipeline_cards SET stage_id = ? WHERE application_id = ?').run(stageByKey(ctx.db, posting.id, 'screening').id, moved.id);
    const cancelled = createApplication(ctx.db, posting, { createdAt: ago(20) });
    const outboxId = mailTo(cancelled, 'candidate.rejection');
    ctx.db.prepare('DELETE FROM outbox WHERE id = ?').run(outboxId);
    const withdrawn = createApplication(ctx.db, posting, { createdAt: ago(20), status: 'withdrawn' });
    const held = createApplication(ctx.db, posting, { createdAt: ago(20) });
    holdCandidateMail(ctx.db, { organisationId: world.orgA.id, applicationId: held.id, key: 'rejection', subject: 'Votre candidature', actor: { id: world.bureauA.id, name: 'Bureau A' } });
    const ids = waitingIds();
    expect(ids).to.include(old.id).and.to.include(cancelled.id).and.to.include(held.id);
    expect(ids).not.to.include(written.id);
    expect(ids).not.to.include(moved.id);
    expect(ids).not.to.include(withdrawn.id);
  });

  it('when the bureau sets another delay then the list follows it; a bad value is refused with a message and changes nothing', async () => {
    const page = `/organisations/${world.orgA.id}/offres`;
    expect(pageText((await bureau.get(page)).text)).to.contain('Délai de réponse aux candidat·es');
    for (const bad of ['0', '91', 'quinze', '']) {
      const res = await submitForm(bureau, `${page}/delai-reponse`, { waiting_days: bad }, page);
      expect(res.status, bad).to.equal(422);
      expect(pageText(res.text), bad).to.contain('Indiquez un nombre de jours entre 1 et 90.');
      expect(res.text).to.contain('href="#f-waiting_days"');
    }
    expect(waitingIds()).to.deep.equal([old.id]);
    const ok = await submitForm(bureau, `${page}/delai-reponse`, { waiting_days: '30' }, page);
    expect(ok.status).to.equal(303);
    expect(waitingIds()).to.deep.equal([]);
    expect(pageText((await bureau.get(dashboard())).text)).to.contain('Candidatures sans réponse depuis plus de 30 jours');
  });

  it('when someone outside the CPTS’s bureau sets the delay then 404 and nothing changes; a visitor logs in first', async () => {
    for (const user of [world.bureauB, world.coordinatorA]) {
      const agent = await login(ctx.app, user.email, user.password);
      expect((await submitForm(agent, `/organisations/${world.orgA.id}/offres/delai-reponse`, { waiting_days: '60' }, '/compte')).status, user.email).to.equal(404);
    }
    expect((await anonymous(ctx.app).get(dashboard())).status).to.equal(302);
    expect(ctx.db.prepare('SELECT COUNT(*) AS n FROM recruitment_settings').get()).to.deep.equal({ n: 0 });
  });

  it('when the CPTS takes the daily digest then the digest lists the applications waiting for a reply, even on a day without new ones', () => {
    ctx.db.prepare("INSERT INTO recruitment_settings (organisation_id, notify_mode, updated_at) VALUES (?, 'digest', ?)").run(world.orgA.id, new Date().toISOString());
    ctx.db.prepare('UPDATE applications SET notified_at = created_at').run();
    const t = createI18n([commonMessages, applicationMessages, pipelineMessages]).translator('fr');
    expect(sendApplicationDigests(ctx.db, { baseUrl: ctx.config.baseUrl, translator: () => t })).to.equal(1);
    const mail = ctx.db.prepare("SELECT subject, text_body FROM outbox WHERE template = 'applications.digest' AND to_address = ?").get(world.bureauA.email) as { subject: string; text_body: string };
    expect(mail.subject).to.equal('1 candidature attend une réponse – CPTS Alpha');
    expect(mail.text_body).to.contain('Sans réponse depuis plus de 15 jours');
    expect(mail.text_body).to.match(new RegExp(`${old.name}, pour «\u00a0Coordination Alpha \\(Réf\\. \\d{4}-\\d{2}(, [^)]+)?\\)\u00a0», reçue il y a 20 jours`));
    // Once a day only.
    expect(sendApplicationDigests(ctx.db, { baseUrl: ctx.config.baseUrl, translator: () => t })).to.equal(0);
  });

  it('when the CPTS is mailed at each application then no digest goes, and other CPTS never see these applications', async () => {
    const t = createI18n([commonMessages, applicationMessages, pipelineMessages]).translator('fr');
    expect(sendApplicationDigests(ctx.db, { baseUrl: ctx.config.baseUrl, translator: () => t })).to.equal(0);
    expect(waitingApplications(ctx.db, [world.orgB.id])).to.deep.equal([]);
    const other = await login(ctx.app, world.bureauB.email, world.bureauB.password);
    expect((await other.get(dashboard())).status).to.equal(404);
  });
});
