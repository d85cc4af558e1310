import { expect } from 'chai';
import type { DB } from '../../server/core/db.js';
import { nowIso } from '../../server/core/db.js';
import type { Actor } from '../../server/core/policy.js';
import { krippendorffAlpha } from '../../server/features/calibration/alpha.js';
import { raterStats } from '../../server/features/calibration/panelists.js';
import { regionCalibration } from '../../server/features/calibration/service.js';
import { calibrationJob } from '../../server/jobs/calibration.js';
import { refreshStaleSummaries } from '../../server/features/calibration/summaries.js';
import { createTestContext, type TestContext } from '../helpers/app.js';
import { createUser, createWorld } from '../helpers/factories.js';
import { createApplication, createPosting } from '../pipeline/fixtures.js';
import { seatPanel } from '../evaluation/fixtures.js';
import { seededRandom } from '../../server/features/calibration/alpha.js';

/**
 * The region's figures come from per-recruitment summaries kept between visits (migration 031).
 * Whatever happens to evaluations, panels, criteria, candidates and CPTS, the figures a visit
 * shows must equal those computed from the raw ratings at that moment: checked after every step
 * of a random sequence of the writes the app makes, against a direct computation from scratch.
 */

type Raw = { posting: number; application: number; rater: number; criterion: string; level: number };

/** The figures straight from the current submitted ratings (what the page showed before summaries existed). */
function reference(db: DB, regionId: number) {
  const rows = db
    .prepare(
      `SELECT e.posting_id AS posting, e.application_id AS application, e.panelist_user_id AS rater,
              COALESCE(c.criterion_key, 'label:' || lower(c.label)) AS criterion, r.level
       FROM organisations o JOIN evaluations e ON e.organisation_id = o.id
       JOIN evaluation_ratings r ON r.evaluation_id = e.id JOIN scorecard_criteria c ON c.id = r.criterion_id
       WHERE o.region_id = ? AND e.status = 'submitted' AND e.superseded_at IS NULL AND e.panelist_user_id IS NOT NULL AND r.level IS NOT NULL`,
    )
    .all(regionId) as Raw[];
  const panels = new Map<number, Set<number>>();
  for (const m of db.prepare('SELECT pm.posting_id, pm.user_id FROM panel_members pm JOIN organisations o ON o.id = pm.organisation_id WHERE o.region_id = ?').all(regionId) as { posting_id: number; user_id: number }[]) {
    panels.set(m.posting_id, (panels.get(m.posting_id) ?? new Set()).add(m.user_id));
  }
  const raters = new Map<number, { posting: number; raters: Set<number> }>();
  for (const r of rows) raters.set(r.application, { posting: r.posting, raters: (raters.get(r.application)?.raters ?? new Set()).add(r.rater) });
  const complete = new Set([...raters].filter(([, s]) => (panels.get(s.posting)?.size ?? 0) > 0 && [...panels.get(s.posting)!].every((id) => s.raters.has(id))).map(([a]) => a));
  const kept = rows.filter((r) => complete.has(r.application));
  const unitsBy = (key: (r: Raw) => string) => {
    const groups = new Map<string, Map<string, number[]>>();
    for (const r of kept) {
      const g = groups.get(key(r)) ?? new Map<string, number[]>();
      const unit = `${r.application}:${r.criterion}`;
      g.set(unit, [...(g.get(unit) ?? []), r.level]);
      groups.set(key(r), g);
    }
    return new Map([...groups].map(([k, g]) => [k, krippendorffAlpha([...g.values()], 'ordinal')]));
  };
  const stats = raterStats(kept.map((r) => ({ rater: r.rater, unit: `${r.application}:${r.criterion}`, value: r.level })));
  return {
    candidates: complete.size,
    criteria: unitsBy((r) => r.criterion),
    postings: unitsBy((r) => String(r.posting)),
    overall: unitsBy(() => 'all').get('all'),
    panelists: new Map(stats.map((s) => [s.rater, s])),
  };
}

const close = (a: number | undefined, b: number | undefined) => (a === undefined || b === undefined ? a === b : Math.abs(a - b) < 1e-9);

function expectSame(db: DB, actor: Actor, regionId: number, step: string) {
  const page = regionCalibration(db, actor, regionId);
  const ref = reference(db, regionId);
  expect(page.candidates, `${step}: candidates`).to.equal(ref.candidates);
  expect(page.criteria.map((c) => c.criterion).sort(), `${step}: criteria`).to.deep.equal([...ref.criteria.keys()].sort());
  for (const c of page.criteria) {
    const r = ref.criteria.get(c.criterion)!;
    expect([c.agreement.units, c.agreement.pairable], `${step}: ${c.criterion} units`).to.deep.equal([r.units, r.pairable]);
    if (c.agreement.enough) expect(close(c.agreement.alpha, r.alpha), `${step}: ${c.criterion} alpha`).to.equal(true);
  }
  expect(page.postings.map((p) => String(p.posting.id)).sort(), `${step}: recruitments`).to.deep.equal([...ref.postings.keys()].sort());
  for (const p of page.postings) {
    const r = ref.postings.get(String(p.posting.id))!;
    expect([p.agreement.units, p.agreement.pairable], `${step}: recruitment ${p.posting.id}`).to.deep.equal([r.units, r.pairable]);
    if (p.agreement.enough) expect(close(p.agreement.alpha, r.alpha), `${step}: recruitment ${p.posting.id} alpha`).to.equal(true);
  }
  expect([page.overall.units, page.overall.pairable], `${step}: overall`).to.deep.equal([ref.overall?.units ?? 0, ref.overall?.pairable ?? 0]);
  expect(page.panelists.map((p) => p.rater).sort(), `${step}: panelists`).to.deep.equal([...ref.panelists.keys()].sort());
  for (const p of page.panelists) {
    const r = ref.panelists.get(p.rater)!;
    expect(p.compared, `${step}: compared`).to.equal(r.compared);
    expect(close(p.leniency, r.leniency) && close(p.spread, r.spread), `${step}: panelist ${p.rater}`).to.equal(true);
  }
}

describe('calibration: the per-recruitment summaries always give the figures of the raw ratings', function () {
  this.timeout(60_000);
  let ctx: TestContext;
  afterEach(() => ctx?.close());

  it('when a random sequence of submissions, amendments, panel changes, erasures, criterion edits and CPTS moves runs then every visit equals a computation from scratch', async () => {
    ctx = createTestContext();
    const db = ctx.db;
    const world = await createWorld(db);
    const random = seededRandom(2026);
    const pick = <T>(xs: T[]): T => xs[Math.floor(random() * xs.length)];
    const at = nowIso();
    const members: Awaited<ReturnType<typeof createUser>>[] = [];
    for (let i = 0; i < 6; i++) members.push(await createUser(db, { name: `Membre ${i}`, memberships: [{ organisationId: world.orgA.id, role: 'bureau' }] }));
    const actor: Actor = { id: world.chargeA.id, email: world.chargeA.email, name: 'Chargée A', locale: 'fr', isAdmin: false, memberships: [{ organisationId: null, regionId: world.regionA.id, role: 'charge_de_mission' }] };

    // Three recruitments in two CPTS of the region, each with a scorecard of three criteria and a panel of three.
    const recruitments = [world.orgA, world.orgA, world.orgA2].map((org, i) => {
      const posting = createPosting(db, org.id, { title: `Coordination ${i}` });
      const scorecard = Number(db.prepare("INSERT INTO scorecards (organisation_id, posting_id, template_key, name, created_at, updated_at) VALUES (?, ?, 'coordinator', 'Grille', ?, ?)").run(org.id, posting.id, at, at).lastInsertRowid);
      const criteria = ['dynamisme', 'diplomatie', 'rigueur'].map((key, position) =>
        Number(
          db
            .prepare(
              `INSERT INTO scorecard_criteria (organisation_id, scorecard_id, criterion_key, group_key, label, description, weight, level_1, level_2, level_3, level_4, position, created_at, updated_at)
               VALUES (?, ?, ?, 'savoir_etre', ?, '', 1, 'a', 'b', 'c', 'd', ?, ?, ?)`,
            )
            .run(org.id, scorecard, key, key[0].toUpperCase() + key.slice(1), position, at, at).lastInsertRowid,
        ),
      );
      const panel = members.slice(i, i + 3);
      seatPanel(db, posting.id, org.id, panel.map((m, n) => ({ id: m.id, chair: n === 0 })));
      return { org, posting, criteria, panel: panel.map((m) => m.id), applications: [] as number[] };
    });
    const submit = (r: (typeof recruitments)[number], application: number, rater: number) => {
      const version = 1 + Number((db.prepare('SELECT COUNT(*) AS n FROM evaluations WHERE application_id = ? AND panelist_user_id = ?').get(application, rater) as { n: number }).n);
      db.prepare('UPDATE evaluations SET superseded_at = ? WHERE application_id = ? AND panelist_user_id = ? AND superseded_at IS NULL').run(at, application, rater);
      const id = Number(
        db
          .prepare(
            `INSERT INTO evaluations (organisation_id, posting_id, application_id, panelist_user_id, panelist_name, version, status, recommendation, submitted_at, created_at, updated_at)
             VALUES (?, ?, ?, ?, ?, ?, 'submitted', 'yes', ?, ?, ?)`,
          )
          .run(r.org.id, r.posting.id, application, rater, `Membre ${rater}`, version, at, at, at).lastInsertRowid,
      );
      for (const c of r.criteria) if (random() > 0.1) db.prepare('INSERT INTO evaluation_ratings (evaluation_id, criterion_id, level) VALUES (?, ?, ?)').run(id, c, 1 + Math.floor(random() * 4));
    };

    const operations: [string, () => void][] = [
      ['a new candidate rated by the whole panel', () => {
        const r = pick(recruitments);
        const app = createApplication(db, r.posting, { status: 'interview' }).id;
        r.applications.push(app);
        for (const rater of r.panel) submit(r, app, rater);
      }],
      ['a candidate rated by part of the panel', () => {
        const r = pick(recruitments);
        const app = createApplication(db, r.posting, { status: 'interview' }).id;
        r.applications.push(app);
        submit(r, app, r.panel[0]);
      }],
      ['an amendment', () => {
        const r = pick(recruitments);
        if (r.applications.length) submit(r, pick(r.applications), pick(r.panel));
      }],
      ['a panel member removed', () => {
        const r = pick(recruitments);
        if (r.panel.length > 1) {
          const gone = r.panel.pop()!;
          db.prepare('DELETE FROM panel_members WHERE posting_id = ? AND user_id = ?').run(r.posting.id, gone);
        }
      }],
      ['a panel member added', () => {
        const r = pick(recruitments);
        const next = members.find((m) => !r.panel.includes(m.id));
        if (next) {
          r.panel.push(next.id);
          seatPanel(db, r.posting.id, r.org.id, [{ id: next.id }]);
        }
      }],
      ['a candidate erased', () => {
        const r = pick(recruitments);
        if (r.applications.length) {
          const app = r.applications.splice(Math.floor(random() * r.applications.length), 1)[0];
          db.prepare('DELETE FROM applications WHERE id = ?').run(app);
        }
      }],
      ['a criterion renamed without its key', () => {
        const r = pick(recruitments);
        db.prepare("UPDATE scorecard_criteria SET criterion_key = NULL, label = ?, updated_at = ? WHERE id = ?").run(`Critère ${Math.floor(random() * 3)}`, nowIso(), pick(r.criteria));
      }],
      ['a CPTS leaves the region and comes back', () => {
        db.prepare('UPDATE organisations SET region_id = ? WHERE id = ?').run(random() > 0.5 ? world.regionB.id : world.regionA.id, world.orgA2.id);
      }],
    ];

    for (let n = 0; n < 8; n++) operations[0][1]();
    expectSame(db, actor, world.regionA.id, 'start');
    for (let step = 0; step < 60; step++) {
      const [name, run] = pick(operations);
      run();
      expectSame(db, actor, world.regionA.id, `step ${step} (${name})`);
    }
  });

  it('when many summaries are stale then a job run stops once its time budget is spent, and the next runs finish the work', async () => {
    ctx = createTestContext();
    const world = await createWorld(ctx.db);
    for (let i = 0; i < 25; i++) {
      const posting = createPosting(ctx.db, world.orgA.id, { title: `Poste ${i}` });
      ctx.db.prepare('INSERT INTO calibration_postings (posting_id, organisation_id, revision) VALUES (?, ?, 1)').run(posting.id, world.orgA.id);
    }
    let clock = 0;
    const tick = () => (clock += 30);
    expect(refreshStaleSummaries(ctx.db, 50, tick)).to.equal(20);
    expect(refreshStaleSummaries(ctx.db, 50, tick)).to.equal(5);
    expect(refreshStaleSummaries(ctx.db, 50, tick)).to.equal(0);
  });

  it('when a recruitment changes then only its summary is computed again, and a write during a computation is never hidden', async () => {
    ctx = createTestContext();
    const db = ctx.db;
    const world = await createWorld(db);
    const at = nowIso();
    const a = createPosting(db, world.orgA.id, { title: 'A' });
    const b = createPosting(db, world.orgA.id, { title: 'B' });
    for (const p of [a, b]) {
      seatPanel(db, p.id, world.orgA.id, [{ id: world.bureauA.id, chair: true }]);
      const app = createApplication(db, p, { status: 'interview' });
      db.prepare(
        `INSERT INTO evaluations (organisation_id, posting_id, application_id, panelist_user_id, panelist_name, status, recommendation, submitted_at, created_at, updated_at)
         VALUES (?, ?, ?, ?, 'Bureau A', 'submitted', 'yes', ?, ?, ?)`,
      ).run(world.orgA.id, p.id, app.id, world.bureauA.id, at, at, at);
    }
    const actor: Actor = { id: world.chargeA.id, email: world.chargeA.email, name: 'Chargée A', locale: 'fr', isAdmin: false, memberships: [{ organisationId: null, regionId: world.regionA.id, role: 'charge_de_mission' }] };
    const state = () => db.prepare('SELECT posting_id, revision, summary_revision FROM calibration_postings ORDER BY posting_id').all() as { posting_id: number; revision: number; summary_revision: number | null }[];
    expect(state().every((s) => s.summary_revision === null)).to.equal(true);
    // The background job computes what changed, and nothing once all is computed.
    expect(await calibrationJob(db).run()).to.equal(2);
    expect(await calibrationJob(db).run()).to.equal(0);
    const computed = state();
    expect(computed.every((s) => s.summary_revision === s.revision)).to.equal(true);
    // A draft saved as the panelist goes moves nothing; a panel change on B moves B only.
    db.prepare("INSERT INTO evaluations (organisation_id, posting_id, application_id, panelist_user_id, panelist_name, status, created_at, updated_at) VALUES (?, ?, (SELECT id FROM applications WHERE posting_id = ?), ?, 'Chargée A', 'draft', ?, ?)").run(world.orgA.id, a.id, a.id, world.chargeA.id, at, at);
    expect(state()).to.deep.equal(computed);
    seatPanel(db, b.id, world.orgA.id, [{ id: world.chargeA.id }]);
    const after = state();
    expect(after[0]).to.deep.equal(computed[0]);
    expect(after[1].revision).to.be.greaterThan(computed[1].revision);
    // A summary computed for a revision that moved on meanwhile is not written.
    db.prepare('UPDATE calibration_postings SET summary = ?, summary_revision = revision WHERE posting_id = ? AND revision = ?').run('{}', b.id, computed[1].revision);
    expect(state()[1].summary_revision).to.equal(computed[1].summary_revision);
    regionCalibration(db, actor, world.regionA.id);
    expect(state().every((s) => s.summary_revision === s.revision)).to.equal(true);
  });
});
