import { expect } from 'chai';
import type { DB } from '../../server/core/db.js';
import { toCsv, neutralise, frenchDate } from '../../server/features/dashboards/csv.js';
import { buildReport, regionalDashboard } from '../../server/features/dashboards/service.js';
import { login, pageText } from '../helpers/agent.js';
import { createTestContext, type TestContext } from '../helpers/app.js';
import { createOrganisation, createUser, createWorld } from '../helpers/factories.js';
import { createApplication, createPosting, stagesOf, type PostingFixture } from '../pipeline/fixtures.js';

/** Splits a `;` CSV (quotes respected) into rows of cells; drops the BOM. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  const s = text.replace(/^\uFEFF/, '');
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (quoted) {
      if (c === '"' && s[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ';') {
      row.push(cell);
      cell = '';
    } else if (c === '\n') {
      row.push(cell.replace(/\r$/, ''));
      rows.push(row);
      row = [];
      cell = '';
    } else cell += c;
  }
  if (cell || row.length) {
    row.push(cell);
    rows.push(row);
  }
  return rows;
}

const day = (d: number, h = 9) => new Date(Date.UTC(2026, 2, d, h)).toISOString(); // March 2026

function move(db: DB, applicationId: number, posting: PostingFixture, key: string, at: string, reason?: string) {
  const stage = stagesOf(db, posting.id).find((s) => s.stage_key === key)!;
  db.prepare('UPDATE pipeline_cards SET stage_id = ?, entered_at = ?, rejection_reason = COALESCE(?, rejection_reason) WHERE application_id = ?').run(stage.id, at, reason ?? null, applicationId);
  db.prepare(
    `INSERT INTO pipeline_moves (organisation_id, application_id, to_stage_id, to_name, actor_name, created_at)
     SELECT organisation_id, application_id, ?, ?, 'Bureau A', ? FROM pipeline_cards WHERE application_id = ?`,
  ).run(stage.id, stage.name, at, applicationId);
}

describe('dashboards: report numbers on a fixed data set', () => {
  let ctx: TestContext;
  let world: Awaited<ReturnType<typeof createWorld>>;
  let posting: PostingFixture;

  before(async () => {
    ctx = createTestContext();
    world = await createWorld(ctx.db);
    const db = ctx.db;
    posting = createPosting(db, world.orgA.id, { title: '=HYPERLINK("http://evil.test")' });
    db.prepare('UPDATE postings SET published_at = ? WHERE id = ?').run(day(1), posting.id);
    // Five applications on 2, 3, 4, 5 and 6 March; sources: 2 network, 2 board, 1 social.
    const sources = ['network', 'network', 'board', 'board', 'social'];
    const apps = sources.map((source, i) => {
      const a = createApplication(db, posting, { createdAt: day(2 + i) });
      db.prepare('UPDATE applications SET source = ? WHERE id = ?').run(source, a.id);
      return a.id;
    });
    const [a1, a2, a3, a4] = apps as [number, number, number, number, number];
    // a1: screening (day 4) → interview (6) → offer (10) → hired (11), offer accepted on day 11.
    move(db, a1, posting, 'screening', day(4));
    move(db, a1, posting, 'interview', day(6));
    move(db, a1, posting, 'offer', day(10));
    move(db, a1, posting, 'hired', day(11));
    db.prepare(
      `INSERT INTO offers (organisation_id, posting_id, application_id, start_date, contract_type, fte_percent, salary_gross_yearly, status, created_at, answered_at)
       VALUES (?, ?, ?, '2026-04-01', 'CDI', 100, 38000, 'accepted', ?, ?)`,
    ).run(world.orgA.id, posting.id, a1, day(10), day(11));
    // a2: screening (day 5) → interview (day 7) → rejected after interview (day 9).
    move(db, a2, posting, 'screening', day(5));
    move(db, a2, posting, 'interview', day(7));
    move(db, a2, posting, 'rejected', day(9), 'after_interview');
    // a3: rejected at once (day 5) for profile; a4: screening (day 7); a5 stays new.
    move(db, a3, posting, 'rejected', day(5), 'profile');
    move(db, a4, posting, 'screening', day(7));
  });
  after(() => ctx.close());

  it('when the report is built then funnel, conversion, time to hire, time in stage, sources and reasons are exact', () => {
    const r = buildReport(ctx.db, { organisationId: world.orgA.id });
    expect(r.funnel.map((f) => [f.stage_key, f.reached])).to.deep.equal([
      ['new', 5],
      ['screening', 3],
      ['interview', 2],
      ['jury', 1],
      ['offer', 1],
      ['hired', 1],
    ]);
    expect(r.funnel.map((f) => f.fromPrevious)).to.deep.equal([null, 60, 67, 50, 100, 100]);
    expect(r.funnel[5]!.fromStart).to.equal(20);
    expect(r.hires).to.have.length(1);
    expect(r.hires[0]!.days).to.equal(10);
    expect(r.averageTimeToHire).to.equal(10);
    const stage = Object.fromEntries(r.timeInStage.map((s) => [s.stage_name, [s.n, s.avg_days]]));
    // New: a1 2→4 (2 d), a2 3→5 (2 d), a3 4→5 (1 d), a4 5→7 (2 d): 4 stays, 1.75 d → 1.8.
    expect(stage['Nouvelle candidature']).to.deep.equal([4, 1.8]);
    // Screening: a1 4→6, a2 5→7 (a4 still there): 2 stays of 2 days.
    expect(stage['Présélection']).to.deep.equal([2, 2]);
    // Interview: a1 6→10 (4 d), a2 7→9 (2 d).
    expect(stage['Entretien']).to.deep.equal([2, 3]);
    expect(r.sources).to.deep.equal([
      { key: 'board', n: 2 },
      { key: 'network', n: 2 },
      { key: 'social', n: 1 },
    ]);
    expect(r.rejections).to.deep.equal([
      { key: 'after_interview', n: 1 },
      { key: 'profile', n: 1 },
    ]);
  });

  it('when a period is chosen then only applications received in it count', () => {
    const r = buildReport(ctx.db, { organisationId: world.orgA.id, from: day(4, 0), to: day(6, 0) });
    expect(r.funnel[0]!.reached).to.equal(2);
    expect(r.sources.reduce((s, x) => s + x.n, 0)).to.equal(2);
  });

  it('when the bureau exports a report then the CSV has a BOM, ; separators, French dates and neutralised formulas', async () => {
    const bureau = await login(ctx.app, world.bureauA.email, world.bureauA.password);
    const res = await bureau.get(`/organisations/${world.orgA.id}/rapports.csv?tableau=time_to_hire`);
    expect(res.status).to.equal(200);
    expect(res.headers['content-type']).to.match(/^text\/csv; charset=utf-8/);
    expect(res.headers['content-disposition']).to.match(/^attachment; filename="?rapport-time-to-hire\.csv/);
    expect(res.text.charCodeAt(0)).to.equal(0xfeff);
    const rows = parseCsv(res.text);
    expect(rows[0]).to.deep.equal(['Offre', 'Référence', 'Publiée le', 'Offre acceptée le', 'Jours']);
    expect(rows[1]).to.deep.equal([`'=HYPERLINK("http://evil.test")`, (ctx.db.prepare('SELECT reference FROM postings WHERE id = ?').get(posting.id) as { reference: string }).reference, '01/03/2026', '11/03/2026', '10']);
    const funnel = parseCsv((await bureau.get(`/organisations/${world.orgA.id}/rapports.csv?tableau=funnel&offre=${posting.id}`)).text);
    expect(funnel[1]).to.deep.equal(['Nouvelles', '5', '', '100\u00a0%']);
    const sources = parseCsv((await bureau.get(`/organisations/${world.orgA.id}/rapports.csv?tableau=sources`)).text);
    expect(sources.slice(1).map((r) => r[1])).to.deep.equal(['2', '2', '1']);
  });

  it('when the reports page is shown then each chart is an accessible SVG with its values in text', async () => {
    const bureau = await login(ctx.app, world.bureauA.email, world.bureauA.password);
    const res = await bureau.get(`/organisations/${world.orgA.id}/rapports?offre=${posting.id}&du=2026-03-01&au=2026-03-31`);
    expect(res.status).to.equal(200);
    expect(res.text).to.match(/<svg class="chart-svg" role="img" aria-labelledby="chart-funnel-title chart-funnel-desc"/);
    expect(res.text).to.contain('<title id="chart-funnel-title">');
    expect(res.text).not.to.match(/style="/);
    expect(res.text).not.to.contain('<script>');
    expect(pageText(res.text)).to.contain('Nouvelles : 5');
    expect(res.text).to.contain('=HYPERLINK(&#34;http://evil.test&#34;)');
  });

  it('when the filters are malformed then the page answers 422 with a French message; another CPTS’s posting is 404', async () => {
    const bureau = await login(ctx.app, world.bureauA.email, world.bureauA.password);
    const bad = await bureau.get(`/organisations/${world.orgA.id}/rapports?du=2026-02-30&offre=abc`);
    expect(bad.status).to.equal(422);
    expect(pageText(bad.text)).to.contain('Saisissez une date au format AAAA-MM-JJ.');
    expect((await bureau.get(`/organisations/${world.orgA.id}/rapports?du=2026-03-10&au=2026-03-01`)).status).to.equal(422);
    expect((await bureau.get(`/organisations/${world.orgA.id}/rapports.csv?tableau=nope`)).status).to.equal(422);
    const other = createPosting(ctx.db, world.orgB.id);
    expect((await bureau.get(`/organisations/${world.orgA.id}/rapports?offre=${other.id}`)).status).to.equal(404);
  });

  it('when someone outside the CPTS asks for its dashboard or reports then the answer is 404', async () => {
    for (const u of [world.bureauB, world.chargeB, world.coordinatorA, world.nobody]) {
      const agent = await login(ctx.app, u.email, u.password);
      for (const path of ['tableau-de-bord', 'tableau-de-bord.csv', 'rapports', 'rapports.csv']) {
        expect((await agent.get(`/organisations/${world.orgA.id}/${path}`)).status, `${u.email} ${path}`).to.equal(404);
      }
    }
    const charge = await login(ctx.app, world.chargeA.email, world.chargeA.password);
    expect((await charge.get(`/organisations/${world.orgA.id}/tableau-de-bord`)).status).to.equal(200);
    expect((await charge.get(`/organisations/${world.orgA.id}/rapports`)).status).to.equal(200);
  });

  it('when the bureau opens its dashboard then open postings show counts per stage', async () => {
    const bureau = await login(ctx.app, world.bureauA.email, world.bureauA.password);
    const res = await bureau.get(`/organisations/${world.orgA.id}/tableau-de-bord`);
    expect(res.status).to.equal(200);
    expect(pageText(res.text)).to.contain('Offres ouvertes et candidatures en cours par étape');
    const csv = parseCsv((await bureau.get(`/organisations/${world.orgA.id}/tableau-de-bord.csv`)).text);
    // Active: a4 in screening, a5 new (the hired and rejected ones are no longer in the running).
    expect(csv[1]!.slice(4)).to.deep.equal(['1', '1', '0', '0', '0', '0', '2']);
  });
});

describe('dashboards: the regional table', () => {
  let ctx: TestContext;
  let world: Awaited<ReturnType<typeof createWorld>>;

  before(async () => {
    ctx = createTestContext();
    world = await createWorld(ctx.db);
    // Alpha has a coordinator and a recent posting; Alpha Deux has neither (vacancy, no posting).
    createPosting(ctx.db, world.orgA.id);
  });
  after(() => ctx.close());

  it('when rows are built then a vacancy without posting comes first and a coordinator in post is named', () => {
    const rows = regionalDashboard(ctx.db, world.regionA.id);
    expect(rows.map((r) => r.name)).to.deep.equal(['CPTS Alpha Deux', 'CPTS Alpha']);
    expect(rows[0]!.attention).to.deep.equal(['vacancy_no_posting']);
    expect(rows[1]!.coordinators).to.equal('Coord A');
    expect(rows[1]!.openPostings).to.equal(1);
  });

  it('when the region has more CPTS then the number of SQL statements stays the same (no N+1)', async () => {
    const count = () => {
      let n = 0;
      const original = ctx.db.prepare.bind(ctx.db);
      (ctx.db as { prepare: DB['prepare'] }).prepare = ((sql: string) => {
        n++;
        return original(sql);
      }) as DB['prepare'];
      try {
        regionalDashboard(ctx.db, world.regionA.id);
      } finally {
        (ctx.db as { prepare: DB['prepare'] }).prepare = original;
      }
      return n;
    };
    const before = count();
    for (let i = 0; i < 6; i++) {
      const org = createOrganisation(ctx.db, world.regionA.id, { name: `CPTS Extra ${i}` });
      const p = createPosting(ctx.db, org.id);
      createApplication(ctx.db, p);
      await createUser(ctx.db, { name: `Coord ${i}`, memberships: [{ organisationId: org.id, role: 'coordinator' }] });
    }
    expect(regionalDashboard(ctx.db, world.regionA.id)).to.have.length(8);
    expect(count()).to.equal(before);
    expect(before).to.be.at.most(6);
  });

  it('when the chargée de mission opens it then the page and the CSV answer; another region or a bureau gets 404', async () => {
    const charge = await login(ctx.app, world.chargeA.email, world.chargeA.password);
    const res = await charge.get(`/regions/${world.regionA.id}/tableau-de-bord`);
    expect(res.status).to.equal(200);
    expect(pageText(res.text)).to.contain('Poste vacant sans offre publiée');
    const csv = await charge.get(`/regions/${world.regionA.id}/tableau-de-bord.csv`);
    expect(csv.status).to.equal(200);
    const rows = parseCsv(csv.text);
    expect(rows[0]![0]).to.equal('CPTS');
    expect(rows[1]![0]).to.equal('CPTS Alpha Deux');
    expect((await charge.get(`/regions/${world.regionB.id}/tableau-de-bord`)).status).to.equal(404);
    expect((await charge.get('/regions/xyz/tableau-de-bord')).status).to.equal(404);
    const bureau = await login(ctx.app, world.bureauA.email, world.bureauA.password);
    expect((await bureau.get(`/regions/${world.regionA.id}/tableau-de-bord`)).status).to.equal(404);
    expect((await bureau.get(`/regions/${world.regionA.id}/tableau-de-bord.csv`)).status).to.equal(404);
  });
});

describe('dashboards: CSV cells', () => {
  it('when a cell starts with a formula character then it gets a leading apostrophe', () => {
    for (const v of ['=1+1', '+33 6', '-2', '@SUM(A1)', '\tx', '\rx']) expect(neutralise(v)).to.equal(`'${v}`);
    expect(neutralise('Coordinatrice')).to.equal('Coordinatrice');
    expect(frenchDate('2026-03-01')).to.equal('01/03/2026');
    expect(frenchDate('2026-02-28T23:30:00.000Z')).to.equal('01/03/2026'); // Paris time
    const csv = toCsv(['a', 'b'], [['x;y', 'dit "oui"'], [1.5, -3]]);
    expect(parseCsv(csv)).to.deep.equal([
      ['a', 'b'],
      ['x;y', 'dit "oui"'],
      ['1,5', '-3'],
    ]);
  });
});
