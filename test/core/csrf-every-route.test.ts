/**
 * The "Tokens" rule as a property over every state-changing route of the router: without a
 * token, or with a wrong one, in any content type (multipart with a file part included), the
 * answer is 403, no row of any table changes and no file appears in the upload folder, not
 * even for an instant. Routes come from the router, parameters from real rows of a seeded
 * tenant, fields from the forms the pages show.
 */
import fs from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import { pdfFile } from '../fixtures/documents.js';
import { anonymous, csrfOf, type Agent } from '../helpers/agent.js';
import { createTestContext, type TestContext } from '../helpers/app.js';
import { tableDumps } from '../helpers/db-snapshot.js';
import { crawl, formsByRoute, seedTenant, type Tenant, type Who } from '../helpers/tenant.js';

type Attempt = { name: string; send: (agent: Agent, url: string, fields: [string, string][], fileField: string) => Promise<{ status: number }> };

const multipart = (token: string | undefined): Attempt['send'] => (agent, url, fields, fileField) => {
  let req = agent.post(url);
  // The token first, as forms place it: a wrong one must stop the file that follows.
  if (token !== undefined) req = req.field('_csrf', token);
  req = req.field('_probe', '1');
  for (const [k, v] of fields) req = req.field(k, v);
  return req.attach(fileField, pdfFile(), { filename: 'cv.pdf', contentType: 'application/pdf' });
};

const ATTEMPTS: Attempt[] = [
  { name: 'multipart without token', send: multipart(undefined) },
  { name: 'multipart with a wrong token', send: multipart('x'.repeat(43)) },
  { name: 'urlencoded without token', send: (agent, url, fields) => agent.post(url).type('form').send(Object.fromEntries(fields)) },
  { name: 'JSON with a wrong token', send: (agent, url, fields) => agent.post(url).set('Content-Type', 'application/json').send(JSON.stringify({ _csrf: 'x', ...Object.fromEntries(fields) })) },
];

/** Names of every file created under the upload folder while `run` runs, caught as they appear. */
async function filesCreatedDuring(uploadDir: string, run: () => Promise<void>): Promise<string[]> {
  const seen: string[] = [];
  const dirs = [uploadDir, path.join(uploadDir, 'applications'), path.join(uploadDir, 'tmp')].filter((d) => fs.existsSync(d));
  const watchers = dirs.map((d) => fs.watch(d, (_event, name) => name && seen.push(path.join(d, String(name)))));
  try {
    await run();
    // inotify events arrive asynchronously: let them land.
    await new Promise((resolve) => setTimeout(resolve, 2));
  } finally {
    for (const w of watchers) w.close();
  }
  return seen;
}

describe('tokens: every state-changing route refuses a request without a valid CSRF token, whatever its content type', function () {
  this.timeout(300_000);
  let ctx: TestContext;
  let tenant: Tenant;
  before(async () => {
    ctx = createTestContext();
    tenant = await seedTenant(ctx);
  });
  after(() => ctx.close());

  for (const who of ['admin', 'bureau', 'charge', 'visitor'] as Who[]) {
    it(`as ${who}: 403, no row changed and no file stored, for every route and every way of sending`, async () => {
      // The session holds a token, as a browser's does after opening any form: only the request lacks it.
      const { agent } = await tenant.session(who);
      const routes = formsByRoute(ctx.app, await crawl(ctx.app, tenant, agent));
      expect(routes.length).to.be.greaterThan(60);
      // The fields are the pages' own: a harvest that found no form would test empty bodies only.
      expect(routes.filter((r) => r.fields.length).length).to.be.greaterThan(who === 'visitor' ? 3 : 8);
      const failures: string[] = [];
      for (const { route, fields, fileFields } of routes) {
        const url = tenant.url(route);
        const values = fields.map((f) => [f.name, f.value] as [string, string]);
        for (const attempt of ATTEMPTS) {
          const before = tableDumps(ctx.db);
          let status = 0;
          const send = async () => {
            status = (await attempt.send(agent, url, values, fileFields[0] ?? 'document')).status;
          };
          const created = attempt.name.startsWith('multipart') ? await filesCreatedDuring(ctx.config.uploadDir, send) : (await send(), []);
          const after = tableDumps(ctx.db);
          const changed = Object.keys(after).filter((t) => JSON.stringify(after[t]) !== JSON.stringify(before[t]));
          if (status !== 403 || changed.length || created.length) {
            failures.push(`${route.method} ${route.path} (${attempt.name}): ${status}${changed.length ? `, wrote ${changed.join(', ')}` : ''}${created.length ? `, stored ${created.length} file(s)` : ''}`);
          }
        }
      }
      expect(failures, failures.join('\n')).to.deep.equal([]);
    });
  }

  it('when the token is valid then the same multipart route is served (the refusals above are the token, not the encoding)', async () => {
    const agent = await tenant.login('bureau');
    const token = await csrfOf(agent, '/compte');
    const res = await agent.post('/compte').field('_csrf', token).field('name', 'Présidente renommée').field('locale', 'fr');
    expect(res.status).to.equal(302);
    expect(ctx.db.prepare("SELECT name FROM users WHERE email = 'bureau@demo.coordo.test'").pluck().get()).to.equal('Présidente renommée');
  });

  it('when a valid token comes but a file is posted to a route that takes none then it is refused with a 400 and nothing is stored', async () => {
    const agent = await tenant.login('bureau');
    const token = await csrfOf(agent, '/compte');
    const before = tableDumps(ctx.db);
    const created = await filesCreatedDuring(ctx.config.uploadDir, async () => {
      const res = await agent.post('/compte').field('_csrf', token).field('name', 'Autre nom').field('locale', 'fr').attach('document', pdfFile(), 'cv.pdf');
      expect(res.status).to.equal(400);
    });
    expect(created).to.deep.equal([]);
    expect(tableDumps(ctx.db)).to.deep.equal(before);
  });

  it('when a file comes before the token on the upload route then it is refused before a byte is stored, even with the right token after it', async () => {
    const agent = anonymous(ctx.app);
    const slug = tenant.url('/offres/:slug/postuler');
    const token = await csrfOf(agent, slug);
    const before = tableDumps(ctx.db);
    const created = await filesCreatedDuring(ctx.config.uploadDir, async () => {
      const res = await agent.post(slug).attach('cv', pdfFile(), { filename: 'cv.pdf', contentType: 'application/pdf' }).field('_csrf', token);
      expect(res.status).to.equal(403);
    });
    expect(created).to.deep.equal([]);
    expect(tableDumps(ctx.db)).to.deep.equal(before);
  });
});
