import { expect } from 'chai';
import { loadActor } from '../../server/core/auth.js';
import { createPostingFromTemplate } from '../../server/features/jobs/service.js';
import { anonymous, csrfOf, login, pageText, submitForm, type Agent } from '../helpers/agent.js';
import { createTestContext, type TestContext } from '../helpers/app.js';
import { createWorld } from '../helpers/factories.js';
import { inDays } from '../fixtures/postings.js';

type Row = Record<string, unknown>;

describe('jobs: postings from templates, editing, lifecycle and history (bureau side)', () => {
  let ctx: TestContext;
  let world: Awaited<ReturnType<typeof createWorld>>;
  beforeEach(async () => {
    ctx = createTestContext();
    world = await createWorld(ctx.db);
  });
  afterEach(() => ctx.close());

  const posting = (id: number) => ctx.db.prepare('SELECT * FROM postings WHERE id = ?').get(id) as Row;
  const count = (sql: string, ...args: unknown[]) => (ctx.db.prepare(sql).get(...args) as { n: number }).n;

  async function createFromTemplate(agent: Agent, orgId: number, template = 'coordinator') {
    const res = await submitForm(agent, `/organisations/${orgId}/offres`, { template }, `/organisations/${orgId}/offres/nouvelle`);
    expect(res.status, res.text).to.equal(302);
    const id = Number(/\/gestion\/offres\/(\d+)\/modifier/.exec(res.headers.location)?.[1]);
    return id;
  }

  function editFields(overrides: Record<string, string> = {}) {
    return {
      kind: 'coordinator',
      title: 'Coordinateur ou coordinatrice de CPTS (H/F)',
      location: 'Le Mans (72)',
      contract_type: 'CDI',
      contract_duration_months: '',
      contract_details: '',
      working_time_unit: 'fte',
      working_time_value: '80',
      salary_min: '33 000',
      salary_max: '40000',
      start_date: inDays(60),
      deadline: inDays(30),
      summary: 'Résumé.',
      description_md: '## Missions\n\n- Gestion de projet',
      contact_name: 'Bureau A',
      contact_email: 'bureau@alpha.test',
      ...overrides,
    };
  }

  it('when a bureau member creates a coordinator posting from the template then a draft is pre-filled with the CPTS and history starts', async () => {
    const agent = await login(ctx.app, world.bureauA.email, world.bureauA.password);
    const id = await createFromTemplate(agent, world.orgA.id);
    const p = posting(id);
    expect(p).to.include({ status: 'draft', kind: 'coordinator', template_key: 'coordinator', organisation_id: world.orgA.id, contract_type: 'CDI' });
    expect(p.slug).to.equal(`coordinateur-cpts-alpha-${new Date().getUTCFullYear()}`);
    expect(p.description_md).to.contain('CPTS Alpha');
    // Only the conditions placeholder is kept: the list is written from the fields when shown.
    expect(String(p.description_md).replace('{{conditions}}', '')).not.to.contain('{{');
    expect(p.description_md).to.contain('Le Mans et alentours');
    const history = ctx.db.prepare('SELECT action, user_id FROM posting_history WHERE posting_id = ?').all(id) as Row[];
    expect(history).to.deep.equal([{ action: 'created', user_id: world.bureauA.id }]);
    const edit = await agent.get(`/gestion/offres/${id}/modifier`);
    expect(edit.status).to.equal(200);
    expect(pageText(edit.text)).to.contain('Modifier l’offre');
    // The same template twice: a second, unique slug.
    const id2 = await createFromTemplate(agent, world.orgA.id);
    expect(posting(id2).slug).to.equal(`coordinateur-cpts-alpha-${new Date().getUTCFullYear()}-2`);
  });

  it('when another feature calls createPostingFromTemplate then it gets { id, slug } and the same policy applies', async () => {
    const bureau = loadActor(ctx.db, world.bureauA.id)!;
    const created = createPostingFromTemplate(ctx.db, bureau, world.orgA.id, 'case_manager');
    expect(created.slug).to.match(/^gestionnaire-de-cas-cpts-alpha-\d{4}$/);
    expect(posting(created.id)).to.include({ kind: 'case_manager', status: 'draft' });
    const charge = loadActor(ctx.db, world.chargeA.id)!;
    expect(createPostingFromTemplate(ctx.db, charge, world.orgA2.id, 'coordinator').id).to.be.a('number');
    for (const user of [world.bureauB, world.coordinatorA, world.chargeB, world.admin]) {
      expect(() => createPostingFromTemplate(ctx.db, loadActor(ctx.db, user.id)!, world.orgA.id, 'coordinator')).to.throw();
    }
  });

  it('when the bureau edits and publishes then the changes are saved, history names each change, and the posting is public', async () => {
    const agent = await login(ctx.app, world.bureauA.email, world.bureauA.password);
    const id = await createFromTemplate(agent, world.orgA.id);
    const save = await submitForm(agent, `/gestion/offres/${id}/modifier`, editFields(), `/gestion/offres/${id}/modifier`);
    expect(save.status, save.text).to.equal(302);
    expect(posting(id)).to.include({ fte_percent: 80, salary_min: 33000, salary_max: 40000, location: 'Le Mans (72)', deadline: inDays(30) });
    const publish = await submitForm(agent, `/gestion/offres/${id}/statut`, { action: 'publish' }, `/gestion/offres/${id}`);
    expect(publish.status).to.equal(302);
    expect(posting(id).status).to.equal('published');
    expect(posting(id).published_at).to.be.a('string');
    const page = pageText((await agent.get(`/gestion/offres/${id}`)).text);
    expect(page).to.contain('Publiée');
    expect(page).to.contain('Offre modifiée');
    expect(page).to.contain('salaire minimum');
    expect(page).to.contain('Offre publiée');
    expect((await anonymous(ctx.app).get(`/offres/${posting(id).slug}`)).status).to.equal(200);
    const changes = JSON.parse((ctx.db.prepare("SELECT changes FROM posting_history WHERE posting_id = ? AND action = 'updated'").get(id) as { changes: string }).changes);
    expect(changes.salary_min).to.deep.equal([32000, 33000]);
  });

  it('when a posting lacks what a candidate needs then publishing is refused with the missing fields on the form', async () => {
    const agent = await login(ctx.app, world.bureauA.email, world.bureauA.password);
    const id = await createFromTemplate(agent, world.orgA.id);
    const res = await submitForm(agent, `/gestion/offres/${id}/statut`, { action: 'publish' }, `/gestion/offres/${id}`);
    expect(res.status).to.equal(422);
    const text = pageText(res.text);
    expect(text).to.contain('L’offre ne peut pas être publiée');
    expect(text).to.contain('Ce champ est nécessaire pour publier l’offre.');
    expect(posting(id).status).to.equal('draft');
    // A deadline in the past is refused too.
    await submitForm(agent, `/gestion/offres/${id}/modifier`, editFields({ deadline: inDays(-1) }), `/gestion/offres/${id}/modifier`);
    const again = await submitForm(agent, `/gestion/offres/${id}/statut`, { action: 'publish' }, `/gestion/offres/${id}`);
    expect(again.status).to.equal(422);
    expect(pageText(again.text)).to.contain('La date limite de candidature est déjà passée.');
  });

  it('when the lifecycle runs then published → closed → reopened → closed → filled, and impossible moves are refused', async () => {
    const agent = await login(ctx.app, world.chargeA.email, world.chargeA.password);
    const id = await createFromTemplate(agent, world.orgA.id);
    await submitForm(agent, `/gestion/offres/${id}/modifier`, editFields(), `/gestion/offres/${id}/modifier`);
    const step = async (action: string) => submitForm(agent, `/gestion/offres/${id}/statut`, { action }, `/gestion/offres/${id}`);
    await step('publish');
    await step('close');
    expect(posting(id).status).to.equal('closed');
    expect((await anonymous(ctx.app).get(`/offres/${posting(id).slug}`)).status).to.equal(410);
    await step('reopen');
    expect(posting(id).status).to.equal('published');
    await step('close');
    await step('fill');
    expect(posting(id).status).to.equal('filled');
    await step('reopen');
    expect(posting(id).status).to.equal('filled');
    const page = pageText((await agent.get(`/gestion/offres/${id}`)).text);
    expect(page).to.contain('Ce changement d’état n’est pas possible');
    const actions = (ctx.db.prepare('SELECT action FROM posting_history WHERE posting_id = ? ORDER BY id').all(id) as Row[]).map((r) => r.action);
    expect(actions).to.deep.equal(['created', 'updated', 'published', 'closed', 'reopened', 'closed', 'filled']);
    const bad = await submitForm(agent, `/gestion/offres/${id}/statut`, { action: 'delete' }, `/gestion/offres/${id}`);
    expect(bad.status).to.equal(422);
  });

  it('when a published posting is emptied then the save is refused and nothing changes', async () => {
    const agent = await login(ctx.app, world.bureauA.email, world.bureauA.password);
    const id = await createFromTemplate(agent, world.orgA.id);
    await submitForm(agent, `/gestion/offres/${id}/modifier`, editFields(), `/gestion/offres/${id}/modifier`);
    await submitForm(agent, `/gestion/offres/${id}/statut`, { action: 'publish' }, `/gestion/offres/${id}`);
    const res = await submitForm(agent, `/gestion/offres/${id}/modifier`, editFields({ description_md: '', location: 'Ailleurs' }), `/gestion/offres/${id}/modifier`);
    expect(res.status).to.equal(422);
    expect(res.text).to.contain('value="Ailleurs"');
    expect(posting(id).location).to.equal('Le Mans (72)');
  });

  it('when the edit form is invalid then each field says why, values are kept and nothing is saved', async () => {
    const agent = await login(ctx.app, world.bureauA.email, world.bureauA.password);
    const id = await createFromTemplate(agent, world.orgA.id);
    const before = posting(id);
    const res = await submitForm(
      agent,
      `/gestion/offres/${id}/modifier`,
      editFields({ title: '', contract_type: 'CDD', working_time_value: '250', salary_min: '50000', salary_max: '30000', deadline: '2026-02-31', contact_email: 'pas-un-mail', summary: '<script>alert(1)</script>' }),
      `/gestion/offres/${id}/modifier`,
    );
    expect(res.status).to.equal(422);
    const text = pageText(res.text);
    expect(text).to.contain('Ce champ est obligatoire.');
    expect(text).to.contain('Indiquez la durée du CDD');
    expect(text).to.contain('Saisissez un pourcentage entre 1 et 100');
    expect(text).to.contain('Le maximum doit être supérieur ou égal au minimum.');
    expect(text).to.contain('Saisissez une date valide');
    expect(text).to.contain('Saisissez une adresse e-mail valide');
    expect(res.text).not.to.contain('<script>alert(1)</script>');
    expect(res.text).to.contain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(posting(id)).to.deep.equal(before);
    expect(count("SELECT COUNT(*) AS n FROM posting_history WHERE posting_id = ? AND action = 'updated'", id)).to.equal(0);
    const tooLong = await submitForm(agent, `/gestion/offres/${id}/modifier`, editFields({ title: 'x'.repeat(10_000) }), `/gestion/offres/${id}/modifier`);
    expect(tooLong.status).to.equal(422);
    expect(pageText(tooLong.text)).to.contain('L’intitulé est trop long');
  });

  it('when the text holds discriminating wording then saving warns with the ground, without blocking', async () => {
    const agent = await login(ctx.app, world.bureauA.email, world.bureauA.password);
    const id = await createFromTemplate(agent, world.orgA.id);
    const res = await submitForm(agent, `/gestion/offres/${id}/modifier`, editFields({ summary: 'Nous recherchons une personne jeune et dynamique, sans enfants.' }), `/gestion/offres/${id}/modifier`);
    expect(res.status).to.equal(302);
    const page = pageText((await agent.get(`/gestion/offres/${id}`)).text);
    expect(page).to.contain('certaines formulations peuvent être discriminatoires');
    expect(page).to.contain('Vérification de non-discrimination');
    expect(page).to.contain('« jeune et dynamique »');
    expect(page).to.contain('(âge)');
    expect(posting(id).summary).to.contain('jeune et dynamique');
  });

  it('when another CPTS’s bureau, a coordinator or the other region’s chargé tries any posting route then 404 and nothing changes', async () => {
    const owner = await login(ctx.app, world.bureauA.email, world.bureauA.password);
    const id = await createFromTemplate(owner, world.orgA.id);
    const before = posting(id);
    for (const user of [world.bureauB, world.coordinatorA, world.chargeB, world.admin, world.nobody]) {
      const agent = await login(ctx.app, user.email, user.password);
      for (const path of [`/organisations/${world.orgA.id}/offres`, `/organisations/${world.orgA.id}/offres/nouvelle`, `/gestion/offres/${id}`, `/gestion/offres/${id}/modifier`]) {
        expect((await agent.get(path)).status, `${user.email} GET ${path}`).to.equal(404);
      }
      const token = await csrfOf(agent, '/compte');
      const posts: [string, Record<string, string>][] = [
        [`/organisations/${world.orgA.id}/offres`, { template: 'coordinator' }],
        [`/organisations/${world.orgA.id}/offres/reglages`, { notify_mode: 'digest' }],
        [`/gestion/offres/${id}/modifier`, editFields({ title: 'Piraté' })],
        [`/gestion/offres/${id}/statut`, { action: 'publish' }],
      ];
      for (const [path, fields] of posts) {
        expect((await agent.post(path).type('form').send({ _csrf: token, ...fields })).status, `${user.email} POST ${path}`).to.equal(404);
      }
    }
    expect(posting(id)).to.deep.equal(before);
    expect(count('SELECT COUNT(*) AS n FROM postings')).to.equal(1);
    expect(count('SELECT COUNT(*) AS n FROM recruitment_settings')).to.equal(0);
    // Not logged in: sent to the login page.
    const anon = await anonymous(ctx.app).get(`/gestion/offres/${id}`);
    expect(anon.status).to.equal(302);
    expect(anon.headers.location).to.match(/^\/connexion/);
  });

  it('when the region’s chargée de mission manages a CPTS of her region then she is allowed, and the list shows its postings', async () => {
    const agent = await login(ctx.app, world.chargeA.email, world.chargeA.password);
    const id = await createFromTemplate(agent, world.orgA2.id, 'case_manager');
    const list = await agent.get(`/organisations/${world.orgA2.id}/offres`);
    expect(list.status).to.equal(200);
    expect(pageText(list.text)).to.contain('Brouillon');
    expect(list.text).to.contain(`/gestion/offres/${id}`);
    expect((await agent.get(`/gestion/offres/${id}/modifier`)).status).to.equal(200);
  });

  it('when the bureau picks the daily digest then the setting is saved; a bad value is refused', async () => {
    const agent = await login(ctx.app, world.bureauA.email, world.bureauA.password);
    const ok = await submitForm(agent, `/organisations/${world.orgA.id}/offres/reglages`, { notify_mode: 'digest' }, `/organisations/${world.orgA.id}/offres`);
    expect(ok.status).to.equal(302);
    expect(ctx.db.prepare('SELECT notify_mode FROM recruitment_settings WHERE organisation_id = ?').get(world.orgA.id)).to.deep.equal({ notify_mode: 'digest' });
    const bad = await submitForm(agent, `/organisations/${world.orgA.id}/offres/reglages`, { notify_mode: 'hourly' }, `/organisations/${world.orgA.id}/offres`);
    expect(bad.status).to.equal(422);
  });

  it('when "Nouvelle offre" gets no template or a blank one without title then the form says so', async () => {
    const agent = await login(ctx.app, world.bureauA.email, world.bureauA.password);
    const none = await submitForm(agent, `/organisations/${world.orgA.id}/offres`, {}, `/organisations/${world.orgA.id}/offres/nouvelle`);
    expect(none.status).to.equal(422);
    expect(pageText(none.text)).to.contain('Choisissez un modèle.');
    const blank = await submitForm(agent, `/organisations/${world.orgA.id}/offres`, { template: 'blank', title: '' }, `/organisations/${world.orgA.id}/offres/nouvelle`);
    expect(blank.status).to.equal(422);
    expect(pageText(blank.text)).to.contain('Indiquez l’intitulé du poste');
    expect(count('SELECT COUNT(*) AS n FROM postings')).to.equal(0);
    const ok = await submitForm(agent, `/organisations/${world.orgA.id}/offres`, { template: 'blank', title: 'Chargé ou chargée de communication (H/F)' }, `/organisations/${world.orgA.id}/offres/nouvelle`);
    expect(ok.status).to.equal(302);
    expect(ctx.db.prepare('SELECT kind, slug FROM postings').get()).to.deep.equal({ kind: 'other', slug: `charge-ou-chargee-de-communication-h-f-cpts-alpha-${new Date().getUTCFullYear()}` });
  });
});
