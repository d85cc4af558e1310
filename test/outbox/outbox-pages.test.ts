import { expect } from 'chai';
import { enqueueMail, simpleMail } from '../../server/core/mailer.js';
import { csrfOf, login, pageText } from '../helpers/agent.js';
import { createTestContext, type TestContext } from '../helpers/app.js';
import { createWorld } from '../helpers/factories.js';

describe('outbox: the admin reads queued mail', () => {
  let ctx: TestContext;
  let world: Awaited<ReturnType<typeof createWorld>>;
  let mailId: number;
  before(async () => {
    ctx = createTestContext();
    world = await createWorld(ctx.db);
    mailId = enqueueMail(ctx.db, {
      template: 'test',
      to: 'destinataire@example.test',
      ...simpleMail({ lang: 'fr', subject: 'Objet <b>test</b>', greeting: 'Bonjour,', paragraphs: ['Corps <script>alert(1)</script>'], footer: 'Coordo' }),
    });
  });
  after(() => ctx.close());

  it('when the admin opens the outbox then subject, recipient and status are listed, escaped', async () => {
    const admin = await login(ctx.app, world.admin.email, world.admin.password);
    const res = await admin.get('/admin/courriels');
    expect(res.status).to.equal(200);
    expect(pageText(res.text)).to.contain('destinataire@example.test');
    expect(res.text).to.contain('Objet &lt;b&gt;test&lt;/b&gt;');
    expect(pageText(res.text)).to.contain('Aucun serveur SMTP');
  });

  it('when the admin opens one mail then the text body shows and the HTML preview is sandboxed', async () => {
    const admin = await login(ctx.app, world.admin.email, world.admin.password);
    const page = await admin.get(`/admin/courriels/${mailId}`);
    expect(page.text).to.contain('Corps &lt;script&gt;');
    expect(page.text).to.contain(`src="/admin/courriels/${mailId}/apercu" sandbox`);
    const preview = await admin.get(`/admin/courriels/${mailId}/apercu`);
    expect(preview.status).to.equal(200);
    expect(String(preview.headers['content-security-policy'])).to.contain('sandbox');
    expect(preview.text).not.to.contain('<script>alert(1)</script>');
  });

  it('when a failed mail is sent again then it is back in the queue', async () => {
    ctx.db.prepare("UPDATE outbox SET status = 'failed', attempts = 8 WHERE id = ?").run(mailId);
    const admin = await login(ctx.app, world.admin.email, world.admin.password);
    const token = await csrfOf(admin, `/admin/courriels/${mailId}`);
    const res = await admin.post(`/admin/courriels/${mailId}/renvoyer`).type('form').send({ _csrf: token });
    expect(res.status).to.equal(302);
    expect(ctx.db.prepare('SELECT status, attempts FROM outbox WHERE id = ?').get(mailId)).to.deep.equal({ status: 'pending', attempts: 0 });
  });

  it('when someone else than the admin asks for the outbox then it is refused', async () => {
    for (const user of [world.bureauA, world.chargeA]) {
      const agent = await login(ctx.app, user.email, user.password);
      expect((await agent.get('/admin/courriels')).status).to.equal(403);
      expect((await agent.get(`/admin/courriels/${mailId}`)).status).to.equal(403);
      expect((await agent.get(`/admin/courriels/${mailId}/apercu`)).status).to.equal(403);
    }
  });

  it('when an unknown or malformed id is asked then 404; a bogus filter is ignored', async () => {
    const admin = await login(ctx.app, world.admin.email, world.admin.password);
    expect((await admin.get('/admin/courriels/999999')).status).to.equal(404);
    expect((await admin.get('/admin/courriels/abc')).status).to.equal(404);
    expect((await admin.get('/admin/courriels?statut=nope&page=-3')).status).to.equal(200);
  });
});
