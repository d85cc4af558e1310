import { expect } from 'chai';
import { audit } from '../../server/core/audit.js';
import { login, pageText } from '../helpers/agent.js';
import { createTestContext, type TestContext } from '../helpers/app.js';
import { createWorld } from '../helpers/factories.js';

describe('audit log page', () => {
  let ctx: TestContext;
  let world: Awaited<ReturnType<typeof createWorld>>;
  before(async () => {
    ctx = createTestContext();
    world = await createWorld(ctx.db);
    audit(ctx.db, { actorUserId: world.bureauA.id, actorLabel: world.bureauA.email, action: 'document.downloaded', organisationId: world.orgA.id, targetType: 'document', targetId: 7 });
    audit(ctx.db, { actorUserId: world.bureauB.id, actorLabel: world.bureauB.email, action: 'document.downloaded', organisationId: world.orgB.id, targetType: 'document', targetId: 8 });
  });
  after(() => ctx.close());

  it('when the admin opens the log then every entry shows, logins included, and filters narrow it', async () => {
    const admin = await login(ctx.app, world.admin.email, world.admin.password);
    const all = pageText((await admin.get('/journal')).text);
    expect(all).to.contain('document #7');
    expect(all).to.contain('document #8');
    expect(all).to.contain('Connexion'); // readable labels, not the codes
    expect(all).not.to.contain('auth.login');
    const filtered = pageText((await admin.get(`/journal?action=document&cpts=${world.orgB.id}`)).text);
    expect(filtered).to.contain('document #8');
    expect(filtered).not.to.contain('document #7');
    const byActor = pageText((await admin.get('/journal?acteur=Bureau%20A')).text);
    expect(byActor).to.contain('document #7');
    expect(byActor).not.to.contain('document #8');
  });

  it('when a chargé de mission opens the log then only their region’s CPTS entries show', async () => {
    const agent = await login(ctx.app, world.chargeA.email, world.chargeA.password);
    const res = await agent.get('/journal');
    expect(res.status).to.equal(200);
    const text = pageText(res.text);
    expect(text).to.contain('document #7');
    expect(text).not.to.contain('document #8');
    // Asking for another region's CPTS by filter shows nothing of it.
    expect(pageText((await agent.get(`/journal?cpts=${world.orgB.id}`)).text)).not.to.contain('document #8');
  });

  it('when a bureau member or coordinator asks for the log then access is refused', async () => {
    for (const u of [world.bureauA, world.coordinatorA]) {
      const agent = await login(ctx.app, u.email, u.password);
      expect((await agent.get('/journal')).status).to.equal(403);
    }
  });

  it('when filters are malformed then they are ignored, not an error', async () => {
    const admin = await login(ctx.app, world.admin.email, world.admin.password);
    expect((await admin.get('/journal?du=hier&cpts=abc&page=0')).status).to.equal(200);
  });
});

describe('GDPR register of processing', () => {
  let ctx: TestContext;
  let world: Awaited<ReturnType<typeof createWorld>>;
  before(async () => {
    ctx = createTestContext({ RETENTION_MONTHS: '6', TALENT_POOL_MONTHS: '12' });
    world = await createWorld(ctx.db);
  });
  after(() => ctx.close());

  it('when the bureau opens its register then the CPTS is the controller and the retention comes from the configuration', async () => {
    const agent = await login(ctx.app, world.bureauA.email, world.bureauA.password);
    const res = await agent.get(`/organisations/${world.orgA.id}/registre-rgpd`);
    expect(res.status).to.equal(200);
    const text = pageText(res.text);
    expect(text).to.contain('Responsable du traitement CPTS Alpha');
    expect(text).to.contain('fin du recrutement + 6 mois');
    expect(text).to.contain('12 mois après le dernier contact');
    expect(text).to.contain('région Pays de la Loire');
  });

  it('when another CPTS’s bureau or a coordinator asks for it then 404', async () => {
    for (const u of [world.bureauB, world.coordinatorA]) {
      const agent = await login(ctx.app, u.email, u.password);
      expect((await agent.get(`/organisations/${world.orgA.id}/registre-rgpd`)).status).to.equal(404);
    }
  });
});
