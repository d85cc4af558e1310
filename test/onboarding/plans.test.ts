import { expect } from 'chai';
import { loadActor } from '../../server/core/auth.js';
import { addDays, nextOccurrence, todayInParis } from '../../server/features/onboarding/dates.js';
import { nextWorkingDay } from '../../server/features/onboarding/holidays.js';
import { createPlanForHire, ensureRegionTemplates, openCaseManagerPosting } from '../../server/features/onboarding/service.js';
import { anonymous, login, pageText, submitForm } from '../helpers/agent.js';
import { createTestContext, type TestContext } from '../helpers/app.js';
import { createUser, createWorld } from '../helpers/factories.js';

type Row = Record<string, unknown>;

describe('onboarding: plans, steps and "Mes étapes"', () => {
  let ctx: TestContext;
  let world: Awaited<ReturnType<typeof createWorld>>;
  const today = todayInParis();

  const planCount = () => (ctx.db.prepare('SELECT COUNT(*) AS n FROM onboarding_plans').get() as { n: number }).n;
  const templateOf = (kind: string, regionId: number) =>
    (ctx.db.prepare('SELECT id FROM onboarding_templates WHERE kind = ? AND region_id = ? AND organisation_id IS NULL').get(kind, regionId) as { id: number }).id;
  const stepOf = (planId: number, key: string) => ctx.db.prepare('SELECT * FROM onboarding_plan_steps WHERE plan_id = ? AND step_key = ?').get(planId, key) as Row & { id: number };

  function startPlan(startDate = addDays(today, -10), userId = world.coordinatorA.id, orgId = world.orgA.id): number {
    const bureau = loadActor(ctx.db, world.bureauA.id);
    if (!bureau) throw new Error('no bureau');
    const chargeA = loadActor(ctx.db, world.chargeA.id)!;
    return createPlanForHire(ctx.db, orgId === world.orgA.id ? bureau : chargeA, { organisationId: orgId, userId, kind: 'coordinator', startDate }).planId;
  }

  beforeEach(async () => {
    ctx = createTestContext();
    world = await createWorld(ctx.db);
    ensureRegionTemplates(ctx.db, world.regionA.id);
    ensureRegionTemplates(ctx.db, world.regionB.id);
  });
  afterEach(() => ctx.close());

  describe('starting a plan', () => {
    it('when the bureau starts a plan for its coordinator then the steps are copied with due dates from the start date', async () => {
      const agent = await login(ctx.app, world.bureauA.email, world.bureauA.password);
      const form = await agent.get(`/organisations/${world.orgA.id}/integration/nouveau`);
      expect(form.status).to.equal(200);
      expect(pageText(form.text)).to.contain('Coord A');
      const res = await submitForm(agent, `/organisations/${world.orgA.id}/integration`, { user_id: world.coordinatorA.id, template_id: templateOf('coordinator', world.regionA.id), start_date: '2026-03-02' }, `/organisations/${world.orgA.id}/integration/nouveau`);
      expect(res.status).to.equal(302);
      const planId = Number(/\/integration\/(\d+)$/.exec(res.headers.location)![1]);
      const contract = stepOf(planId, 'prepare_contract');
      expect(contract.due_date).to.equal('2026-02-09'); // -21 days
      expect(stepOf(planId, 'workload_review').due_date).to.equal('2026-06-01'); // +90 days is Sunday 31 May: the next working day
      const page = await agent.get(`/integration/${planId}`);
      expect(page.status).to.equal(200);
      const text = pageText(page.text);
      expect(text).to.contain('Parcours d’intégration de Coord A');
      expect(text).to.contain('Avant l\'arrivée');
      expect(text).to.contain('9 février 2026');
      expect(page.text).to.match(/<progress[^>]*max="21"/);
    });

    it('when the start date is far in the past or future then the plan is created and a warning is shown', async () => {
      const agent = await login(ctx.app, world.chargeA.email, world.chargeA.password);
      const res = await submitForm(agent, `/organisations/${world.orgA.id}/integration`, { user_id: world.coordinatorA.id, template_id: templateOf('coordinator', world.regionA.id), start_date: addDays(today, 400) }, `/organisations/${world.orgA.id}/integration/nouveau`);
      expect(res.status).to.equal(302);
      const text = pageText((await agent.get(res.headers.location)).text);
      expect(text).to.contain('la date d’arrivée est à plus de six mois');
      expect(planCount()).to.equal(1);
    });

    it('when the input is bad then the form is shown again with messages, values kept and nothing written', async () => {
      const agent = await login(ctx.app, world.bureauA.email, world.bureauA.password);
      const tokenPage = `/organisations/${world.orgA.id}/integration/nouveau`;
      const bad = await submitForm(agent, `/organisations/${world.orgA.id}/integration`, { user_id: world.coordinatorA.id, template_id: templateOf('coordinator', world.regionA.id), start_date: '2026-02-31' }, tokenPage);
      expect(bad.status).to.equal(422);
      expect(pageText(bad.text)).to.contain('Saisissez une date valide');
      expect(bad.text).to.contain('value="2026-02-31"');
      const wrongKind = await submitForm(agent, `/organisations/${world.orgA.id}/integration`, { user_id: world.coordinatorA.id, template_id: templateOf('case_manager', world.regionA.id), start_date: today }, tokenPage);
      expect(wrongKind.status).to.equal(422);
      expect(pageText(wrongKind.text)).to.contain('ne correspond pas au poste');
      const notMember = await submitForm(agent, `/organisations/${world.orgA.id}/integration`, { user_id: world.bureauB.id, template_id: templateOf('coordinator', world.regionA.id), start_date: today }, tokenPage);
      expect(notMember.status).to.equal(422);
      const otherRegionTemplate = await submitForm(agent, `/organisations/${world.orgA.id}/integration`, { user_id: world.coordinatorA.id, template_id: templateOf('coordinator', world.regionB.id), start_date: today }, tokenPage);
      expect(otherRegionTemplate.status).to.equal(422);
      const garbage = await submitForm(agent, `/organisations/${world.orgA.id}/integration`, { user_id: 'x', template_id: ['1', '2'], start_date: { a: 1 } }, tokenPage);
      expect(garbage.status).to.equal(422);
      expect(planCount()).to.equal(0);
    });

    it('when a coordinator, another CPTS’s bureau, the other region’s chargé or an anonymous visitor tries then 404 (or login) and nothing is written', async () => {
      for (const u of [world.coordinatorA, world.bureauB, world.chargeB, world.nobody]) {
        const agent = await login(ctx.app, u.email, u.password);
        expect((await agent.get(`/organisations/${world.orgA.id}/integration/nouveau`)).status, u.name).to.equal(404);
        expect((await agent.get(`/organisations/${world.orgA.id}/integration`)).status, u.name).to.equal(404);
        const res = await submitForm(agent, `/organisations/${world.orgA.id}/integration`, { user_id: world.coordinatorA.id, template_id: '1', start_date: today }, '/compte');
        expect(res.status, u.name).to.equal(404);
      }
      const anon = anonymous(ctx.app);
      expect((await anon.get(`/organisations/${world.orgA.id}/integration`)).status).to.equal(302);
      expect(planCount()).to.equal(0);
    });

    it('when createPlanForHire runs inside a larger transaction that fails then the plan is rolled back with it', () => {
      const bureau = loadActor(ctx.db, world.bureauA.id)!;
      expect(() =>
        ctx.db.transaction(() => {
          createPlanForHire(ctx.db, bureau, { organisationId: world.orgA.id, userId: world.coordinatorA.id, kind: 'coordinator', startDate: today });
          throw new Error('hire failed later');
        })(),
      ).to.throw('hire failed later');
      expect(planCount()).to.equal(0);
      const ok = ctx.db.transaction(() => createPlanForHire(ctx.db, bureau, { organisationId: world.orgA.id, userId: world.coordinatorA.id, kind: 'coordinator', startDate: today }))();
      expect(ok.planId).to.be.a('number');
      expect(ok.farStartDate).to.equal(false);
    });
  });

  describe('following a plan', () => {
    it('when the hire, the bureau and the chargée open the plan then they see it; another CPTS, another region or no role gets 404', async () => {
      const planId = startPlan();
      for (const u of [world.coordinatorA, world.bureauA, world.chargeA]) {
        const agent = await login(ctx.app, u.email, u.password);
        expect((await agent.get(`/integration/${planId}`)).status, u.name).to.equal(200);
      }
      for (const u of [world.bureauB, world.chargeB, world.nobody, world.admin]) {
        const agent = await login(ctx.app, u.email, u.password);
        expect((await agent.get(`/integration/${planId}`)).status, u.name).to.equal(404);
      }
      const agent = await login(ctx.app, world.bureauA.email, world.bureauA.password);
      expect((await agent.get('/integration/abc')).status).to.equal(404);
      expect((await agent.get('/integration/999999')).status).to.equal(404);
    });

    it('when the new coordinator ticks a step then it is done, with who and when, and the progress moves', async () => {
      const planId = startPlan();
      const step = stepOf(planId, 'read_founding_documents');
      const agent = await login(ctx.app, world.coordinatorA.email, world.coordinatorA.password);
      const res = await submitForm(agent, `/integration/${planId}/etapes/${step.id}/statut`, { status: 'done' }, `/integration/${planId}`);
      expect(res.status).to.equal(302);
      const saved = stepOf(planId, 'read_founding_documents');
      expect(saved.status).to.equal('done');
      expect(saved.status_by).to.equal(world.coordinatorA.id);
      const text = pageText((await agent.get(`/integration/${planId}`)).text);
      expect(text).to.contain('Coord A, le');
      expect(text).to.contain('1 étape sur 21');
      expect(text).to.contain('Coord A : Fait, le');
      // and back to "à faire"
      await submitForm(agent, `/integration/${planId}/etapes/${step.id}/statut`, { status: 'todo' }, `/integration/${planId}`);
      expect(stepOf(planId, 'read_founding_documents').status).to.equal('todo');
      expect((ctx.db.prepare('SELECT COUNT(*) AS n FROM onboarding_step_history WHERE step_id = ?').get(step.id) as { n: number }).n).to.equal(2);
    });

    it('when a step is marked not applicable without a reason then it is refused with a message and unchanged; with a reason it is saved', async () => {
      const planId = startPlan();
      const step = stepOf(planId, 'pacte_training');
      const agent = await login(ctx.app, world.bureauA.email, world.bureauA.password);
      const bad = await submitForm(agent, `/integration/${planId}/etapes/${step.id}/statut`, { status: 'not_applicable', reason: '  ' }, `/integration/${planId}`);
      expect(bad.status).to.equal(422);
      expect(pageText(bad.text)).to.contain('Indiquez pourquoi cette étape ne s’applique pas.');
      expect(stepOf(planId, 'pacte_training').status).to.equal('todo');
      const badStatus = await submitForm(agent, `/integration/${planId}/etapes/${step.id}/statut`, { status: 'finished' }, `/integration/${planId}`);
      expect(badStatus.status).to.equal(422);
      const ok = await submitForm(agent, `/integration/${planId}/etapes/${step.id}/statut`, { status: 'not_applicable', reason: 'Déjà formée au PACTE <b>en 2024</b>' }, `/integration/${planId}`);
      expect(ok.status).to.equal(302);
      const saved = stepOf(planId, 'pacte_training');
      expect(saved.status).to.equal('not_applicable');
      expect(saved.status_reason).to.equal('Déjà formée au PACTE <b>en 2024</b>');
      const page = await agent.get(`/integration/${planId}`);
      expect(page.text).to.contain('Déjà formée au PACTE &lt;b&gt;en 2024&lt;/b&gt;');
    });

    it('when someone ticks or comments a step of another CPTS’s plan, or a step id of another plan, then 404 and nothing changes', async () => {
      const planA = startPlan();
      const coordA2 = await createUser(ctx.db, { name: 'Coord A2', memberships: [{ organisationId: world.orgA2.id, role: 'coordinator' }] });
      const planA2 = startPlan(today, coordA2.id, world.orgA2.id);
      const stepA2 = stepOf(planA2, 'read_founding_documents');
      const agent = await login(ctx.app, world.bureauA.email, world.bureauA.password);
      expect((await submitForm(agent, `/integration/${planA2}/etapes/${stepA2.id}/statut`, { status: 'done' }, `/integration/${planA}`)).status).to.equal(404);
      expect((await submitForm(agent, `/integration/${planA}/etapes/${stepA2.id}/statut`, { status: 'done' }, `/integration/${planA}`)).status).to.equal(404);
      expect((await submitForm(agent, `/integration/${planA2}/etapes/${stepA2.id}/commentaires`, { body: 'Coucou' }, `/integration/${planA}`)).status).to.equal(404);
      const bravo = await login(ctx.app, world.bureauB.email, world.bureauB.password);
      expect((await submitForm(bravo, `/integration/${planA}/etapes/${stepOf(planA, 'read_founding_documents').id}/statut`, { status: 'done' }, '/compte')).status).to.equal(404);
      expect(stepA2.status).to.equal('todo');
      expect(stepOf(planA2, 'read_founding_documents').status).to.equal('todo');
      expect((ctx.db.prepare('SELECT COUNT(*) AS n FROM onboarding_step_comments').get() as { n: number }).n).to.equal(0);
    });

    it('when a member comments a step then the comment shows with its author; an empty comment is refused', async () => {
      const planId = startPlan();
      const step = stepOf(planId, 'take_over_budget');
      const agent = await login(ctx.app, world.chargeA.email, world.chargeA.password);
      const empty = await submitForm(agent, `/integration/${planId}/etapes/${step.id}/commentaires`, { body: '' }, `/integration/${planId}`);
      expect(empty.status).to.equal(422);
      expect(pageText(empty.text)).to.contain('Ce champ est obligatoire.');
      const ok = await submitForm(agent, `/integration/${planId}/etapes/${step.id}/commentaires`, { body: 'Voir le trésorier jeudi <script>alert(1)</script>' }, `/integration/${planId}`);
      expect(ok.status).to.equal(302);
      const page = await agent.get(`/integration/${planId}`);
      expect(pageText(page.text)).to.contain('Voir le trésorier jeudi');
      expect(page.text).not.to.contain('<script>alert(1)</script>');
      expect(pageText(page.text)).to.contain('Chargée A, le');
    });

    it('when a recurring step is shown then its next occurrence is computed from the first due date', async () => {
      const planId = startPlan(addDays(today, -30));
      // regular_exchange_president: +7 days (moved to a working day), every 14 days from that first due date, shown on a working day
      const first = stepOf(planId, 'regular_exchange_president').due_date as string;
      const agent = await login(ctx.app, world.bureauA.email, world.bureauA.password);
      const text = pageText((await agent.get(`/integration/${planId}`)).text);
      const expected = new Intl.DateTimeFormat('fr-FR', { dateStyle: 'long', timeZone: 'Europe/Paris' }).format(new Date(`${nextWorkingDay(nextOccurrence(first, 14, today))}T12:00:00Z`));
      expect(text).to.contain(`prochaine fois le ${expected} (tous les 14 jours)`);
    });

    it('when owners open their home page then each sees their own open steps across plans ("Mes étapes")', async () => {
      const planId = startPlan(addDays(today, -3));
      const coord = pageText((await (await login(ctx.app, world.coordinatorA.email, world.coordinatorA.password)).get('/tableau-de-bord')).text);
      expect(coord).to.contain('Mes étapes d’intégration');
      expect(coord).to.contain('Lire les documents fondateurs de la CPTS');
      expect(coord).not.to.contain('Finaliser le contrat');
      expect(coord).to.contain('Mon parcours d’intégration');
      const bureau = pageText((await (await login(ctx.app, world.bureauA.email, world.bureauA.password)).get('/tableau-de-bord')).text);
      expect(bureau).to.contain('Finaliser le contrat');
      expect(bureau).to.contain('en retard');
      expect(bureau).not.to.contain('Lire les documents fondateurs');
      const charge = pageText((await (await login(ctx.app, world.chargeA.email, world.chargeA.password)).get('/tableau-de-bord')).text);
      expect(charge).to.contain('Annoncer l\'arrivée au réseau');
      const other = pageText((await (await login(ctx.app, world.bureauB.email, world.bureauB.password)).get('/tableau-de-bord')).text);
      expect(other).not.to.contain('Mes étapes d’intégration');
      expect(planId).to.be.a('number');
    });
  });

  describe('workload review', () => {
    it('when the bureau records the decision then it is saved and the step is done; the coordinator may not record it', async () => {
      const planId = startPlan();
      const step = stepOf(planId, 'workload_review');
      const coord = await login(ctx.app, world.coordinatorA.email, world.coordinatorA.password);
      expect((await submitForm(coord, `/integration/${planId}/etapes/${step.id}/bilan`, { decision: 'keep' }, `/integration/${planId}`)).status).to.equal(404);
      const bureau = await login(ctx.app, world.bureauA.email, world.bureauA.password);
      const bad = await submitForm(bureau, `/integration/${planId}/etapes/${step.id}/bilan`, { decision: 'fire' }, `/integration/${planId}`);
      expect(bad.status).to.equal(422);
      const other = stepOf(planId, 'take_over_budget');
      expect((await submitForm(bureau, `/integration/${planId}/etapes/${other.id}/bilan`, { decision: 'keep' }, `/integration/${planId}`)).status).to.equal(404);
      const ok = await submitForm(bureau, `/integration/${planId}/etapes/${step.id}/bilan`, { decision: 'open_case_manager', notes: 'Parcours complexes en hausse.' }, `/integration/${planId}`);
      expect(ok.status).to.equal(302);
      const review = ctx.db.prepare('SELECT * FROM onboarding_workload_reviews WHERE step_id = ?').get(step.id) as Row;
      expect(review.decision).to.equal('open_case_manager');
      expect(stepOf(planId, 'workload_review').status).to.equal('done');
      const text = pageText((await bureau.get(`/integration/${planId}`)).text);
      expect(text).to.contain('Ouvrir un poste de coordinateur·rice de parcours');
      expect(text).to.contain('Créer le brouillon d’offre');
    });

    it('when the decision is to open a case-manager post then one call creates the draft posting once; a coordinator or another CPTS may not', async () => {
      const planId = startPlan();
      const step = stepOf(planId, 'workload_review');
      const bureau = loadActor(ctx.db, world.bureauA.id)!;
      const calls: unknown[][] = [];
      const factory = (...args: unknown[]) => {
        calls.push(args.slice(1));
        return 4242;
      };
      expect(() => openCaseManagerPosting(ctx.db, bureau, planId, step.id, factory)).to.throw(); // no decision yet
      const agent = await login(ctx.app, world.bureauA.email, world.bureauA.password);
      await submitForm(agent, `/integration/${planId}/etapes/${step.id}/bilan`, { decision: 'open_case_manager' }, `/integration/${planId}`);
      expect(openCaseManagerPosting(ctx.db, bureau, planId, step.id, factory)).to.equal(4242);
      expect(openCaseManagerPosting(ctx.db, bureau, planId, step.id, factory)).to.equal(4242);
      expect(calls).to.deep.equal([[bureau, world.orgA.id, 'case_manager']]);
      expect(pageText((await agent.get(`/integration/${planId}`)).text)).to.contain('Un brouillon d’offre de coordinateur·rice de parcours a été créé.');
      const coord = await login(ctx.app, world.coordinatorA.email, world.coordinatorA.password);
      expect((await submitForm(coord, `/integration/${planId}/etapes/${step.id}/offre`, {}, `/integration/${planId}`)).status).to.equal(404);
      const bravo = await login(ctx.app, world.bureauB.email, world.bureauB.password);
      expect((await submitForm(bravo, `/integration/${planId}/etapes/${step.id}/offre`, {}, '/compte')).status).to.equal(404);
    });

    it('when the bureau clicks "create the draft posting" then the jobs feature drafts a case-manager posting, once', async function () {
      // The postings table comes with the jobs feature's migration; without it there is nothing to draft into.
      if (!ctx.db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'postings'").get()) this.skip();
      const planId = startPlan();
      const step = stepOf(planId, 'workload_review');
      const agent = await login(ctx.app, world.bureauA.email, world.bureauA.password);
      await submitForm(agent, `/integration/${planId}/etapes/${step.id}/bilan`, { decision: 'open_case_manager' }, `/integration/${planId}`);
      const res = await submitForm(agent, `/integration/${planId}/etapes/${step.id}/offre`, {}, `/integration/${planId}`);
      expect(res.status).to.equal(302);
      const postingId = Number(/\/gestion\/offres\/(\d+)$/.exec(res.headers.location)![1]);
      expect(ctx.db.prepare('SELECT organisation_id FROM postings WHERE id = ?').get(postingId)).to.deep.equal({ organisation_id: world.orgA.id });
      await submitForm(agent, `/integration/${planId}/etapes/${step.id}/offre`, {}, `/integration/${planId}`);
      expect((ctx.db.prepare('SELECT COUNT(*) AS n FROM postings').get() as { n: number }).n).to.equal(1);
    });
  });
});
