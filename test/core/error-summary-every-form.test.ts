/**
 * Error summaries, as a property over every form the pages show (WCAG 3.3.1, RGAA 11.10): each
 * form is sent back blank, then with values of the wrong kind, as every role; every page that
 * comes back with an error summary has a title starting "Erreur : ", and each item of the
 * summary links to a field of the page and starts with that field's label ("Prénom : ce champ
 * est obligatoire."), the label being the one the form shows (its `<label for>`, or the legend
 * of a radio group).
 */
import { expect } from 'chai';
import { pageLabels } from '../../server/core/error-summary.js';
import { anonymous, csrfOf, pageText } from '../helpers/agent.js';
import { createTestContext, type TestContext } from '../helpers/app.js';
import type { FormField } from '../helpers/forms.js';
import { crawl, formsByRoute, seedTenant, type Tenant, type Who } from '../helpers/tenant.js';


/** Removing, erasing or leaving comes last, so that the other routes still find their rows. */
const DESTRUCTIVE = /(supprimer|retirer|effacer|annuler|desactiver|terminer|deconnexion|revoquer)$/;

/** What a person might leave or get wrong: blank everything they type, or type the wrong kind of thing. */
function variant(field: FormField, kind: 'blank' | 'wrong'): string {
  if (['hidden', 'checkbox', 'radio'].includes(field.type)) return field.value;
  if (kind === 'blank') return '';
  switch (field.type) {
    case 'select':
      return 'pas-une-option';
    case 'textarea':
    case 'text':
      return field.value;
    default:
      return 'pas une valeur';
  }
}

const decode = (s: string) => pageText(s).trim();

/**
 * The problems of one error page: its title, and each summary item's link and label. `sent`:
 * the fields the test posted; an item about a field it did not send (a submit button's value,
 * which a browser always sends) is not the summary's fault.
 */
function summaryProblems(html: string, where: string, sent: string[] = []): string[] {
  const problems: string[] = [];
  const summary = /<div class="error-summary"[\s\S]*?<\/ul>/.exec(html)?.[0] ?? '';
  const title = decode(/<title>([\s\S]*?)<\/title>/.exec(html)?.[1] ?? '');
  if (!title.startsWith('Erreur : ')) problems.push(`${where}: title "${title}" does not start with "Erreur : "`);
  const sentIds = sent.map((name) => `f-${name.replace(/\./g, '-')}`);
  for (const [item, id] of summary.matchAll(/<a href="#([^"]+)" data-error-item>[\s\S]*?<\/a>/g)) {
    if (sentIds.some((s) => id === s || id!.startsWith(`${s}-`))) problems.push(`${where}: a summary item names no field of the page: ${item}`);
  }
  const labels = pageLabels(html);
  for (const [, id, text] of summary.matchAll(/<a href="#([^"]+)">([\s\S]*?)<\/a>/g)) {
    if (!labels.ids.has(id!)) problems.push(`${where}: summary links to #${id}, which the page lacks`);
    const shown = [decode(labels.byFor.get(id!) ?? ''), decode(labels.legendOf.get(id!) ?? '')].filter(Boolean);
    const item = decode(text!);
    if (!shown.some((label) => item.startsWith(`${label} : `) && item.length > label.length + 3)) problems.push(`${where}: "${item}" does not start with its field's label (${shown.map((l) => `"${l}"`).join(' or ') || 'none'})`);
  }
  return problems;
}

describe('forms: every error summary names and links its fields, and the title says "Erreur"', function () {
  this.timeout(300_000);

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

      it('when each form is sent blank or with wrong values then each error page names its fields', async () => {
        const { agent: crawler } = await agentFor();
        const routes = formsByRoute(ctx.app, await crawl(ctx.app, tenant, crawler)).filter((r) => r.fields.length);
        routes.sort((a, b) => Number(DESTRUCTIVE.test(a.route.path)) - Number(DESTRUCTIVE.test(b.route.path)));
        const problems: string[] = [];
        const summaries = new Set<string>();
        let items = 0;
        for (const { route, fields } of routes) {
          for (const kind of ['blank', 'wrong'] as const) {
            const { agent, token } = await agentFor();
            const body = new URLSearchParams([['_csrf', token], ...fields.map((f) => [f.name, variant(f, kind)] as [string, string])]);
            const res = await agent.post(tenant.url(route)).type('form').send(body.toString());
            if (typeof res.text !== 'string' || !res.text.includes('class="error-summary"')) continue;
            summaries.add(route.path);
            items += (res.text.match(/<li><a href="#/g) ?? []).length;
            problems.push(...summaryProblems(res.text, `${route.method} ${route.path} (${kind})`, fields.map((f) => f.name)));
          }
        }
        console.log(`      ${who}: ${routes.length} forms sent, ${summaries.size} came back with a summary, ${items} linked items`);
        expect(problems, problems.join('\n')).to.deep.equal([]);
        // The property is about error pages: enough forms must have come back with a summary.
        expect(summaries.size, 'forms that came back with an error summary').to.be.greaterThan(who === 'visitor' ? 1 : 5);
        expect(items, 'summary items checked').to.be.greaterThan(summaries.size);
      });
    });
  }

  it('when a form comes back with errors in English then the title says "Error:" and the label leads', async () => {
    const ctx = createTestContext();
    try {
      const agent = anonymous(ctx.app);
      const token = await csrfOf(agent.set('Cookie', 'coordo.lang=en'), '/connexion');
      const res = await agent.post('/connexion').set('Cookie', 'coordo.lang=en').type('form').send({ _csrf: token, email: '', password: '' });
      expect(res.status).to.equal(422);
      expect(decode(/<title>([\s\S]*?)<\/title>/.exec(res.text)![1]!)).to.match(/^Error: /);
      const summary = /<div class="error-summary"[\s\S]*?<\/ul>/.exec(res.text)![0];
      const label = decode(pageLabels(res.text).byFor.get('f-email')!);
      expect(summary).to.include(`<a href="#f-email">${label}: this field is required.</a>`);
    } finally {
      ctx.close();
    }
  });
});
