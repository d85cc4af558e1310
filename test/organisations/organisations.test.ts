import { expect } from 'chai';
import { anonymous, csrfOf, login, pageText, submitForm } from '../helpers/agent.js';
import { createTestContext, type TestContext } from '../helpers/app.js';
import { createWorld } from '../helpers/factories.js';

describe('organisations: regions, CPTS pages and administration', () => {
  let ctx: TestContext;
  let world: Awaited<ReturnType<typeof createWorld>>;
  beforeEach(async () => {
    ctx = createTestContext();
    world = await createWorld(ctx.db);
  });
  afterEach(() => ctx.close());

  it('when a chargé de mission opens the dashboard then they see every CPTS of their region and none other', async () => {
    const agent = await login(ctx.app, world.chargeA.email, world.chargeA.password);
    const text = pageText((await agent.get('/tableau-de-bord')).text);
    expect(text).to.contain('CPTS Alpha');
    expect(text).to.contain('CPTS Alpha Deux');
    expect(text).not.to.contain('CPTS Bravo');
    expect((await agent.get(`/organisations/${world.orgA2.id}`)).status).to.equal(200);
    expect((await agent.get(`/organisations/${world.orgB.id}`)).status).to.equal(404);
    expect((await agent.get(`/regions/${world.regionA.id}`)).status).to.equal(200);
    expect((await agent.get(`/regions/${world.regionB.id}`)).status).to.equal(404);
  });

  it('when a bureau member opens another CPTS, even of the same region, then 404', async () => {
    const agent = await login(ctx.app, world.bureauA.email, world.bureauA.password);
    expect((await agent.get(`/organisations/${world.orgA.id}`)).status).to.equal(200);
    expect((await agent.get(`/organisations/${world.orgA2.id}`)).status).to.equal(404);
    expect((await agent.get(`/organisations/${world.orgB.id}`)).status).to.equal(404);
    expect((await agent.get(`/regions/${world.regionA.id}`)).status).to.equal(404);
    expect((await agent.get('/organisations/abc')).status).to.equal(404);
    expect((await agent.get('/organisations/999999')).status).to.equal(404);
  });

  it('when the CPTS page is shown then it lists members with their roles', async () => {
    const agent = await login(ctx.app, world.coordinatorA.email, world.coordinatorA.password);
    const text = pageText((await agent.get(`/organisations/${world.orgA.id}`)).text);
    expect(text).to.contain('Bureau A');
    expect(text).to.contain('Présidente');
    expect(text).to.contain('Coordinateur·rice');
    expect(text).not.to.contain('Modifier la fiche');
  });

  it('when the bureau edits its CPTS then the change is saved and the ACI size follows the population', async () => {
    const agent = await login(ctx.app, world.bureauA.email, world.bureauA.password);
    const res = await submitForm(
      agent,
      `/organisations/${world.orgA.id}/modifier`,
      { name: 'CPTS Alpha Renommée', department: 'Sarthe (72)', territory: 'Le Mans', population: '190 000', presentation: '<script>alert(1)</script>', email: '' },
      `/organisations/${world.orgA.id}/modifier`,
    );
    expect(res.status).to.equal(302);
    const row = ctx.db.prepare('SELECT name, population, size_class, slug FROM organisations WHERE id = ?').get(world.orgA.id) as Record<string, unknown>;
    expect(row).to.include({ name: 'CPTS Alpha Renommée', population: 190000, size_class: 4, slug: world.orgA.slug });
    const page = await agent.get(`/organisations/${world.orgA.id}`);
    expect(page.text).not.to.contain('<script>alert(1)</script>');
    expect(page.text).to.contain('&lt;script&gt;alert(1)&lt;/script&gt;');
  });

  it('when the edit form is invalid then the messages show, values are kept, and nothing is saved', async () => {
    const agent = await login(ctx.app, world.bureauA.email, world.bureauA.password);
    const res = await submitForm(agent, `/organisations/${world.orgA.id}/modifier`, { name: '', department: 'X', territory: 'Y', population: '-5', email: 'nope' }, `/organisations/${world.orgA.id}/modifier`);
    expect(res.status).to.equal(422);
    const text = pageText(res.text);
    expect(text).to.contain('Ce champ est obligatoire.');
    expect(text).to.contain('Saisissez un nombre entier positif.');
    expect(text).to.contain('Saisissez une adresse e-mail valide');
    expect(res.text).to.contain('value="-5"');
    expect((ctx.db.prepare('SELECT name FROM organisations WHERE id = ?').get(world.orgA.id) as { name: string }).name).to.equal('CPTS Alpha');
  });

  it('when the bureau gives the seat’s address, the website and the logo then they are saved; a bad postal code or a non-https address is refused', async () => {
    const agent = await login(ctx.app, world.bureauA.email, world.bureauA.password);
    const base = { name: 'CPTS Alpha', department: 'Sarthe (72)', territory: 'Le Mans', population: '90000', email: '' };
    const bad = await submitForm(
      agent,
      `/organisations/${world.orgA.id}/modifier`,
      { ...base, postal_code: '7200', website_url: 'http://cpts.fr', logo_url: 'https://cpts.fr/logo .png' },
      `/organisations/${world.orgA.id}/modifier`,
    );
    expect(bad.status).to.equal(422);
    const text = pageText(bad.text);
    expect(text).to.contain('Saisissez un code postal à cinq chiffres.');
    expect(text.match(/commençant par https:\/\/, sans espace/g)).to.have.length.of.at.least(2);
    expect((ctx.db.prepare('SELECT postal_code FROM organisations WHERE id = ?').get(world.orgA.id) as { postal_code: string }).postal_code).to.equal('');
    const ok = await submitForm(
      agent,
      `/organisations/${world.orgA.id}/modifier`,
      { ...base, street_address: '12 rue de la Santé', postal_code: '72000', city: 'Le Mans', website_url: 'https://cpts-alpha.fr', logo_url: 'https://cpts-alpha.fr/logo.png' },
      `/organisations/${world.orgA.id}/modifier`,
    );
    expect(ok.status).to.equal(302);
    expect(ctx.db.prepare('SELECT street_address, postal_code, city, website_url, logo_url FROM organisations WHERE id = ?').get(world.orgA.id)).to.deep.equal({
      street_address: '12 rue de la Santé',
      postal_code: '72000',
      city: 'Le Mans',
      website_url: 'https://cpts-alpha.fr',
      logo_url: 'https://cpts-alpha.fr/logo.png',
    });
  });

  it('when a coordinator or another CPTS’s bureau posts an edit then 404 and nothing changes', async () => {
    for (const user of [world.coordinatorA, world.bureauB]) {
      const agent = await login(ctx.app, user.email, user.password);
      const token = await csrfOf(agent, '/compte');
      const res = await agent.post(`/organisations/${world.orgA.id}/modifier`).type('form').send({ _csrf: token, name: 'Piraté', department: 'X', territory: 'Y', population: '1' });
      expect(res.status).to.equal(404);
    }
    expect((ctx.db.prepare('SELECT name FROM organisations WHERE id = ?').get(world.orgA.id) as { name: string }).name).to.equal('CPTS Alpha');
  });

  it('when the admin creates a region and a CPTS then they appear, with a readable unique slug', async () => {
    const admin = await login(ctx.app, world.admin.email, world.admin.password);
    const region = await submitForm(admin, '/admin/regions', { name: 'Normandie' }, '/admin/regions/nouvelle');
    expect(region.status).to.equal(302);
    const regionId = (ctx.db.prepare("SELECT id FROM regions WHERE name = 'Normandie'").get() as { id: number }).id;
    const dup = await submitForm(admin, '/admin/regions', { name: 'normandie' }, '/admin/regions/nouvelle');
    expect(dup.status).to.equal(422);
    expect(pageText(dup.text)).to.contain('Une région porte déjà ce nom.');
    const org = await submitForm(
      admin,
      '/admin/organisations',
      { region_id: String(regionId), name: 'CPTS Côte Fleurie', department: 'Calvados (14)', territory: 'Honfleur, Deauville', population: '45000', presentation: '', email: 'contact@example.test' },
      '/admin/organisations/nouvelle',
    );
    expect(org.status).to.equal(302);
    const row = ctx.db.prepare("SELECT slug, size_class FROM organisations WHERE name = 'CPTS Côte Fleurie'").get() as { slug: string; size_class: number };
    expect(row).to.deep.equal({ slug: 'cpts-cote-fleurie', size_class: 2 });
    expect(pageText((await admin.get('/admin')).text)).to.contain('CPTS Côte Fleurie');
  });

  it('when the admin picks a region that does not exist then the form refuses it', async () => {
    const admin = await login(ctx.app, world.admin.email, world.admin.password);
    const res = await submitForm(admin, '/admin/organisations', { region_id: '9999', name: 'CPTS X', department: 'D', territory: 'T', population: '1000' }, '/admin/organisations/nouvelle');
    expect(res.status).to.equal(422);
    expect(pageText(res.text)).to.contain('Choisissez une valeur dans la liste.');
  });

  it('when a non-admin opens administration pages then 403, and anonymous visitors go to login', async () => {
    const agent = await login(ctx.app, world.chargeA.email, world.chargeA.password);
    for (const path of ['/admin', '/admin/regions/nouvelle', '/admin/organisations/nouvelle', '/admin/courriels']) {
      expect((await agent.get(path)).status, path).to.equal(403);
    }
    const token = await csrfOf(agent, '/compte');
    expect((await agent.post('/admin/regions').type('form').send({ _csrf: token, name: 'Corse' })).status).to.equal(403);
    expect(ctx.db.prepare("SELECT 1 FROM regions WHERE name = 'Corse'").get()).to.equal(undefined);
    expect((await anonymous(ctx.app).get('/admin')).status).to.equal(302);
  });

  it('when a user with no role logs in then the dashboard explains how to get access', async () => {
    const agent = await login(ctx.app, world.nobody.email, world.nobody.password);
    expect(pageText((await agent.get('/tableau-de-bord')).text)).to.contain('n’est rattaché à aucune CPTS');
  });
});

describe('organisations: removing members and cancelling invitations', () => {
  let ctx: TestContext;
  let world: Awaited<ReturnType<typeof createWorld>>;
  beforeEach(async () => {
    ctx = createTestContext();
    world = await createWorld(ctx.db);
  });
  afterEach(() => ctx.close());

  const post = async (user: { email: string; password: string }, path: string, fields: Record<string, string> = {}) => {
    const agent = await login(ctx.app, user.email, user.password);
    const token = await csrfOf(agent, '/compte');
    return agent.post(path).type('form').send({ _csrf: token, ...fields });
  };

  it('when the bureau removes the coordinator role then the person loses access to the CPTS, and it is audited', async () => {
    const res = await post(world.bureauA, `/organisations/${world.orgA.id}/membres/${world.coordinatorA.id}/retirer`, { role: 'coordinator' });
    expect(res.status).to.equal(302);
    const coordinator = await login(ctx.app, world.coordinatorA.email, world.coordinatorA.password);
    expect((await coordinator.get(`/organisations/${world.orgA.id}`)).status).to.equal(404);
    expect(ctx.db.prepare("SELECT 1 FROM audit_log WHERE action = 'membership.removed' AND target_id = ?").get(world.coordinatorA.id)).to.not.equal(undefined);
  });

  it('when the last bureau member would be removed then it is refused with a message', async () => {
    const agent = await login(ctx.app, world.bureauA.email, world.bureauA.password);
    const token = await csrfOf(agent, '/compte');
    await agent.post(`/organisations/${world.orgA.id}/membres/${world.bureauA.id}/retirer`).type('form').send({ _csrf: token, role: 'bureau' });
    const page = await agent.get(`/organisations/${world.orgA.id}`);
    expect(page.status).to.equal(200);
    expect(pageText(page.text)).to.contain('Impossible de retirer le dernier membre du bureau');
  });

  it('when another CPTS’s bureau or a coordinator tries to remove a member then 404 and nothing changes', async () => {
    for (const user of [world.bureauB, world.coordinatorA]) {
      const res = await post(user, `/organisations/${world.orgA.id}/membres/${world.coordinatorA.id}/retirer`, { role: 'coordinator' });
      expect(res.status).to.equal(404);
    }
    const bogus = await post(world.bureauA, `/organisations/${world.orgA.id}/membres/${world.coordinatorA.id}/retirer`, { role: 'admin' });
    expect(bogus.status).to.equal(422);
    expect(ctx.db.prepare("SELECT 1 FROM memberships WHERE user_id = ? AND role = 'coordinator'").get(world.coordinatorA.id)).to.not.equal(undefined);
  });

  it('when the bureau cancels a pending invitation then its link stops working; another CPTS cannot cancel it', async () => {
    const agent = await login(ctx.app, world.bureauA.email, world.bureauA.password);
    await submitForm(agent, `/organisations/${world.orgA.id}/invitations`, { name: 'Zoé', email: 'zoe@example.test', role: 'bureau' }, `/organisations/${world.orgA.id}/invitations/nouvelle`);
    const invitationId = (ctx.db.prepare("SELECT id FROM invitations WHERE email = 'zoe@example.test'").get() as { id: number }).id;
    const path = (/\/invitation\/[\w-]+/.exec((ctx.db.prepare("SELECT text_body FROM outbox WHERE to_address = 'zoe@example.test'").get() as { text_body: string }).text_body) as RegExpExecArray)[0];
    const refused = await post(world.bureauB, `/organisations/${world.orgA.id}/invitations/${invitationId}/annuler`);
    expect(refused.status).to.equal(404);
    expect((await anonymous(ctx.app).get(path)).status).to.equal(200);
    const ok = await post(world.bureauA, `/organisations/${world.orgA.id}/invitations/${invitationId}/annuler`);
    expect(ok.status).to.equal(302);
    expect((await anonymous(ctx.app).get(path)).status).to.equal(410);
  });
});
