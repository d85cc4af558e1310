/**
 * Control characters, as a property over every route that takes a body and every GET filter:
 * each field of each form the pages show is sent with a NUL first and control characters in
 * the middle (and a lone carriage return), urlencoded and multipart, as every role. Never a
 * 500, and afterwards no table holds a control character (tab and newline aside) that the
 * seeded data did not already have. Query strings likewise never answer 500.
 */
import { expect } from 'chai';
import { pdfFile } from '../fixtures/documents.js';
import { withoutControlCharacters } from '../../server/core/forms.js';
import { createTestContext, type TestContext } from '../helpers/app.js';
import { controlCharacterCells } from '../helpers/db-snapshot.js';
import type { FormField } from '../helpers/forms.js';
import { crawl, formsByRoute, seedTenant, type Tenant, type Who } from '../helpers/tenant.js';


/** A value the form would accept once cleaned, with control characters where people never type them. */
function hostile(field: FormField): string {
  const dirty = (s: string) => `\u0000${s.slice(0, 1)}\u0007\u0000\r${s.slice(1)}\u001b`;
  if (field.value !== '' && !['password', 'textarea', 'text'].includes(field.type)) return `\u0000${field.value}`;
  switch (field.type) {
    case 'email':
      return '\u0000nom\u0001.prenom@exemple.test';
    case 'url':
      return '\u0000https://visio.exemple.test/\u0007salle';
    case 'date':
      return '\u00002030-06-1\u00015';
    case 'time':
      return '\u000010:\u000130';
    case 'number':
      return '\u00001\u00012';
    case 'password':
      return '\u0000une phrase\u0007 secrète assez longue';
    default:
      return dirty(field.value || 'Texte saisi\r\nsur deux lignes');
  }
}

/** Removing or erasing comes last, so that the other routes still find their rows. */
const DESTRUCTIVE = /(supprimer|retirer|effacer|annuler|desactiver|terminer|deconnexion)$/;

describe('forms: control characters are cleaned from every value of every form, never a 500', function () {
  this.timeout(300_000);

  it('cleans NUL, C0 and C1 controls but tab and newline, and normalises carriage returns', () => {
    expect(withoutControlCharacters('\u0000a\u0001b\tc\r\nd\re\u007ff\u0085g\n')).to.equal('ab\tc\nd\nefg\n');
    expect(withoutControlCharacters('Crème brûlée — 𝕮 ✓')).to.equal('Crème brûlée — 𝕮 ✓');
  });

  for (const who of ['admin', 'bureau', 'charge', 'visitor'] as Who[]) {
    describe(`as ${who}`, () => {
      let ctx: TestContext;
      let tenant: Tenant;
      before(async () => {
        ctx = createTestContext({ APPLY_RATE_LIMIT: '1000' });
        tenant = await seedTenant(ctx);
      });
      after(() => ctx.close());

      // A fresh session each time: a route that logs out or removes a right spoils no other.
      const agentFor = () => tenant.session(who);

      it('every route with a body, urlencoded and multipart: no 500, no control character stored', async () => {
        const baseline = controlCharacterCells(ctx.db);
        const { agent: crawler } = await agentFor();
        const routes = formsByRoute(ctx.app, await crawl(ctx.app, tenant, crawler));
        routes.sort((a, b) => Number(DESTRUCTIVE.test(a.route.path)) - Number(DESTRUCTIVE.test(b.route.path)));
        const allNames = [...new Set(routes.flatMap((r) => r.fields.map((f) => f.name)))];
        const failures: string[] = [];
        let accepted = 0;
        for (const { route, fields, fileFields } of routes) {
          const url = tenant.url(route);
          // A route no page shows a form for still gets every field name any form uses.
          const sent = fields.length ? fields : allNames.map((name) => ({ name, type: 'text', value: '' }));
          const body = sent.map((f) => [f.name, hostile(f)] as [string, string]);
          for (const encoding of ['urlencoded', 'multipart'] as const) {
            const { agent, token } = await agentFor();
            let req = agent.post(url);
            if (encoding === 'urlencoded') {
              const form = new URLSearchParams([['_csrf', token], ...body]);
              req = req.type('form').send(form.toString());
            } else {
              req = req.field('_csrf', token);
              for (const [k, v] of body) req = req.field(k, v);
              for (const f of fileFields) req = req.attach(f, pdfFile(), { filename: '\u0000CV\u0007.pdf', contentType: 'application/pdf' });
            }
            const res = await req;
            if (res.status >= 500) failures.push(`${route.method} ${route.path} (${encoding}): ${res.status}`);
            if (res.status < 400) accepted++;
          }
        }
        expect(failures, failures.join('\n')).to.deep.equal([]);
        const stored = [...controlCharacterCells(ctx.db)].filter((cell) => !baseline.has(cell));
        expect(stored, stored.join('\n')).to.deep.equal([]);
        // The property is about stored values: enough of the hostile forms must have been accepted.
        expect(accepted).to.be.greaterThan(who === 'visitor' ? 2 : 8);
      });

      it('every GET route with hostile query strings: no 500', async () => {
        const { agent } = await agentFor();
        const crawled = await crawl(ctx.app, tenant, agent);
        const names = [...new Set(['q', 'page', 'status', ...crawled.flatMap((c) => c.forms.filter((f) => f.method === 'get').flatMap((f) => f.fields.map((x) => x.name)))])];
        const query = names.map((n) => `${encodeURIComponent(n)}=%00${encodeURIComponent('a\u0007b')}%0D`).join('&');
        const failures: string[] = [];
        for (const c of crawled) {
          const res = await agent.get(`${c.url}${c.url.includes('?') ? '&' : '?'}${query}`);
          if (res.status >= 500) failures.push(`GET ${c.route.path}: ${res.status}`);
        }
        expect(failures, failures.join('\n')).to.deep.equal([]);
      });
    });
  }
});
