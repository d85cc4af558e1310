import { expect } from 'chai';
import { loadActor } from '../../server/core/auth.js';
import { createPlanForHire, ensureRegionTemplates } from '../../server/features/onboarding/service.js';
import { referenceTemplates } from '../../server/features/onboarding/reference.js';
import { login, pageText, submitForm } from '../helpers/agent.js';
import { createTestContext, type TestContext } from '../helpers/app.js';
import { createWorld } from '../helpers/factories.js';

type StepRow = { id: number; title: string; position: number; due_offset_days: number; phase: string };

describe('onboarding: templates and the template editor', () => {
  let ctx: TestContext;
  let world: Awaited<ReturnType<typeof createWorld>>;
  let templateId: number;
  const steps = () => ctx.db.prepare('SELECT id, title, position, due_offset_days, phase FROM onboarding_template_steps WHERE template_id = ? ORDER BY position').all(templateId) as StepRow[];
  const validStep = { phase: 'month1', title: 'Visiter l’hôpital local', description: 'Avec la direction.', owner_role: 'coordinator', due_offset_days: '20', resources: 'GHT | https://ght.example.test', recurring_every_days: '', recurring_label: '', tag: '' };

  beforeEach(async () => {
    ctx = createTestContext();
    world = await createWorld(ctx.db);
    ensureRegionTemplates(ctx.db, world.regionA.id);
    templateId = (ctx.db.prepare("SELECT id FROM onboarding_templates WHERE region_id = ? AND kind = 'coordinator'").get(world.regionA.id) as { id: number }).id;
  });
  afterEach(() => ctx.close());

  it('when a region is seeded then it holds both shipped templates with all their steps, once', () => {
    ensureRegionTemplates(ctx.db, world.regionA.id);
    const rows = ctx.db.prepare('SELECT kind, (SELECT COUNT(*) FROM onboarding_template_steps s WHERE s.template_id = t.id) AS n FROM onboarding_templates t WHERE region_id = ? ORDER BY kind').all(world.regionA.id) as { kind: string; n: number }[];
    const ref = referenceTemplates();
    expect(rows).to.deep.equal([
      { kind: 'case_manager', n: ref.find((t) => t.key === 'case_manager')!.steps.length },
      { kind: 'coordinator', n: ref.find((t) => t.key === 'coordinator')!.steps.length },
    ]);
  });

  it('when the chargée opens the region templates and the editor then she sees them; a bureau or another region gets 404', async () => {
    const charge = await login(ctx.app, world.chargeA.email, world.chargeA.password);
    expect(pageText((await charge.get(`/regions/${world.regionA.id}/modeles-integration`)).text)).to.contain('Intégration – Coordinateur ou coordinatrice de CPTS');
    expect((await charge.get(`/modeles-integration/${templateId}`)).status).to.equal(200);
    for (const u of [world.bureauA, world.coordinatorA, world.chargeB]) {
      const agent = await login(ctx.app, u.email, u.password);
      expect((await agent.get(`/regions/${world.regionA.id}/modeles-integration`)).status, u.name).to.equal(404);
      expect((await agent.get(`/modeles-integration/${templateId}`)).status, u.name).to.equal(404);
      expect((await submitForm(agent, `/modeles-integration/${templateId}/etapes`, validStep, '/compte')).status, u.name).to.equal(404);
    }
    expect(steps().some((s) => s.title === validStep.title)).to.equal(false);
  });

  it('when the chargée adds, edits, moves and removes a step then the template changes accordingly', async () => {
    const charge = await login(ctx.app, world.chargeA.email, world.chargeA.password);
    const page = `/modeles-integration/${templateId}`;
    const added = await submitForm(charge, `${page}/etapes`, validStep, page);
    expect(added.status).to.equal(302);
    const step = steps().find((s) => s.title === validStep.title)!;
    expect(step.position).to.equal(steps().length);
    const edit = await submitForm(charge, `${page}/etapes/${step.id}`, { ...validStep, title: 'Visiter le centre hospitalier', due_offset_days: '25' }, `${page}/etapes/${step.id}`);
    expect(edit.status).to.equal(302);
    expect(steps().find((s) => s.id === step.id)).to.include({ title: 'Visiter le centre hospitalier', due_offset_days: 25 });
    const phaseOrder = () => steps().filter((s) => s.phase === step.phase).map((s) => s.id);
    const before = phaseOrder();
    await submitForm(charge, `${page}/etapes/${step.id}/deplacer`, { direction: 'up' }, page);
    const after = steps();
    // Moving up passes the previous step of the same phase (the order the plan shows).
    expect(phaseOrder().indexOf(step.id)).to.equal(before.indexOf(step.id) - 1);
    expect(after.map((s) => s.position)).to.deep.equal(after.map((_, i) => i + 1));
    expect((await submitForm(charge, `${page}/etapes/${step.id}/deplacer`, { direction: 'sideways' }, page)).status).to.equal(422);
    await submitForm(charge, `${page}/etapes/${step.id}/supprimer`, {}, page);
    expect(steps().some((s) => s.id === step.id)).to.equal(false);
    expect((await submitForm(charge, `${page}/etapes/${step.id}/supprimer`, {}, page)).status).to.equal(404);
  });

  it('when a step has a negative offset outside "before", an empty title, a bad resource or an unknown phase then it is refused with messages and nothing is written', async () => {
    const charge = await login(ctx.app, world.chargeA.email, world.chargeA.password);
    const page = `/modeles-integration/${templateId}`;
    const before = steps().length;
    const negative = await submitForm(charge, `${page}/etapes`, { ...validStep, due_offset_days: '-3' }, page);
    expect(negative.status).to.equal(422);
    expect(pageText(negative.text)).to.contain('Un délai négatif (avant l’arrivée) n’est possible que dans la phase « Avant l’arrivée ».');
    expect(negative.text).to.contain('value="Visiter l’hôpital local"');
    const empty = await submitForm(charge, `${page}/etapes`, { ...validStep, title: '   ' }, page);
    expect(empty.status).to.equal(422);
    expect(pageText(empty.text)).to.contain('Ce champ est obligatoire.');
    const resource = await submitForm(charge, `${page}/etapes`, { ...validStep, resources: 'javascript:alert(1)' }, page);
    expect(resource.status).to.equal(422);
    const phase = await submitForm(charge, `${page}/etapes`, { ...validStep, phase: 'year9' }, page);
    expect(phase.status).to.equal(422);
    const recurring = await submitForm(charge, `${page}/etapes`, { ...validStep, recurring_every_days: '0' }, page);
    expect(recurring.status).to.equal(422);
    const noLabel = await submitForm(charge, `${page}/etapes`, { ...validStep, recurring_every_days: '14' }, page);
    expect(noLabel.status).to.equal(422);
    expect(pageText(noLabel.text)).to.contain('Donnez un nom au rendez-vous récurrent.');
    const ok = await submitForm(charge, `${page}/etapes`, { ...validStep, phase: 'before', due_offset_days: '-3' }, page);
    expect(ok.status).to.equal(302);
    expect(steps().length).to.equal(before + 1);
  });

  it('when the bureau copies a regional template for its CPTS then it may edit its copy but not the regional one; another CPTS may not see it', async () => {
    const bureau = await login(ctx.app, world.bureauA.email, world.bureauA.password);
    const res = await submitForm(bureau, `/organisations/${world.orgA.id}/modeles-integration`, { template_id: templateId }, `/organisations/${world.orgA.id}/integration`);
    expect(res.status).to.equal(302);
    const copyId = Number(/(\d+)$/.exec(res.headers.location)![1]);
    const copyPage = await bureau.get(`/modeles-integration/${copyId}`);
    expect(copyPage.status).to.equal(200);
    expect(pageText(copyPage.text)).to.contain('Modèle propre à CPTS Alpha');
    expect((await submitForm(bureau, `/modeles-integration/${copyId}/etapes`, validStep, `/modeles-integration/${copyId}`)).status).to.equal(302);
    expect((await bureau.get(`/modeles-integration/${templateId}`)).status).to.equal(404);
    const bravo = await login(ctx.app, world.bureauB.email, world.bureauB.password);
    expect((await bravo.get(`/modeles-integration/${copyId}`)).status).to.equal(404);
    expect((await submitForm(bravo, `/organisations/${world.orgB.id}/modeles-integration`, { template_id: templateId }, '/compte')).status).to.equal(404);
    expect((await submitForm(bravo, `/organisations/${world.orgA.id}/modeles-integration`, { template_id: templateId }, '/compte')).status).to.equal(404);
    expect((await submitForm(bureau, `/organisations/${world.orgA.id}/modeles-integration`, { template_id: 'x' }, '/compte')).status).to.equal(422);
  });

  it('when a template is edited after a plan started then the running plan keeps its steps', async () => {
    const bureau = loadActor(ctx.db, world.bureauA.id)!;
    const { planId } = createPlanForHire(ctx.db, bureau, { organisationId: world.orgA.id, userId: world.coordinatorA.id, kind: 'coordinator', startDate: '2026-03-02', templateId });
    const planSteps = () => ctx.db.prepare('SELECT title, due_date FROM onboarding_plan_steps WHERE plan_id = ? ORDER BY position').all(planId);
    const snapshot = planSteps();
    const charge = await login(ctx.app, world.chargeA.email, world.chargeA.password);
    const first = steps()[0];
    await submitForm(charge, `/modeles-integration/${templateId}/etapes/${first.id}`, { ...validStep, phase: 'before', title: 'Titre changé', due_offset_days: '-30' }, `/modeles-integration/${templateId}`);
    await submitForm(charge, `/modeles-integration/${templateId}/etapes/${steps()[1].id}/supprimer`, {}, `/modeles-integration/${templateId}`);
    expect(steps()[0].title).to.equal('Titre changé');
    expect(planSteps()).to.deep.equal(snapshot);
  });
});
