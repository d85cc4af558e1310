/**
 * The tenant rule as a property over every route of the router: a member of another CPTS, in
 * another region (its bureau, its chargée de mission), asks for every page and sends every form
 * of the seeded CPTS, with that CPTS's real ids in the URL and the fields its own pages show,
 * and a valid CSRF token of their own session. They get a refusal (403 or 404) wherever the
 * owners are served and a visitor is not; nothing of any table changes; and no page they are
 * shown, wherever it is, carries a name or an address of the region's candidates. Routes come
 * from the router, parameters from the tenant helper: a new route is covered the day it exists.
 */
import { expect } from 'chai';
import type { Express } from 'express';
import { anonymous, csrfOf, login, type Agent } from '../helpers/agent.js';
import { createTestContext, type TestContext } from '../helpers/app.js';
import { tableDumps } from '../helpers/db-snapshot.js';
import { createOrganisation, createRegion, createUser } from '../helpers/factories.js';
import { listRoutes, routeParams, type AppRoute } from '../helpers/routes.js';
import { crawl, formsByRoute, seedTenant, type Tenant } from '../helpers/tenant.js';

/** Parameters that are capabilities (a signed link, a public slug): whoever holds them is let in by design. */
const CAPABILITIES = new Set(['token', 'slug']);
const isResource = (route: AppRoute) => {
  const params = routeParams(route.path);
  return params.length > 0 && !params.some((p) => CAPABILITIES.has(p));
};

describe('tenant: a member of another CPTS reaches nothing of this one, by any route', function () {
  this.timeout(300_000);
  let ctx: TestContext;
  let tenant: Tenant;
  let outsiders: { name: string; agent: Agent; token: string }[];
  let markers: string[];
  let ownersServe: Set<string>;
  let visitorServes: Set<string>;

  before(async () => {
    ctx = createTestContext();
    tenant = await seedTenant(ctx);
    const region = createRegion(ctx.db, 'Bretagne');
    const org = createOrganisation(ctx.db, region.id, { name: 'CPTS du Large' });
    const bureau = await createUser(ctx.db, { name: 'Présidente du Large', memberships: [{ organisationId: org.id, role: 'bureau' }] });
    const charge = await createUser(ctx.db, { name: 'Chargée de Bretagne', memberships: [{ regionId: region.id, role: 'charge_de_mission' }] });
    outsiders = [];
    for (const [name, user] of [['bureau of another CPTS', bureau], ['chargée of another region', charge]] as const) {
      const agent = await login(ctx.app as Express, user.email, user.password);
      outsiders.push({ name, agent, token: await csrfOf(agent, '/compte') });
    }
    // What must never reach them: the names and addresses of the seeded region's candidates.
    const people = ctx.db
      .prepare('SELECT DISTINCT cd.first_name, cd.last_name, cd.email FROM candidates cd JOIN applications a ON a.candidate_id = cd.id')
      .all() as { first_name: string; last_name: string; email: string }[];
    markers = [...new Set(people.flatMap((p) => [`${p.first_name} ${p.last_name}`, p.email]))].filter((m) => m.length >= 8);
    expect(markers.length).to.be.greaterThan(10);
    // Which concrete URLs the owners are served, and which a visitor is.
    ownersServe = new Set();
    for (const role of ['bureau', 'charge', 'admin'] as const) {
      const agent = await tenant.login(role);
      for (const c of await crawl(ctx.app as Express, tenant, agent)) if (c.status === 200) ownersServe.add(c.url);
    }
    visitorServes = new Set((await crawl(ctx.app as Express, tenant, anonymous(ctx.app as Express))).filter((c) => c.status < 300).map((c) => c.url));
  });
  after(() => ctx.close());

  it('when an outsider opens every page with this CPTS’s ids then each one the owners are served is refused, and no page shows a candidate of the region', async () => {
    const resources = listRoutes(ctx.app as Express).filter((r) => r.method === 'GET');
    const checked = resources.filter((r) => isResource(r) && ownersServe.has(tenant.url(r)) && !visitorServes.has(tenant.url(r)));
    expect(checked.length).to.be.greaterThan(40);
    const failures: string[] = [];
    for (const outsider of outsiders) {
      for (const route of resources) {
        const url = tenant.url(route);
        const res = await outsider.agent.get(url).buffer(true);
        const body = typeof res.text === 'string' ? res.text : '';
        if (checked.includes(route) && res.status !== 403 && res.status !== 404) failures.push(`${outsider.name}: GET ${route.path} answered ${res.status}`);
        const leaked = markers.filter((m) => body.includes(m));
        if (leaked.length && !visitorServes.has(url)) failures.push(`${outsider.name}: GET ${route.path} shows ${leaked.slice(0, 3).join(', ')}`);
      }
    }
    expect(failures, failures.join('\n')).to.deep.equal([]);
  });

  it('when an outsider sends every form of this CPTS with a valid token of their own then it is refused and nothing changes', async () => {
    const owners = await tenant.login('bureau');
    const charge = await tenant.login('charge');
    const routes = [
      ...formsByRoute(ctx.app as Express, await crawl(ctx.app as Express, tenant, owners)),
      ...formsByRoute(ctx.app as Express, await crawl(ctx.app as Express, tenant, charge)),
    ].filter((r) => isResource(r.route));
    // One entry per route, with every field either owner's pages show.
    const byPath = new Map<string, (typeof routes)[number]>();
    for (const r of routes) {
      const key = `${r.route.method} ${r.route.path}`;
      const seen = byPath.get(key);
      if (!seen) byPath.set(key, r);
      else for (const f of r.fields) if (!seen.fields.some((g) => g.name === f.name)) seen.fields.push(f);
    }
    expect(byPath.size).to.be.greaterThan(60);
    const failures: string[] = [];
    for (const outsider of outsiders) {
      for (const { route, fields } of byPath.values()) {
        const before = tableDumps(ctx.db);
        const res = await outsider.agent
          .post(tenant.url(route))
          .type('form')
          .send({ ...Object.fromEntries(fields.map((f) => [f.name, f.value])), _csrf: outsider.token });
        const after = tableDumps(ctx.db);
        const changed = Object.keys(after).filter((t) => JSON.stringify(after[t]) !== JSON.stringify(before[t]));
        if (res.status < 400 || res.status >= 500 || changed.length) failures.push(`${outsider.name}: ${route.method} ${route.path} answered ${res.status}${changed.length ? `, wrote ${changed.join(', ')}` : ''}`);
      }
    }
    expect(failures, failures.join('\n')).to.deep.equal([]);
  });
});
