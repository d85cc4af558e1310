import { expect } from 'chai';
import { anonymous, csrfOf, login, pageText, type Agent } from '../helpers/agent.js';
import { createTestContext, type TestContext } from '../helpers/app.js';
import { createWorld } from '../helpers/factories.js';
import { inDays, publishedPosting } from '../fixtures/postings.js';

describe('postings: a permanent reference per CPTS and year (issue 13)', () => {
  let ctx: TestContext;
  let world: Awaited<ReturnType<typeof createWorld>>;
  let bureauA: Agent;
  beforeEach(async () => {
    ctx = createTestContext();
    world = await createWorld(ctx.db);
    bureauA = await login(ctx.app, world.bureauA.email, world.bureauA.password);
  });
  afterEach(() => ctx.close());

  // The year in Paris (UTC+1 at the turn of the year).
  const year = String(new Date(Date.now() + 3_600_000).getUTCFullYear());
  const refOf = (id: number) => (ctx.db.prepare('SELECT reference FROM postings WHERE id = ?').get(id) as { reference: string }).reference;

  /** Creates a posting through the form, as the bureau does; returns its id. */
  async function create(agent: Agent, orgId: number, title: string, token?: string): Promise<number> {
    const res = await agent
      .post(`/organisations/${orgId}/offres`)
      .type('form')
      .send({ _csrf: token ?? (await csrfOf(agent, `/organisations/${orgId}/offres/nouvelle`)), template: 'blank', title });
    expect(res.status, res.text).to.equal(302);
    return Number(/\/gestion\/offres\/(\d+)\/modifier/.exec(String(res.headers.location))![1]);
  }

  it('when postings are created then each CPTS numbers its own from 01 within the year, and the page shows « Réf. »', async () => {
    const a1 = await create(bureauA, world.orgA.id, 'Coordinateur ou coordinatrice de CPTS (H/F)');
    const a2 = await create(bureauA, world.orgA.id, 'Coordinateur ou coordinatrice de CPTS (H/F)');
    const bureauB = await login(ctx.app, world.bureauB.email, world.bureauB.password);
    const b1 = await create(bureauB, world.orgB.id, 'Coordinateur ou coordinatrice de CPTS (H/F)');
    expect([refOf(a1), refOf(a2), refOf(b1)]).to.deep.equal([`${year}-01`, `${year}-02`, `${year}-01`]);
    const page = pageText((await bureauA.get(`/gestion/offres/${a2}`)).text);
    expect(page).to.contain(`Coordinateur ou coordinatrice de CPTS (H/F) (Réf. ${year}-02, brouillon)`);
    const list = pageText((await bureauA.get(`/organisations/${world.orgA.id}/offres`)).text);
    expect(list).to.contain(`Réf. ${year}-01`).and.to.contain(`Réf. ${year}-02`);
  });

  it('when a posting is edited, published and closed then its reference stays; the database refuses to change it', async () => {
    const id = await create(bureauA, world.orgA.id, 'Chargé ou chargée de projet (H/F)');
    const before = refOf(id);
    ctx.db.prepare("UPDATE postings SET location = 'Clisson (44)', contact_name = 'Dr A', contact_email = 'recrutement@cpts.test', summary = 'Un poste.', description_md = 'Missions de la CPTS.', deadline = ? WHERE id = ?").run(inDays(30), id);
    const token = await csrfOf(bureauA, `/gestion/offres/${id}`);
    await bureauA.post(`/gestion/offres/${id}/statut`).type('form').send({ _csrf: token, action: 'publish' });
    const published = ctx.db.prepare('SELECT status, reference, published_at FROM postings WHERE id = ?').get(id) as { status: string; reference: string; published_at: string | null };
    expect(published.reference).to.equal(before);
    expect(published.status).to.equal('published');
    const pub = pageText((await bureauA.get(`/gestion/offres/${id}`)).text);
    expect(pub).to.match(new RegExp(`\\(Réf\\. ${before}, publiée le `));
    ctx.db.prepare("UPDATE postings SET title = 'Autre intitulé (H/F)', status = 'closed' WHERE id = ?").run(id);
    expect(refOf(id)).to.equal(before);
    expect(() => ctx.db.prepare("UPDATE postings SET reference = '1999-01' WHERE id = ?").run(id)).to.throw(/permanent/);
  });

  it('when a draft is deleted then its number is never given again, and references stay unique per CPTS', async () => {
    const first = await create(bureauA, world.orgA.id, 'Poste A (H/F)');
    const second = await create(bureauA, world.orgA.id, 'Poste B (H/F)');
    expect(refOf(second)).to.equal(`${year}-02`);
    const del = await bureauA.post(`/gestion/offres/${second}/supprimer`).type('form').send({ _csrf: await csrfOf(bureauA, `/gestion/offres/${second}/supprimer`) });
    expect(del.status).to.equal(302);
    expect(ctx.db.prepare('SELECT 1 FROM postings WHERE id = ?').get(second)).to.equal(undefined);
    const third = await create(bureauA, world.orgA.id, 'Poste C (H/F)');
    expect(refOf(first)).to.equal(`${year}-01`);
    expect(refOf(third)).to.equal(`${year}-03`);
    expect(() =>
      ctx.db
        .prepare("INSERT INTO postings (organisation_id, slug, kind, title, contract_type, status, reference, created_at, updated_at) VALUES (?, 'doublon', 'coordinator', 'Doublon', 'CDI', 'draft', ?, ?, ?)")
        .run(world.orgA.id, `${year}-01`, new Date().toISOString(), new Date().toISOString()),
    ).to.throw(/UNIQUE/);
  });

  it('when a posting of last year exists then this year starts again at 01, and the year is the creation year', async () => {
    const at = `${Number(year) - 1}-06-15T10:00:00.000Z`;
    ctx.db
      .prepare("INSERT INTO postings (organisation_id, slug, kind, title, contract_type, status, created_at, updated_at) VALUES (?, 'ancienne', 'coordinator', 'Ancienne (H/F)', 'CDI', 'filled', ?, ?)")
      .run(world.orgA.id, at, at);
    const old = (ctx.db.prepare("SELECT reference FROM postings WHERE slug = 'ancienne'").get() as { reference: string }).reference;
    expect(old).to.equal(`${Number(year) - 1}-01`);
    const id = await create(bureauA, world.orgA.id, 'Nouvelle (H/F)');
    expect(refOf(id)).to.equal(`${year}-01`);
  });

  it('when a posting is created just after midnight on New Year’s Day in Paris then it is of the new year, though still the old one in UTC', () => {
    const insert = (slug: string, at: string) => {
      ctx.db
        .prepare("INSERT INTO postings (organisation_id, slug, kind, title, contract_type, status, created_at, updated_at) VALUES (?, ?, 'coordinator', 'Réveillon (H/F)', 'CDI', 'draft', ?, ?)")
        .run(world.orgB.id, slug, at, at);
      return (ctx.db.prepare('SELECT reference FROM postings WHERE slug = ?').get(slug) as { reference: string }).reference;
    };
    expect(insert('avant-minuit', '2030-12-31T22:59:59.999Z'), '23:59 in Paris').to.equal('2030-01');
    expect(insert('apres-minuit', '2030-12-31T23:00:00.000Z'), '00:00 in Paris').to.equal('2031-01');
    expect(insert('lendemain', '2031-01-01T10:00:00.000Z')).to.equal('2031-02');
  });

  it('when many postings are created at once (two members, interleaved requests) then no two share a reference', async () => {
    const other = await login(ctx.app, world.bureauA.email, world.bureauA.password);
    const [t1, t2] = [await csrfOf(bureauA, `/organisations/${world.orgA.id}/offres/nouvelle`), await csrfOf(other, `/organisations/${world.orgA.id}/offres/nouvelle`)];
    const ids = await Promise.all(Array.from({ length: 10 }, (_, i) => create(i % 2 ? other : bureauA, world.orgA.id, 'Même intitulé (H/F)', i % 2 ? t2 : t1)));
    const refs = ids.map(refOf);
    expect(new Set(refs).size).to.equal(10);
    expect([...refs].sort()).to.deep.equal(Array.from({ length: 10 }, (_, i) => `${year}-${String(i + 1).padStart(2, '0')}`));
  });

  it('when a coordinator or another CPTS’s bureau tries to create a posting then nothing is created and no number is used', async () => {
    const bureauB = await login(ctx.app, world.bureauB.email, world.bureauB.password);
    const token = await csrfOf(bureauB, '/compte');
    const res = await bureauB.post(`/organisations/${world.orgA.id}/offres`).type('form').send({ _csrf: token, template: 'blank', title: 'Intrus (H/F)' });
    expect(res.status).to.be.oneOf([403, 404]);
    const id = await create(bureauA, world.orgA.id, 'Premier (H/F)');
    expect(refOf(id)).to.equal(`${year}-01`);
  });

  it('when a visitor opens the board and the posting then the reference candidates quote is shown, and the JSON-LD carries it as identifier', async () => {
    const p = publishedPosting(ctx.db, world.bureauA.id, world.orgA.id);
    const ref = refOf(p.id);
    const visitor = anonymous(ctx.app);
    expect(pageText((await visitor.get('/offres')).text)).to.contain(`(Réf. ${ref})`);
    const page = await visitor.get(`/offres/${p.slug}`);
    expect(pageText(page.text)).to.contain(`(Réf. ${ref})`);
    const ld = JSON.parse(/<script type="application\/ld\+json">([\s\S]*?)<\/script>/.exec(page.text)![1]!);
    expect(ld.identifier).to.deep.equal({ '@type': 'PropertyValue', name: 'CPTS Alpha', value: ref });
  });
});
