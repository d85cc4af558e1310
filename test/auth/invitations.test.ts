import { expect } from 'chai';
import { anonymous, csrfOf, login, pageText, submitForm } from '../helpers/agent.js';
import { createTestContext, type TestContext } from '../helpers/app.js';
import { createWorld } from '../helpers/factories.js';
import { lastMailTo, linkIn, mailsTo } from '../helpers/mail.js';

describe('auth: invitations', () => {
  let ctx: TestContext;
  let world: Awaited<ReturnType<typeof createWorld>>;
  beforeEach(async () => {
    ctx = createTestContext();
    world = await createWorld(ctx.db);
  });
  afterEach(() => ctx.close());

  const invite = async (email: string, password: string, orgId: number, fields: Record<string, string>) => {
    const agent = await login(ctx.app, email, password);
    return submitForm(agent, `/organisations/${orgId}/invitations`, fields, `/organisations/${orgId}/invitations/nouvelle`);
  };

  it('when the admin invites someone then the mail is in the outbox and its link activates the account, once', async () => {
    const res = await invite(world.admin.email, world.admin.password, world.orgA.id, { name: 'Nadia Benali', email: 'nadia@example.test', role: 'coordinator', title: 'Coordinatrice' });
    expect(res.status).to.equal(302);
    const mail = lastMailTo(ctx.db, 'nadia@example.test');
    expect(mail.subject).to.equal('Invitation à rejoindre CPTS Alpha sur Coordo');
    expect(mail.html_body).to.contain('Activer mon compte');
    const path = linkIn(mail, '/invitation/');

    // The admin reads it in the outbox page too.
    const admin = await login(ctx.app, world.admin.email, world.admin.password);
    const outbox = await admin.get('/admin/courriels');
    expect(pageText(outbox.text)).to.contain('Invitation à rejoindre CPTS Alpha sur Coordo');

    const invitee = anonymous(ctx.app);
    const page = await invitee.get(path);
    expect(page.status).to.equal(200);
    expect(pageText(page.text)).to.contain('CPTS Alpha');
    const accepted = await submitForm(invitee, path, { name: 'Nadia Benali', password: 'une phrase de passe solide', confirm: 'une phrase de passe solide' }, path);
    expect(accepted.status).to.equal(302);

    const nadia = await login(ctx.app, 'nadia@example.test', 'une phrase de passe solide');
    const home = await nadia.get('/tableau-de-bord');
    expect(pageText(home.text)).to.contain('CPTS Alpha');

    const again = await anonymous(ctx.app).get(path);
    expect(again.status).to.equal(410);
    expect(pageText(again.text)).to.contain('Cette invitation n’est plus valable');
  });

  it('when the bureau invites into its own CPTS then it works, and into another CPTS then 404 and no mail', async () => {
    const own = await invite(world.bureauA.email, world.bureauA.password, world.orgA.id, { name: 'Paul Trésorier', email: 'paul@example.test', role: 'bureau', title: 'Trésorier' });
    expect(own.status).to.equal(302);
    expect(mailsTo(ctx.db, 'paul@example.test')).to.have.length(1);

    const agent = await login(ctx.app, world.bureauA.email, world.bureauA.password);
    expect((await agent.get(`/organisations/${world.orgB.id}/invitations/nouvelle`)).status).to.equal(404);
    const token = await csrfOf(agent, '/compte');
    const other = await agent.post(`/organisations/${world.orgB.id}/invitations`).type('form').send({ _csrf: token, name: 'X', email: 'x@example.test', role: 'bureau' });
    expect(other.status).to.equal(404);
    expect(mailsTo(ctx.db, 'x@example.test')).to.have.length(0);
  });

  it('when a coordinator tries to invite then the page is not found for them', async () => {
    const agent = await login(ctx.app, world.coordinatorA.email, world.coordinatorA.password);
    expect((await agent.get(`/organisations/${world.orgA.id}/invitations/nouvelle`)).status).to.equal(404);
  });

  it('when the invitation form is malformed then French messages come back and nothing is written', async () => {
    const res = await invite(world.bureauA.email, world.bureauA.password, world.orgA.id, { name: '', email: 'pas une adresse', role: 'admin' });
    expect(res.status).to.equal(422);
    const text = pageText(res.text);
    expect(text).to.contain('Ce champ est obligatoire.');
    expect(text).to.contain('Saisissez une adresse e-mail valide');
    expect(text).to.contain('Choisissez une valeur dans la liste.');
    expect((ctx.db.prepare('SELECT COUNT(*) AS n FROM invitations').get() as { n: number }).n).to.equal(0);
    expect((ctx.db.prepare('SELECT COUNT(*) AS n FROM outbox').get() as { n: number }).n).to.equal(0);
  });

  it('when the invitation has expired then the link answers 410 and accepts nothing', async () => {
    await invite(world.admin.email, world.admin.password, world.orgA.id, { name: 'Tard', email: 'tard@example.test', role: 'bureau' });
    const path = linkIn(lastMailTo(ctx.db, 'tard@example.test'), '/invitation/');
    ctx.db.prepare("UPDATE invitations SET expires_at = '2000-01-01T00:00:00.000Z'").run();
    const agent = anonymous(ctx.app);
    expect((await agent.get(path)).status).to.equal(410);
    const token = await csrfOf(agent, '/connexion');
    const post = await agent.post(path).type('form').send({ _csrf: token, name: 'Tard', password: 'une phrase de passe solide', confirm: 'une phrase de passe solide' });
    expect(post.status).to.equal(410);
    expect(ctx.db.prepare("SELECT 1 FROM users WHERE email = 'tard@example.test'").get()).to.equal(undefined);
  });

  it('when an unknown token is used then 404', async () => {
    expect((await anonymous(ctx.app).get('/invitation/abcdef')).status).to.equal(404);
  });

  it('when the passwords differ or are short then the form says so and no account is created', async () => {
    await invite(world.admin.email, world.admin.password, world.orgA.id, { name: 'Léa', email: 'lea@example.test', role: 'bureau' });
    const path = linkIn(lastMailTo(ctx.db, 'lea@example.test'), '/invitation/');
    const agent = anonymous(ctx.app);
    const res = await submitForm(agent, path, { name: 'Léa', password: 'court', confirm: 'autre' }, path);
    expect(res.status).to.equal(422);
    expect(pageText(res.text)).to.contain('au moins 12 caractères');
    expect(ctx.db.prepare("SELECT 1 FROM users WHERE email = 'lea@example.test'").get()).to.equal(undefined);
  });

  it('when the invited address already has an account then the role is added and the password kept', async () => {
    await invite(world.admin.email, world.admin.password, world.orgA2.id, { name: world.bureauA.name, email: world.bureauA.email, role: 'bureau' });
    const path = linkIn(lastMailTo(ctx.db, world.bureauA.email), '/invitation/');
    const agent = anonymous(ctx.app);
    await submitForm(agent, path, { name: 'Ignoré', password: 'un autre mot de passe', confirm: 'un autre mot de passe' }, path);
    const bureau = await login(ctx.app, world.bureauA.email, world.bureauA.password);
    expect(pageText((await bureau.get('/tableau-de-bord')).text)).to.contain('CPTS Alpha Deux');
  });

  it('when the admin invites a chargé de mission into a region then they see the CPTS of that region only', async () => {
    const admin = await login(ctx.app, world.admin.email, world.admin.password);
    const res = await submitForm(admin, `/admin/regions/${world.regionB.id}/invitations`, { name: 'Yann Le Bihan', email: 'yann@example.test', title: 'Chargé de mission' }, `/admin/regions/${world.regionB.id}/invitations/nouvelle`);
    expect(res.status).to.equal(302);
    const path = linkIn(lastMailTo(ctx.db, 'yann@example.test'), '/invitation/');
    await submitForm(anonymous(ctx.app), path, { name: 'Yann Le Bihan', password: 'une phrase de passe solide', confirm: 'une phrase de passe solide' }, path);
    const yann = await login(ctx.app, 'yann@example.test', 'une phrase de passe solide');
    const text = pageText((await yann.get('/tableau-de-bord')).text);
    expect(text).to.contain('CPTS Bravo');
    expect(text).not.to.contain('CPTS Alpha');
  });

  it('when a non-admin opens the region invitation page then access is refused', async () => {
    const agent = await login(ctx.app, world.chargeA.email, world.chargeA.password);
    expect((await agent.get(`/admin/regions/${world.regionA.id}/invitations/nouvelle`)).status).to.equal(403);
  });
});
