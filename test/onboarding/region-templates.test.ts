import { expect } from 'chai';
import { ensureRegionTemplates } from '../../server/features/onboarding/service.js';
import { login, pageText, submitForm } from '../helpers/agent.js';
import { createTestContext, type TestContext } from '../helpers/app.js';
import { createWorld } from '../helpers/factories.js';

describe('onboarding: the chargée’s region templates (from scratch, ordered within a phase, copied)', () => {
  let ctx: TestContext;
  let world: Awaited<ReturnType<typeof createWorld>>;
  const count = () => (ctx.db.prepare('SELECT COUNT(*) AS n FROM onboarding_templates').get() as { n: number }).n;
  const stepsOf = (templateId: number) =>
    ctx.db.prepare('SELECT id, title, phase FROM onboarding_template_steps WHERE template_id = ? ORDER BY position').all(templateId) as { id: number; title: string; phase: string }[];

  beforeEach(async () => {
    ctx = createTestContext();
    world = await createWorld(ctx.db);
    ensureRegionTemplates(ctx.db, world.regionA.id);
  });
  afterEach(() => ctx.close());

  it('when the chargée creates a template from scratch then it has the usual phases and no step, and she adds steps to it', async () => {
    const charge = await login(ctx.app, world.chargeA.email, world.chargeA.password);
    const list = `/regions/${world.regionA.id}/modeles-integration`;
    const bad = await submitForm(charge, list, { name: '', kind: 'gardener' }, list);
    expect(bad.status).to.equal(422);
    expect(pageText(bad.text)).to.contain('Ce champ est obligatoire.');
    const before = count();
    const res = await submitForm(charge, list, { name: 'Chargé·e de communication', kind: 'case_manager' }, list);
    expect(res.status).to.equal(302);
    expect(count()).to.equal(before + 1);
    const id = Number(/(\d+)$/.exec(res.headers.location)![1]);
    const page = pageText((await charge.get(`/modeles-integration/${id}`)).text);
    expect(page).to.contain('Chargé·e de communication');
    expect(page).to.contain('Aucune étape dans cette phase.');
    const add = await submitForm(charge, `/modeles-integration/${id}/etapes`, { phase: 'week1', title: 'Rencontrer le bureau', owner_role: 'bureau', due_offset_days: '2' }, `/modeles-integration/${id}`);
    expect(add.status).to.equal(302);
    expect(stepsOf(id).map((s) => s.title)).to.deep.equal(['Rencontrer le bureau']);
  });

  it('when the chargée moves a step up then it passes the previous step of its own phase, never into another phase', async () => {
    const charge = await login(ctx.app, world.chargeA.email, world.chargeA.password);
    const templateId = (ctx.db.prepare("SELECT id FROM onboarding_templates WHERE kind = 'coordinator' AND region_id = ?").get(world.regionA.id) as { id: number }).id;
    const steps = stepsOf(templateId);
    const firstOfPhase = steps.findIndex((s, i) => i > 0 && s.phase !== steps[i - 1].phase);
    const moved = steps[firstOfPhase];
    const page = `/modeles-integration/${templateId}`;
    await submitForm(charge, `${page}/etapes/${moved.id}/deplacer`, { direction: 'up' }, page);
    expect(stepsOf(templateId).map((s) => s.id)).to.deep.equal(steps.map((s) => s.id)); // already first of its phase: unchanged
    const second = steps[firstOfPhase + 1];
    expect(second.phase).to.equal(moved.phase);
    await submitForm(charge, `${page}/etapes/${second.id}/deplacer`, { direction: 'up' }, page);
    const after = stepsOf(templateId);
    expect(after[firstOfPhase].id).to.equal(second.id);
    expect(after[firstOfPhase + 1].id).to.equal(moved.id);
  });

  it('when the chargée copies a region template then the copy has the same steps; a bureau or another region may not', async () => {
    const templateId = (ctx.db.prepare("SELECT id FROM onboarding_templates WHERE kind = 'coordinator' AND region_id = ?").get(world.regionA.id) as { id: number }).id;
    for (const u of [world.bureauA, world.chargeB, world.coordinatorA]) {
      const agent = await login(ctx.app, u.email, u.password);
      expect((await submitForm(agent, `/modeles-integration/${templateId}/copier`, {}, '/compte')).status, u.name).to.equal(404);
      expect((await submitForm(agent, `/regions/${world.regionA.id}/modeles-integration`, { name: 'X', kind: 'coordinator' }, '/compte')).status, u.name).to.equal(404);
    }
    const before = count();
    const charge = await login(ctx.app, world.chargeA.email, world.chargeA.password);
    const res = await submitForm(charge, `/modeles-integration/${templateId}/copier`, {}, `/regions/${world.regionA.id}/modeles-integration`);
    expect(res.status).to.equal(302);
    expect(count()).to.equal(before + 1);
    const copyId = Number(/(\d+)$/.exec(res.headers.location)![1]);
    expect(stepsOf(copyId).map((s) => s.title)).to.deep.equal(stepsOf(templateId).map((s) => s.title));
    expect(pageText((await charge.get(`/modeles-integration/${copyId}`)).text)).to.contain('(copie)');
  });
});
