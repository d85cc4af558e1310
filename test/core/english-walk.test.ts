import { expect } from 'chai';
import type { Express } from 'express';
import { CATALOGUES } from '../../server/app.js';
import { compileMessage, type Catalogue } from '../../server/core/i18n.js';
import { anonymous, pageText, type Agent } from '../helpers/agent.js';
import { createTestContext, type TestContext } from '../helpers/app.js';
import { listRoutes } from '../helpers/routes.js';
import { seedTenant, type SignedInRole, type Tenant } from '../helpers/tenant.js';

const flat = (s: string) => s.replace(/[\s\u00a0\u202f]+/g, ' ').trim();

/**
 * The French interface text a page could show: each French message that differs from its
 * English one, or for a message with arguments its longest run of literal text. Short runs
 * (a word or two, which posting content may hold too) are left out.
 */
function frenchFragments(): Map<string, string> {
  const english = CATALOGUES.flatMap((c) => Object.values(c.en as Catalogue)).map(flat).join('\n');
  const out = new Map<string, string>();
  for (const c of CATALOGUES) {
    for (const [key, fr] of Object.entries(c.fr)) {
      if (flat(fr) === flat((c.en as Catalogue)[key] ?? '')) continue;
      const ast = compileMessage(fr, 'fr').format.getAst() as { type: number; value?: unknown }[];
      const literals = ast.filter((n) => n.type === 0).map((n) => flat(String(n.value)));
      const longest = literals.sort((a, b) => b.length - a.length)[0] ?? '';
      if (longest.length < 18 || longest.split(' ').length < 3 || english.includes(longest)) continue;
      out.set(longest, key);
    }
  }
  return out;
}

/** Every text stored in the database (postings, mails as sent, templates, notes): content, in its own language. */
function storedText(db: TestContext['db']): string {
  const tables = db.prepare("SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%'").pluck().all() as string[];
  const parts: string[] = [];
  for (const table of tables) {
    for (const row of db.prepare(`SELECT * FROM "${table}"`).raw().all() as unknown[][]) {
      for (const v of row) if (typeof v === 'string' && v.length > 10) parts.push(flat(v));
    }
  }
  return parts.join('\n');
}

/**
 * Every page of the demo, walked in English by each kind of person: no French from the
 * catalogues. Content keeps its language: what is stored (a posting's title, a mail as it was
 * sent in French, a CPTS's templates) and a posting's conditions, written in the posting's
 * language from its fields (server/features/jobs/conditions.ts).
 */
describe('i18n: an English walk of every page of the demo', function () {
  this.timeout(300_000);
  let ctx: TestContext;
  let tenant: Tenant;
  const fragments = frenchFragments();
  before(async () => {
    ctx = createTestContext();
    tenant = await seedTenant(ctx);
    ctx.db.prepare("UPDATE users SET locale = 'en'").run();
    const stored = storedText(ctx.db);
    for (const [fragment, key] of fragments) if (stored.includes(fragment) || key.startsWith('jobs.cond.')) fragments.delete(fragment);
  });
  after(() => ctx.close());

  async function frenchOn(agent: Agent): Promise<{ pages: number; found: string[] }> {
    const found: string[] = [];
    let pages = 0;
    for (const route of listRoutes(ctx.app as Express).filter((r) => r.method === 'GET')) {
      const url = tenant.url(route);
      const res = await agent.get(url).buffer(true);
      const type = String(res.headers['content-type'] ?? '');
      if (!/html|csv|text\/plain/.test(type) || typeof res.text !== 'string') continue;
      pages++;
      const text = flat(/html/.test(type) ? pageText(res.text) : res.text);
      for (const [fragment, key] of fragments) if (text.includes(fragment)) found.push(`${route.path} (${res.status}): ${key} “${fragment}”`);
    }
    return { pages, found };
  }

  for (const role of ['admin', 'bureau', 'charge'] as SignedInRole[]) {
    it(`as ${role} with English chosen: no page shows French interface text`, async () => {
      const { pages, found } = await frenchOn(await tenant.login(role));
      expect(pages).to.be.greaterThan(40);
      expect(found, found.join('\n')).to.deep.equal([]);
    });
  }

  it('as a visitor who chose English: no public page or private link shows French interface text', async () => {
    const agent = anonymous(ctx.app as Express);
    await agent.get('/langue?locale=en&retour=%2F');
    const { pages, found } = await frenchOn(agent);
    expect(pages).to.be.greaterThan(10);
    expect(found, found.join('\n')).to.deep.equal([]);
  });

  it('when the French fragments are gathered then there are many, and a French page shows them', async () => {
    expect(fragments.size).to.be.greaterThan(800);
    const page = flat(pageText((await anonymous(ctx.app as Express).get('/connexion')).text));
    expect([...fragments.keys()].filter((f) => page.includes(f)).length).to.be.greaterThan(2);
  });
});
