import { expect } from 'chai';
import { loadActor } from '../../server/core/auth.js';
import { addDays, todayInParis } from '../../server/features/onboarding/dates.js';
import { createPlanForHire, setStepStatus } from '../../server/features/onboarding/service.js';
import { runExclusive } from '../../server/core/scheduler.js';
import { allJobs } from '../../server/jobs/index.js';
import { createLogger } from '../../server/core/logger.js';
import { createTestContext, type TestContext } from '../helpers/app.js';
import { createUser, createWorld } from '../helpers/factories.js';
import { lastMailTo, mailsTo } from '../helpers/mail.js';

describe('onboarding: daily reminder digest', () => {
  let ctx: TestContext;
  let world: Awaited<ReturnType<typeof createWorld>>;
  const now = new Date('2026-03-20T08:00:00Z');
  const today = todayInParis(now);
  const job = () => allJobs(ctx.db, ctx.config, createLogger('silent')).find((j) => j.name === 'onboarding.digest')!;
  const runAt = async (at: Date) => {
    const { sendOnboardingDigests } = await import('../../server/features/onboarding/digest.js');
    const { createI18n } = await import('../../server/core/i18n.js');
    const { commonMessages } = await import('../../server/core/messages.js');
    const { messages } = await import('../../server/features/onboarding/messages.js');
    return sendOnboardingDigests(ctx.db, { baseUrl: 'http://coordo.test', translator: createI18n([commonMessages, messages]).translator }, at);
  };

  beforeEach(async () => {
    ctx = createTestContext();
    world = await createWorld(ctx.db);
  });
  afterEach(() => ctx.close());

  it('when nothing is due within 7 days then no mail is sent', async () => {
    const bureau = loadActor(ctx.db, world.bureauA.id)!;
    // Starts in 60 days: the earliest step (-21) is 39 days away.
    createPlanForHire(ctx.db, bureau, { organisationId: world.orgA.id, userId: world.coordinatorA.id, kind: 'coordinator', startDate: addDays(today, 60) }, now);
    expect((await runAt(now)).sent).to.equal(0);
    expect(ctx.db.prepare("SELECT COUNT(*) AS n FROM outbox WHERE template = 'onboarding.digest'").get()).to.deep.equal({ n: 0 });
  });

  it('when steps are due or overdue then each owner gets one mail listing theirs, and never twice the same day', async () => {
    const bureau = loadActor(ctx.db, world.bureauA.id)!;
    const secondBureau = await createUser(ctx.db, { name: 'Trésorière A', memberships: [{ organisationId: world.orgA.id, role: 'bureau' }] });
    const { planId } = createPlanForHire(ctx.db, bureau, { organisationId: world.orgA.id, userId: world.coordinatorA.id, kind: 'coordinator', startDate: addDays(today, 2) }, now);
    // One overdue bureau step is done already: it must not appear.
    const done = ctx.db.prepare("SELECT id FROM onboarding_plan_steps WHERE plan_id = ? AND step_key = 'prepare_contract'").get(planId) as { id: number };
    setStepStatus(ctx.db, bureau, planId, done.id, { status: 'done', reason: '' }, now);

    // Bureau steps are named to the first bureau member by default; the coordinator; the chargée.
    expect((await runAt(now)).sent).to.equal(3);
    const mail = lastMailTo(ctx.db, world.bureauA.email);
    expect(mail.subject).to.equal('Intégration\u00a0: 3 étapes à suivre');
    expect(mail.text_body).to.contain('Préparer le poste de travail et les accès');
    expect(mail.text_body).to.contain('Rencontrer le bureau');
    expect(mail.text_body).not.to.contain('Finaliser le contrat');
    expect(mail.text_body).to.contain(`http://coordo.test/integration/${planId}#etape-`);
    expect(mailsTo(ctx.db, secondBureau.email)).to.have.length(0);
    const coordinatorMail = lastMailTo(ctx.db, world.coordinatorA.email);
    expect(coordinatorMail.text_body).to.contain('Lire les documents fondateurs');
    expect(coordinatorMail.text_body).not.to.contain('Préparer le poste');
    expect(lastMailTo(ctx.db, world.chargeA.email).text_body).to.contain('Annoncer l\'arrivée au réseau');
    expect(mailsTo(ctx.db, world.bureauB.email)).to.have.length(0);

    // Same day again (the scheduler's next hourly tick): nothing more.
    expect((await runAt(new Date(now.getTime() + 3 * 3600_000))).sent).to.equal(0);
    expect(mailsTo(ctx.db, world.bureauA.email)).to.have.length(1);

    // The next day, the digest comes again.
    expect((await runAt(new Date(now.getTime() + 24 * 3600_000))).sent).to.equal(3);
    expect(mailsTo(ctx.db, world.bureauA.email)).to.have.length(2);
  });

  it('when the registered job runs twice today (scheduler, then CLI) then each owner has one mail', async () => {
    const bureau = loadActor(ctx.db, world.bureauA.id)!;
    createPlanForHire(ctx.db, bureau, { organisationId: world.orgA.id, userId: world.coordinatorA.id, kind: 'coordinator', startDate: todayInParis() });
    expect(await runExclusive(ctx.db, job(), 'scheduler')).to.equal(true);
    expect(await runExclusive(ctx.db, job(), 'cli')).to.equal(true);
    const digests = (to: string) => mailsTo(ctx.db, to).filter((m) => m.template === 'onboarding.digest');
    expect(digests(world.bureauA.email)).to.have.length(1);
    expect(digests(world.coordinatorA.email)).to.have.length(1);
    expect((ctx.db.prepare('SELECT COUNT(*) AS n FROM onboarding_digests').get() as { n: number }).n).to.equal(3);
  });

  it('when an overdue step is marked done then it leaves the next digest', async () => {
    const bureau = loadActor(ctx.db, world.bureauA.id)!;
    const { planId } = createPlanForHire(ctx.db, bureau, { organisationId: world.orgA.id, userId: world.coordinatorA.id, kind: 'coordinator', startDate: addDays(today, 25) }, now);
    // Only prepare_contract (-21 → in 4 days) is within the window.
    expect((await runAt(now)).sent).to.equal(1);
    const step = ctx.db.prepare("SELECT id FROM onboarding_plan_steps WHERE plan_id = ? AND step_key = 'prepare_contract'").get(planId) as { id: number };
    setStepStatus(ctx.db, bureau, planId, step.id, { status: 'done', reason: '' }, now);
    expect((await runAt(new Date(now.getTime() + 24 * 3600_000))).sent).to.equal(0);
  });
});
