/**
 * Postings of the same title are told apart everywhere (issue 13), as a property over every GET
 * route of the router: in the demo tenant, a second posting gets exactly the title of the CPTS's
 * main posting; then, for every kind of member (and a visitor), on every HTML page, each
 * occurrence of that title in what a user reads (the page's title included) is followed at once
 * by the reference of one of the postings of that title. The mails the app's templates produced
 * while the demo was seeded are held to the same rule for the demo's coordinator title.
 */
import { expect } from 'chai';
import { anonymous, csrfOf, login, type Agent } from '../helpers/agent.js';
import { createTestContext, type TestContext } from '../helpers/app.js';
import { listRoutes } from '../helpers/routes.js';
import { seedTenant, type Tenant } from '../helpers/tenant.js';
import { readableText, unreferenced } from '../helpers/posting-reference-text.js';
import { DEMO_PASSWORD } from '../../server/demo/seed.js';

const TITLE = 'Coordinateur ou coordinatrice de la CPTS Sud-Loire Vignoble (H/F)';
describe('postings: every occurrence of a posting’s title on a page carries its reference', function () {
  this.timeout(300_000);
  let ctx: TestContext;
  let tenant: Tenant;
  let refs: string[];
  const agents: { who: string; agent: () => Promise<Agent> }[] = [];

  before(async () => {
    ctx = createTestContext();
    tenant = await seedTenant(ctx);
    const { db } = ctx;
    // The CPTS's main posting (the tenant's, with its scorecard, panel and interviews) takes a
    // title of its own, and a second posting of that CPTS is created with the same title.
    const mainUrl = tenant.url('/gestion/offres/:id');
    const mainId = Number(mainUrl.split('/')[3]);
    db.prepare('UPDATE postings SET title = ? WHERE id = ?').run(TITLE, mainId);
    const orgId = (db.prepare('SELECT organisation_id FROM postings WHERE id = ?').get(mainId) as { organisation_id: number }).organisation_id;
    const bureau = await tenant.login('bureau');
    const res = await bureau.post(`/organisations/${orgId}/offres`).type('form').send({ _csrf: await csrfOf(bureau, `/organisations/${orgId}/offres/nouvelle`), template: 'blank', title: TITLE });
    expect(res.status, res.text).to.equal(302);
    const rows = db.prepare('SELECT reference FROM postings WHERE title = ? AND organisation_id = ? ORDER BY id').all(TITLE, orgId) as { reference: string }[];
    expect(rows).to.have.length(2);
    refs = rows.map((r) => r.reference);
    expect(new Set(refs).size).to.equal(2);
    const panelist = db.prepare('SELECT u.email FROM panel_members pm JOIN users u ON u.id = pm.user_id WHERE pm.posting_id = ? AND u.email NOT IN (?, ?) ORDER BY u.id LIMIT 1').get(mainId, 'bureau@demo.coordo.test', 'mission@demo.coordo.test') as { email: string };
    agents.push(
      { who: 'admin', agent: () => tenant.login('admin') },
      { who: 'bureau', agent: () => tenant.login('bureau') },
      { who: 'charge', agent: () => tenant.login('charge') },
      { who: `panelist ${panelist.email}`, agent: () => login(ctx.app, panelist.email, DEMO_PASSWORD) },
      { who: 'coordinator', agent: () => login(ctx.app, 'coordination@demo.coordo.test', DEMO_PASSWORD) },
      { who: 'visitor', agent: async () => anonymous(ctx.app) },
    );
  });
  after(() => ctx.close());

  it('the helper check can fail: a bare title is caught, a referenced one passes', () => {
    expect(unreferenced(`Offre ${TITLE} ouverte`, TITLE, ['2026-01'])).to.have.length(1);
    expect(unreferenced(`${TITLE} (Réf. 2026-01, brouillon)`, TITLE, ['2026-01'])).to.deep.equal([]);
    expect(unreferenced(`${TITLE} (Réf. 2026-011)`, TITLE, ['2026-01'])).to.have.length(1);
  });

  it('when each kind of member and a visitor requests every GET route then each occurrence of the shared title is followed by a posting’s reference', async () => {
    const routes = listRoutes(ctx.app).filter((r) => r.method === 'GET');
    const problems: string[] = [];
    let pagesWithTitle = 0;
    for (const { who, agent: make } of agents) {
      const agent = await make();
      for (const route of routes) {
        const url = tenant.url(route);
        const res = await agent.get(url);
        if (!/html/.test(String(res.headers['content-type'] ?? ''))) continue;
        const text = readableText(res.text);
        if (!text.includes(TITLE)) continue;
        pagesWithTitle++;
        for (const bare of unreferenced(text, TITLE, refs)) problems.push(`${who} GET ${route.path} (${url}): ${bare}`);
      }
    }
    expect(pagesWithTitle).to.be.greaterThan(15);
    expect(problems, problems.join('\n')).to.deep.equal([]);
  });

  it('when the demo was seeded then every mail its templates produced names a posting of the shared demo title with that posting’s reference (subject, text, HTML, calendar files)', () => {
    const title = 'Coordinateur ou coordinatrice de CPTS (H/F)';
    // The main posting had this title when the demo's mails were written (it was renamed above).
    const demoRefs = [...(ctx.db.prepare('SELECT DISTINCT reference FROM postings WHERE title = ?').all(title) as { reference: string }[]).map((r) => r.reference), ...refs];
    expect(demoRefs.length).to.be.greaterThan(1);
    const rows = ctx.db.prepare('SELECT id, template, subject, text_body, html_body, attachments FROM outbox ORDER BY id').all() as { id: number; template: string; subject: string; text_body: string; html_body: string; attachments: string }[];
    const problems: string[] = [];
    let named = 0;
    for (const r of rows) {
      for (const [part, text] of [['subject', r.subject], ['text', r.text_body], ['html', readableText(r.html_body ?? '')], ['ics', r.attachments ?? '']] as const) {
        const folded = part === 'ics' ? text.replace(/\\r\\n[ \t]|\r\n[ \t]/g, '').replace(/\\([,;])/g, '$1') : text.replace(/\s+/g, ' ');
        if (folded.includes(title)) named++;
        for (const bare of unreferenced(folded, title, demoRefs)) problems.push(`mail ${r.id} (${r.template}) ${part}: ${bare}`);
      }
    }
    expect(named).to.be.greaterThan(5);
    expect(problems, problems.join('\n')).to.deep.equal([]);
  });
});
