import { expect } from 'chai';
import { loadActor } from '../../server/core/auth.js';
import { createI18n } from '../../server/core/i18n.js';
import { commonMessages } from '../../server/core/messages.js';
import { addDays, todayInParis } from '../../server/features/onboarding/dates.js';
import { escalateOverdueSteps, sendOnboardingDigests } from '../../server/features/onboarding/digest.js';
import { messages } from '../../server/features/onboarding/messages.js';
import { createPlanForHire } from '../../server/features/onboarding/service.js';
import { login, pageText, submitForm } from '../helpers/agent.js';
import { createTestContext, type TestContext } from '../helpers/app.js';
import { createUser, createWorld, type UserFixture } from '../helpers/factories.js';
import { mailsTo } from '../helpers/mail.js';

describe('onboarding: the compact checklist, named owners, reminders and escalation', () => {
  let ctx: TestContext;
  let world: Awaited<ReturnType<typeof createWorld>>;
  let treasurer: UserFixture;
  const today = todayInParis();
  const stepOf = (planId: number, key: string) =>
    ctx.db.prepare('SELECT id, status, owner_user_id, due_date FROM onboarding_plan_steps WHERE plan_id = ? AND step_key = ?').get(planId, key) as { id: number; status: string; owner_user_id: number | null; due_date: string };
  const mailCtx = () => ({ baseUrl: 'http://coordo.test', translator: createI18n([commonMessages, messages]).translator });
  const startPlan = (startDate = addDays(today, -30)) =>
    createPlanForHire(ctx.db, loadActor(ctx.db, world.bureauA.id)!, { organisationId: world.orgA.id, userId: world.coordinatorA.id, kind: 'coordinator', startDate }).planId;
  const rowOf = (html: string, stepId: number) => {
    const from = html.indexOf(`<li id="etape-${stepId}"`);
    return html.slice(from, html.indexOf('<li id="etape-', from + 10) === -1 ? undefined : html.indexOf('<li id="etape-', from + 10));
  };

  beforeEach(async () => {
    ctx = createTestContext();
    world = await createWorld(ctx.db);
    treasurer = await createUser(ctx.db, { name: 'Trésorier A', memberships: [{ organisationId: world.orgA.id, role: 'bureau' }] });
  });
  afterEach(() => ctx.close());

  it('when the plan is opened then each step is one line with status, named owner and a relative due date, details folded', async () => {
    const planId = startPlan();
    const agent = await login(ctx.app, world.coordinatorA.email, world.coordinatorA.password);
    const html = (await agent.get(`/integration/${planId}`)).text;
    const contract = stepOf(planId, 'prepare_contract');
    expect(contract.owner_user_id).to.equal(world.bureauA.id); // a bureau step goes to the first bureau member
    const row = rowOf(html, contract.id);
    expect(pageText(row)).to.contain('Bureau A');
    expect(pageText(row)).to.match(/en retard de \d+ jours/);
    expect(row).to.match(/<details class="check-details">/); // closed: details and comments on demand
    expect((html.match(/<li id="etape-/g) ?? []).length).to.equal(21);
    expect((html.match(/<textarea/g) ?? []).length).to.be.greaterThan(0);
    expect(html).not.to.match(/<details class="check-details" open/);
  });

  it('when a filter is chosen without JavaScript then the server shows only the matching steps and folds the done ones away', async () => {
    const planId = startPlan();
    const bureau = await login(ctx.app, world.bureauA.email, world.bureauA.password);
    const done = stepOf(planId, 'prepare_contract');
    await submitForm(bureau, `/integration/${planId}/etapes/${done.id}/statut`, { status: 'done' }, `/integration/${planId}`);
    const coord = await login(ctx.app, world.coordinatorA.email, world.coordinatorA.password);
    const all = (await coord.get(`/integration/${planId}`)).text;
    expect(pageText(all)).to.contain('1 étape terminée');
    const mine = (await coord.get(`/integration/${planId}?filtre=mine`)).text;
    const read = stepOf(planId, 'read_founding_documents');
    expect(rowOf(mine, read.id)).not.to.match(/^<li[^>]*hidden/);
    expect(rowOf(mine, stepOf(planId, 'prepare_equipment_access').id)).to.match(/^<li[^>]*hidden/);
    expect(mine).to.match(/<details class="done-fold" data-done-fold hidden>/);
    expect(mine).to.match(/data-filter="mine" aria-current="true"/);
    const overdue = (await coord.get(`/integration/${planId}?filtre=overdue`)).text;
    const future = stepOf(planId, 'workload_review');
    expect(rowOf(overdue, future.id)).to.match(/^<li[^>]*hidden/);
    expect(rowOf(overdue, read.id)).not.to.match(/^<li[^>]*hidden/);
    // An unknown filter is "all", not an error.
    expect((await coord.get(`/integration/${planId}?filtre=%3Cx%3E`)).status).to.equal(200);
  });

  it('when someone who does not own a step tries to complete it then 404, but they may comment it; the bureau completes any step', async () => {
    const planId = startPlan();
    const contract = stepOf(planId, 'prepare_contract');
    const read = stepOf(planId, 'read_founding_documents');
    const coord = await login(ctx.app, world.coordinatorA.email, world.coordinatorA.password);
    expect((await submitForm(coord, `/integration/${planId}/etapes/${contract.id}/statut`, { status: 'done' }, `/integration/${planId}`)).status).to.equal(404);
    expect((await submitForm(coord, `/integration/${planId}/etapes/${contract.id}/commentaires`, { body: 'Contrat reçu, je le signe lundi.' }, `/integration/${planId}`)).status).to.equal(302);
    expect(rowOf((await coord.get(`/integration/${planId}`)).text, contract.id)).not.to.contain('Marquer comme fait');
    const charge = await login(ctx.app, world.chargeA.email, world.chargeA.password);
    expect((await submitForm(charge, `/integration/${planId}/etapes/${read.id}/statut`, { status: 'done' }, `/integration/${planId}`)).status).to.equal(404);
    expect(stepOf(planId, 'prepare_contract').status).to.equal('todo');
    const bureau = await login(ctx.app, treasurer.email, treasurer.password);
    expect((await submitForm(bureau, `/integration/${planId}/etapes/${read.id}/statut`, { status: 'done' }, `/integration/${planId}`)).status).to.equal(302);
    expect(stepOf(planId, 'read_founding_documents').status).to.equal('done');
  });

  it('when the bureau assigns a step to a named person then that person is told by mail and may complete it; others may not assign', async () => {
    const planId = startPlan();
    const budget = stepOf(planId, 'take_over_budget');
    const bureau = await login(ctx.app, world.bureauA.email, world.bureauA.password);
    const res = await submitForm(bureau, `/integration/${planId}/etapes/${budget.id}/responsable`, { owner_user_id: String(treasurer.id) }, `/integration/${planId}`);
    expect(res.status).to.equal(302);
    expect(stepOf(planId, 'take_over_budget').owner_user_id).to.equal(treasurer.id);
    const [mail] = mailsTo(ctx.db, treasurer.email).filter((m) => m.template === 'onboarding.assigned');
    expect(mail.subject).to.equal('Intégration de Coord A\u00a0: 1 étape vous est confiée');
    expect(mail.text_body).to.contain('Passation budgétaire');
    const stranger = await submitForm(bureau, `/integration/${planId}/etapes/${budget.id}/responsable`, { owner_user_id: String(world.bureauB.id) }, `/integration/${planId}`);
    expect(stranger.status).to.equal(422);
    const coord = await login(ctx.app, world.coordinatorA.email, world.coordinatorA.password);
    expect((await submitForm(coord, `/integration/${planId}/etapes/${budget.id}/responsable`, { owner_user_id: String(world.coordinatorA.id) }, `/integration/${planId}`)).status).to.equal(404);
    expect((await submitForm(coord, `/integration/${planId}/etapes/${budget.id}/statut`, { status: 'done' }, `/integration/${planId}`)).status).to.equal(404);
    const t = await login(ctx.app, treasurer.email, treasurer.password);
    expect((await submitForm(t, `/integration/${planId}/etapes/${budget.id}/statut`, { status: 'done' }, `/integration/${planId}`)).status).to.equal(302);
    expect(stepOf(planId, 'take_over_budget').owner_user_id).to.equal(treasurer.id);
  });

  it('when the bureau starts a plan from the form then the template of the post is preselected and the named owners are mailed their steps', async () => {
    const bureau = await login(ctx.app, world.bureauA.email, world.bureauA.password);
    const form = (await bureau.get(`/organisations/${world.orgA.id}/integration/nouveau?personne=${world.coordinatorA.id}`)).text;
    const coordinatorTemplate = (ctx.db.prepare("SELECT id FROM onboarding_templates WHERE region_id = ? AND kind = 'coordinator' AND organisation_id IS NULL").get(world.regionA.id) as { id: number }).id;
    expect(form).to.contain(`<option value="${coordinatorTemplate}" data-kind="coordinator" selected>`);
    const res = await submitForm(bureau, `/organisations/${world.orgA.id}/integration`, { user_id: String(world.coordinatorA.id), template_id: String(coordinatorTemplate), start_date: today }, `/organisations/${world.orgA.id}/integration/nouveau`);
    expect(res.status).to.equal(302);
    const [mail] = mailsTo(ctx.db, world.coordinatorA.email).filter((m) => m.template === 'onboarding.assigned');
    expect(mail.text_body).to.contain('Lire les documents fondateurs');
    expect(mailsTo(ctx.db, world.chargeA.email).filter((m) => m.template === 'onboarding.assigned')).to.have.length(1);
    expect(mailsTo(ctx.db, world.bureauA.email).filter((m) => m.template === 'onboarding.assigned')).to.have.length(0); // the one who started it
  });

  it('when a person chooses weekly or no reminders then the digest follows their choice', async () => {
    startPlan(addDays(today, 2));
    const coord = await login(ctx.app, world.coordinatorA.email, world.coordinatorA.password);
    expect((await submitForm(coord, '/integration/rappels', { digest: 'sometimes' }, '/tableau-de-bord')).status).to.equal(422);
    expect((await submitForm(coord, '/integration/rappels', { digest: 'off' }, '/tableau-de-bord')).status).to.equal(302);
    const bureau = await login(ctx.app, world.bureauA.email, world.bureauA.password);
    expect((await submitForm(bureau, '/integration/rappels', { digest: 'weekly' }, '/tableau-de-bord')).status).to.equal(302);
    const monday = new Date('2030-01-07T08:00:00Z');
    const tuesday = new Date('2030-01-08T08:00:00Z');
    ctx.db.prepare('UPDATE onboarding_plan_steps SET due_date = ?').run('2030-01-06');
    sendOnboardingDigests(ctx.db, mailCtx(), tuesday);
    const digests = (to: string) => mailsTo(ctx.db, to).filter((m) => m.template === 'onboarding.digest');
    expect(digests(world.coordinatorA.email)).to.have.length(0);
    expect(digests(world.bureauA.email)).to.have.length(0);
    expect(digests(world.chargeA.email)).to.have.length(1); // daily by default
    sendOnboardingDigests(ctx.db, mailCtx(), monday);
    expect(digests(world.bureauA.email)).to.have.length(1);
    expect(digests(world.coordinatorA.email)).to.have.length(0);
  });

  it('when steps are overdue by more than seven days then the bureau is told once', () => {
    const planId = startPlan(addDays(today, -30));
    const now = new Date();
    const first = escalateOverdueSteps(ctx.db, mailCtx(), now);
    expect(first.sent).to.equal(2); // both bureau members
    const [mail] = mailsTo(ctx.db, treasurer.email).filter((m) => m.template === 'onboarding.escalation');
    expect(mail.subject).to.match(/en retard de plus de 7 jours \(CPTS Alpha\)/);
    expect(mail.text_body).to.contain('Finaliser le contrat');
    expect(mail.text_body).not.to.contain('Faire le bilan de la charge');
    expect(escalateOverdueSteps(ctx.db, mailCtx(), now).sent).to.equal(0);
    expect(mailsTo(ctx.db, world.coordinatorA.email).filter((m) => m.template === 'onboarding.escalation')).to.have.length(0);
    expect(ctx.db.prepare('SELECT escalated_at FROM onboarding_plan_steps WHERE id = ?').get(stepOf(planId, 'prepare_contract').id)).to.deep.equal({ escalated_at: now.toISOString() });
  });
});
