import { expect } from 'chai';
import { anonymous, login, pageText, submitForm, type Agent } from '../helpers/agent.js';
import { createTestContext, type TestContext } from '../helpers/app.js';
import { createWorld } from '../helpers/factories.js';
import { inDays } from '../fixtures/postings.js';

describe('jobs: the published conditions are written from the posting’s fields', () => {
  let ctx: TestContext;
  let world: Awaited<ReturnType<typeof createWorld>>;
  let agent: Agent;
  let id: number;
  let slug: string;

  beforeEach(async () => {
    ctx = createTestContext();
    world = await createWorld(ctx.db);
    agent = await login(ctx.app, world.bureauA.email, world.bureauA.password);
    const res = await submitForm(agent, `/organisations/${world.orgA.id}/offres`, { template: 'coordinator' }, `/organisations/${world.orgA.id}/offres/nouvelle`);
    id = Number(/\/gestion\/offres\/(\d+)\/modifier/.exec(res.headers.location)?.[1]);
    slug = (ctx.db.prepare('SELECT slug FROM postings WHERE id = ?').get(id) as { slug: string }).slug;
  });
  afterEach(() => ctx.close());

  async function save(fields: Record<string, string>) {
    const current = ctx.db.prepare('SELECT * FROM postings WHERE id = ?').get(id) as Record<string, string | number | null>;
    const body: Record<string, string> = {
      kind: 'coordinator',
      title: String(current.title),
      location: 'Clisson (44)',
      street_address: '',
      postal_code: '44190',
      contract_type: 'CDI',
      contract_duration_months: '',
      contract_details: '',
      working_time_unit: 'fte',
      working_time_value: '100',
      salary_min: '32000',
      salary_max: '41760',
      start_date: '',
      deadline: inDays(30),
      summary: String(current.summary),
      description_md: String(current.description_md),
      contact_name: 'Bureau A',
      contact_email: 'bureau@alpha.test',
      ...fields,
    };
    const res = await submitForm(agent, `/gestion/offres/${id}/modifier`, body, `/gestion/offres/${id}/modifier`);
    expect(res.status, res.text).to.equal(302);
  }

  /** The public page's text (pageText folds no-break spaces; the raw HTML keeps them, checked once below). */
  async function publishedText() {
    await submitForm(agent, `/gestion/offres/${id}/statut`, { action: 'publish' }, `/gestion/offres/${id}`);
    const page = await anonymous(ctx.app).get(`/offres/${slug}`);
    expect(page.status).to.equal(200);
    const description = /<div class="prose[^"]*">([\s\S]*?)<\/div>/.exec(page.text)?.[1] ?? page.text;
    return { page: pageText(page.text), description: pageText(description) };
  }

  it('when the working time is 80 % then the text says 80 % and gives the pay at that time, never "temps plein" alone', async () => {
    await save({ working_time_value: '80', salary_min: '30000', salary_max: '40000' });
    const { page } = await publishedText();
    expect(page).to.contain('Temps de travail : 80 % d’un temps plein.');
    expect(page).not.to.contain('Temps de travail : temps plein');
    expect(page).to.contain('soit de 24 000 € à 32 000 € bruts annuels au temps de travail du poste');
    expect(page).to.contain('Lieu de travail : 44190 Clisson.');
    // French typography: no-break spaces before the colon, the per cent and the euro signs.
    const html = (await anonymous(ctx.app).get(`/offres/${slug}`)).text;
    expect(html).to.contain('Temps de travail</strong>\u00a0: 80\u00a0% d’un temps plein.');
  });

  it('when the fields change then the published conditions change with them: contract, hours, salary, start date', async () => {
    await save({ contract_type: 'CDD', contract_duration_months: '12', working_time_unit: 'hours', working_time_value: '28', salary_min: '', salary_max: '', start_date: '2027-03-01' });
    const { page } = await publishedText();
    expect(page).to.contain('Contrat : CDD de 12 mois.');
    expect(page).to.contain('Temps de travail : 28 heures par semaine.');
    expect(page).to.contain('Rémunération : à discuter selon le profil.');
    expect(page).to.contain('Prise de poste : 1er mars 2027.');
  });

  it('when the bureau removes the placeholder then no conditions list is added to its own text', async () => {
    await save({ description_md: '## Missions\n\nTexte libre sans conditions.' });
    const { page } = await publishedText();
    expect(page).not.to.contain('Temps de travail :');
    expect(page).to.contain('Texte libre sans conditions.');
  });
});
