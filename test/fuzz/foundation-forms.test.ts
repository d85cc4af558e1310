import { expect } from 'chai';
import fc from 'fast-check';
import { anonymous, csrfOf, login, type Agent } from '../helpers/agent.js';
import { createTestContext, type TestContext } from '../helpers/app.js';
import { createWorld } from '../helpers/factories.js';
import { hasUnescapedPayload, hostileForm } from '../helpers/fuzz.js';

type Counts = Record<string, number>;

describe('fuzz: foundation forms never answer 5xx, never half-write, always escape', function () {
  this.timeout(120_000);
  let ctx: TestContext;
  let world: Awaited<ReturnType<typeof createWorld>>;
  let bureau: Agent;
  let admin: Agent;
  before(async () => {
    ctx = createTestContext();
    world = await createWorld(ctx.db);
    bureau = await login(ctx.app, world.bureauA.email, world.bureauA.password);
    admin = await login(ctx.app, world.admin.email, world.admin.password);
  });
  after(() => ctx.close());

  const counts = (): Counts =>
    Object.fromEntries(
      ['users', 'memberships', 'invitations', 'organisations', 'regions', 'outbox', 'password_resets'].map((t) => [t, (ctx.db.prepare(`SELECT COUNT(*) AS n FROM ${t}`).get() as { n: number }).n]),
    );

  const email = fc.emailAddress();
  const text = fc.string({ minLength: 1, maxLength: 40 });

  const forms: { name: string; agent: () => Agent; path: string; tokenPage: string; fields: Record<string, fc.Arbitrary<unknown>> }[] = [
    { name: 'login', agent: () => anonymous(ctx.app), path: '/connexion', tokenPage: '/connexion', fields: { email, password: text, suite: text } },
    { name: 'forgot password', agent: () => anonymous(ctx.app), path: '/mot-de-passe-oublie', tokenPage: '/connexion', fields: { email } },
    { name: 'account', agent: () => bureau, path: '/compte', tokenPage: '/compte', fields: { name: text, locale: fc.constantFrom('fr', 'en') } },
    { name: 'change password', agent: () => bureau, path: '/compte/mot-de-passe', tokenPage: '/compte', fields: { current: text, password: text, confirm: text } },
    {
      name: 'invitation',
      agent: () => bureau,
      path: '', // set below: needs the organisation id
      tokenPage: '/compte',
      fields: { email, name: text, role: fc.constantFrom('bureau', 'coordinator', 'case_manager'), title: text },
    },
    {
      name: 'CPTS edit',
      agent: () => bureau,
      path: '',
      tokenPage: '/compte',
      fields: { name: text, department: text, territory: text, population: fc.nat().map(String), presentation: text, email },
    },
    { name: 'new region', agent: () => admin, path: '/admin/regions', tokenPage: '/admin', fields: { name: text } },
  ];

  for (const form of forms) {
    it(`when the ${form.name} form gets random and hostile input then no 5xx, escaped output, and writes only on success`, async () => {
      const path =
        form.name === 'invitation' ? `/organisations/${world.orgA.id}/invitations` : form.name === 'CPTS edit' ? `/organisations/${world.orgA.id}/modifier` : form.path;
      const agent = form.agent();
      const token = await csrfOf(agent, form.tokenPage);
      await fc.assert(
        fc.asyncProperty(hostileForm(form.fields), async (body) => {
          const before = counts();
          const res = await agent.post(path).type('form').send({ ...body, _csrf: token });
          expect(res.status, JSON.stringify(body).slice(0, 300)).to.be.below(500);
          expect(hasUnescapedPayload(res.text)).to.equal(false);
          if (res.status >= 400) expect(counts()).to.deep.equal(before);
        }),
        { numRuns: 40, seed: 20261123 },
      );
    });
  }
});
