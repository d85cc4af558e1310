/**
 * What browsers and proxies may keep, as a property over every GET route of the router: every
 * answer to a signed-in member (pages, redirects, refusals, downloads and exports) and every
 * private-link page or download of a candidate says `Cache-Control: no-store`.
 */
import { expect } from 'chai';
import { anonymous } from '../helpers/agent.js';
import { createTestContext, type TestContext } from '../helpers/app.js';
import { routeParams } from '../helpers/routes.js';
import { crawl, seedTenant, type SignedInRole, type Tenant } from '../helpers/tenant.js';

describe('cache: no-store for everything a signed-in member or a candidate’s private link receives', function () {
  this.timeout(120_000);
  let ctx: TestContext;
  let tenant: Tenant;
  before(async () => {
    ctx = createTestContext();
    tenant = await seedTenant(ctx);
  });
  after(() => ctx.close());

  for (const role of ['admin', 'bureau', 'charge'] as SignedInRole[]) {
    it(`as ${role}: every GET route answers no-store, whatever its status, downloads and exports included`, async () => {
      const crawled = await crawl(ctx.app, tenant, await tenant.login(role));
      const cacheable = crawled.filter((c) => !/\bno-store\b/.test(c.cacheControl)).map((c) => `GET ${c.route.path} (${c.status}): "${c.cacheControl}"`);
      expect(cacheable, cacheable.join('\n')).to.deep.equal([]);
      if (role === 'bureau') {
        // Documents, ZIP, CSV and calendar files were really served, not refused.
        expect(crawled.filter((c) => c.download && c.status === 200).length).to.be.greaterThan(4);
      }
    });
  }

  it('as a visitor: every page and download of a private link answers no-store; public pages may be revalidated', async () => {
    const crawled = await crawl(ctx.app, tenant, anonymous(ctx.app));
    const privateLinks = crawled.filter((c) => routeParams(c.route.path).includes('token'));
    expect(privateLinks.filter((c) => c.status === 200).length).to.be.greaterThan(3);
    const cacheable = privateLinks.filter((c) => !/\bno-store\b/.test(c.cacheControl)).map((c) => `GET ${c.route.path} (${c.status})`);
    expect(cacheable, cacheable.join('\n')).to.deep.equal([]);
    const board = crawled.find((c) => c.route.path === '/offres')!;
    expect(board.cacheControl).to.equal('no-cache');
  });
});
