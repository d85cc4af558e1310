import { expect } from 'chai';
import { csrfOf, login, pageText, submitForm } from '../helpers/agent.js';
import { createTestContext, type TestContext } from '../helpers/app.js';
import { createWorld } from '../helpers/factories.js';
import { draftPosting, publishedPosting } from '../fixtures/postings.js';

describe('jobs: deleting a draft', () => {
  let ctx: TestContext;
  let world: Awaited<ReturnType<typeof createWorld>>;
  beforeEach(async () => {
    ctx = createTestContext();
    world = await createWorld(ctx.db);
  });
  afterEach(() => ctx.close());

  const exists = (id: number) => Boolean(ctx.db.prepare('SELECT 1 FROM postings WHERE id = ?').get(id));

  it('when the bureau confirms on the confirmation page then the draft and what was prepared for it are gone, and the deletion is audited', async () => {
    const draft = draftPosting(ctx.db, world.bureauA.id, world.orgA.id);
    const agent = await login(ctx.app, world.bureauA.email, world.bureauA.password);
    const manage = await agent.get(`/gestion/offres/${draft.id}`);
    expect(manage.text).to.contain(`href="/gestion/offres/${draft.id}/supprimer"`);
    const confirm = await agent.get(`/gestion/offres/${draft.id}/supprimer`);
    expect(confirm.status).to.equal(200);
    expect(pageText(confirm.text)).to.contain('Cette action est définitive.');
    const res = await submitForm(agent, `/gestion/offres/${draft.id}/supprimer`, {}, `/gestion/offres/${draft.id}/supprimer`);
    expect(res.status).to.equal(302);
    expect(res.headers.location).to.equal(`/organisations/${world.orgA.id}/offres`);
    expect(exists(draft.id)).to.equal(false);
    expect(ctx.db.prepare("SELECT COUNT(*) AS n FROM posting_history WHERE posting_id = ?").get(draft.id)).to.deep.equal({ n: 0 });
    expect(ctx.db.prepare("SELECT COUNT(*) AS n FROM audit_log WHERE action = 'posting.deleted' AND target_id = ?").get(draft.id)).to.deep.equal({ n: 1 });
    expect(pageText((await agent.get(res.headers.location)).text)).to.contain('Le brouillon a été supprimé.');
  });

  it('when the posting was published, or the user is a coordinator or another CPTS’s bureau, then nothing is deleted', async () => {
    const published = publishedPosting(ctx.db, world.bureauA.id, world.orgA.id);
    const bureau = await login(ctx.app, world.bureauA.email, world.bureauA.password);
    expect((await bureau.get(`/gestion/offres/${published.id}`)).text).not.to.contain('/supprimer"');
    const refused = await submitForm(bureau, `/gestion/offres/${published.id}/supprimer`, {}, `/gestion/offres/${published.id}`);
    expect(refused.status).to.equal(302);
    expect(exists(published.id)).to.equal(true);
    // Closed again later, it stays a record of what was public.
    ctx.db.prepare("UPDATE postings SET status = 'draft' WHERE id = ?").run(published.id);
    await submitForm(bureau, `/gestion/offres/${published.id}/supprimer`, {}, `/gestion/offres/${published.id}`);
    expect(exists(published.id)).to.equal(true);

    const draft = draftPosting(ctx.db, world.bureauA.id, world.orgA.id);
    for (const user of [world.coordinatorA, world.bureauB]) {
      const agent = await login(ctx.app, user.email, user.password);
      expect((await agent.get(`/gestion/offres/${draft.id}/supprimer`)).status).to.equal(404);
      const token = await csrfOf(agent, '/compte');
      const res = await agent.post(`/gestion/offres/${draft.id}/supprimer`).type('form').send({ _csrf: token });
      expect(res.status).to.equal(404);
      expect(exists(draft.id)).to.equal(true);
    }
  });
});
