/**
 * Who may see and edit what: the envelope amounts belong to the region (its chargés de mission
 * and the admin), a CPTS's contract and costs to its bureau; nobody else, and every refusal is a
 * 404 that reveals nothing and writes nothing.
 */
import { expect } from 'chai';
import { anonymous, csrfOf, login, pageText, type Agent } from '../helpers/agent.js';
import { createTestContext, type TestContext } from '../helpers/app.js';
import { rowCounts } from '../helpers/db-snapshot.js';
import { createWorld } from '../helpers/factories.js';

type World = Awaited<ReturnType<typeof createWorld>>;
type Who = 'bureauA' | 'bureauB' | 'chargeA' | 'chargeB' | 'coordinatorA' | 'admin' | 'nobody';
type Route = { name: string; method: 'GET' | 'POST'; path: () => string; body?: () => Record<string, string>; allowed: Who[]; okStatus: number };

describe('funding: who may see and edit what', function () {
  this.timeout(60_000);
  let ctx: TestContext;
  let w: World;
  const agents = {} as Record<Who, Agent>;
  const tokens = {} as Record<Who, string>;
  let commitmentId: number;
  let envelopeId: number;
  let postingId: number;

  const WHO: Who[] = ['bureauA', 'bureauB', 'chargeA', 'chargeB', 'coordinatorA', 'admin', 'nobody'];

  before(async () => {
    ctx = createTestContext();
    w = await createWorld(ctx.db);
    for (const who of WHO) {
      const u = w[who];
      agents[who] = await login(ctx.app, u.email, u.password);
      tokens[who] = await csrfOf(agents[who], '/compte');
    }
  });
  after(() => ctx?.close());

  /** Fresh rows for each route: a commitment of CPTS Alpha, a region A amount, a draft of Alpha. */
  beforeEach(() => {
    const now = new Date().toISOString();
    ctx.db.prepare('DELETE FROM funding_commitments').run();
    ctx.db.prepare('DELETE FROM funding_envelopes WHERE region_id IS NOT NULL').run();
    commitmentId = Number(
      ctx.db
        .prepare("INSERT INTO funding_commitments (organisation_id, kind, label, amount, created_at, updated_at) VALUES (?, 'other', 'Loyer', 6000, ?, ?)")
        .run(w.orgA.id, now, now).lastInsertRowid,
    );
    envelopeId = Number(
      ctx.db
        .prepare("INSERT INTO funding_envelopes (region_id, size_class, year, amount, source, source_date, updated_at) VALUES (?, 2, 2030, 110000, 'Arrêté test', '2029-12-01', ?)")
        .run(w.regionA.id, now).lastInsertRowid,
    );
    postingId ??= Number(
      ctx.db
        .prepare(
          `INSERT INTO postings (organisation_id, slug, kind, title, location, contract_type, fte_percent, salary_min, salary_max, summary, description_md, contact_name, contact_email, status, created_at, updated_at)
           VALUES (?, 'gestionnaire-acces', 'case_manager', 'Coordination de parcours', 'Le Mans', 'CDI', 80, 27000, 36000, '', '', 'A', 'a@example.test', 'draft', ?, ?)`,
        )
        .run(w.orgA.id, now, now).lastInsertRowid,
    );
  });

  const org = () => `/organisations/${w.orgA.id}/financement`;
  const region = () => `/regions/${w.regionA.id}/financement`;
  const ROUTES: Route[] = [
    { name: "the CPTS's funding page", method: 'GET', path: org, allowed: ['bureauA'], okStatus: 200 },
    { name: 'saving the ACI contract', method: 'POST', path: () => `${org()}/contrat`, body: () => ({ aci_size: '2', aci_start_year: '2023', new_post_rate_percent: '45' }), allowed: ['bureauA'], okStatus: 302 },
    { name: 'the new-cost form', method: 'GET', path: () => `${org()}/charges/nouvelle`, allowed: ['bureauA'], okStatus: 200 },
    { name: 'adding a cost', method: 'POST', path: () => `${org()}/charges`, body: () => ({ kind: 'other', label: 'Assurance', amount: '900' }), allowed: ['bureauA'], okStatus: 302 },
    { name: 'the cost edit form', method: 'GET', path: () => `${org()}/charges/${commitmentId}`, allowed: ['bureauA'], okStatus: 200 },
    { name: 'editing a cost', method: 'POST', path: () => `${org()}/charges/${commitmentId}`, body: () => ({ label: 'Loyer du local', amount: '6500' }), allowed: ['bureauA'], okStatus: 302 },
    { name: 'removing a cost', method: 'POST', path: () => `${org()}/charges/${commitmentId}/supprimer`, allowed: ['bureauA'], okStatus: 302 },
    { name: 'the printable sheet', method: 'GET', path: () => `${org()}/fiche`, allowed: ['bureauA'], okStatus: 200 },
    { name: 'the printable sheet of a posting', method: 'GET', path: () => `${org()}/fiche?offre=${postingId}`, allowed: ['bureauA'], okStatus: 200 },
    { name: "the region's envelope page", method: 'GET', path: region, allowed: ['chargeA', 'admin'], okStatus: 200 },
    { name: 'saving a region amount', method: 'POST', path: region, body: () => ({ size_class: '3', year: '2031', amount: '140000', source: 'Avenant test', source_date: '2030-06-30' }), allowed: ['chargeA', 'admin'], okStatus: 302 },
    { name: 'removing a region amount', method: 'POST', path: () => `${region()}/${envelopeId}/supprimer`, allowed: ['chargeA', 'admin'], okStatus: 302 },
  ];

  for (const route of ROUTES) {
    for (const who of WHO) {
      const allowed = route.allowed.includes(who);
      it(`${route.name} (${route.method}): ${who} is ${allowed ? 'allowed' : 'refused with a 404 and nothing written'}`, async () => {
        const before = rowCounts(ctx.db);
        const beforeRows = JSON.stringify([ctx.db.prepare('SELECT * FROM funding_commitments').all(), ctx.db.prepare('SELECT * FROM funding_envelopes').all(), ctx.db.prepare('SELECT * FROM funding_profiles').all()]);
        const res =
          route.method === 'GET'
            ? await agents[who].get(route.path())
            : await agents[who].post(route.path()).type('form').send({ _csrf: tokens[who], ...(route.body?.() ?? {}) });
        if (allowed) {
          expect(res.status, route.path()).to.equal(route.okStatus);
        } else {
          expect(res.status, route.path()).to.equal(404);
          expect(rowCounts(ctx.db)).to.deep.equal(before);
          const afterRows = JSON.stringify([ctx.db.prepare('SELECT * FROM funding_commitments').all(), ctx.db.prepare('SELECT * FROM funding_envelopes').all(), ctx.db.prepare('SELECT * FROM funding_profiles').all()]);
          expect(afterRows).to.equal(beforeRows);
        }
      });
    }
    it(`${route.name} (${route.method}) without a session: ${route.method === 'GET' ? 'sent to the login page' : 'refused with a 401'}`, async () => {
      const agent = anonymous(ctx.app);
      if (route.method === 'GET') {
        const res = await agent.get(route.path());
        expect(res.status).to.equal(302);
        expect(res.headers.location).to.match(/^\/connexion\?suite=/);
      } else {
        const token = await csrfOf(agent, '/connexion');
        const before = rowCounts(ctx.db);
        const res = await agent.post(route.path()).type('form').send({ _csrf: token, ...(route.body?.() ?? {}) });
        expect(res.status).to.equal(401);
        expect(rowCounts(ctx.db)).to.deep.equal(before);
      }
    });
  }

  it('when the bureau of another CPTS names a commitment of CPTS Alpha under its own CPTS then it is a 404 and the row is unchanged', async () => {
    const res = await agents.bureauB.post(`/organisations/${w.orgB.id}/financement/charges/${commitmentId}`).type('form').send({ _csrf: tokens.bureauB, label: 'Piraté', amount: '1' });
    expect(res.status).to.equal(404);
    const del = await agents.bureauB.post(`/organisations/${w.orgB.id}/financement/charges/${commitmentId}/supprimer`).type('form').send({ _csrf: tokens.bureauB });
    expect(del.status).to.equal(404);
    expect(ctx.db.prepare('SELECT label, amount FROM funding_commitments WHERE id = ?').get(commitmentId)).to.deep.equal({ label: 'Loyer', amount: 6000 });
  });

  it('when a chargé de mission of another region removes an amount of region A through their own region then it is a 404', async () => {
    const res = await agents.chargeB.post(`/regions/${w.regionB.id}/financement/${envelopeId}/supprimer`).type('form').send({ _csrf: tokens.chargeB });
    expect(res.status).to.equal(404);
    expect(ctx.db.prepare('SELECT amount FROM funding_envelopes WHERE id = ?').get(envelopeId)).to.deep.equal({ amount: 110000 });
  });

  it('when the bureau of another CPTS asks for the sheet of a posting of CPTS Alpha then it is a 404', async () => {
    expect((await agents.bureauB.get(`/organisations/${w.orgB.id}/financement/fiche?offre=${postingId}`)).status).to.equal(404);
  });

  it('when the chargée de mission opens a draft or a workload review of the CPTS then she sees no funding figures', async () => {
    const res = await agents.chargeA.get(`/gestion/offres/${postingId}`);
    expect(res.status).to.equal(200);
    expect(pageText(res.text)).not.to.contain('Vérification du financement');
    const mine = await agents.bureauA.get(`/gestion/offres/${postingId}`);
    expect(pageText(mine.text)).to.contain('Vérification du financement');
  });

  it('when a region amount is saved then the audit log records who changed it', async () => {
    const res = await agents.chargeA.post(region()).type('form').send({ _csrf: tokens.chargeA, size_class: '1', year: '2032', amount: '90000', source: 'Avenant test', source_date: '2031-01-15' });
    expect(res.status).to.equal(302);
    const entry = ctx.db.prepare("SELECT actor_user_id, details FROM audit_log WHERE action = 'funding.envelope.saved' ORDER BY id DESC").get() as { actor_user_id: number; details: string };
    expect(entry.actor_user_id).to.equal(w.chargeA.id);
    expect(JSON.parse(entry.details)).to.include({ size: 1, year: 2032, amount: 90000 });
  });
});
