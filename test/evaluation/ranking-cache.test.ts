import { expect } from 'chai';
import fc from 'fast-check';
import { loadActor } from '../../server/core/auth.js';
import { nowIso, openDatabase, type DB } from '../../server/core/db.js';
import { CACHE_LIMIT, cachedPostings } from '../../server/features/evaluation/cache.js';
import { postingScope, type PanelMemberRow } from '../../server/features/evaluation/queries.js';
import { ensureScorecard, resultsRule, visibilityOf, visibleScores, type PostingAccess } from '../../server/features/evaluation/service.js';
import { createTestContext, type TestContext } from '../helpers/app.js';
import { pageText } from '../helpers/agent.js';
import { createApplication, createPosting } from '../pipeline/fixtures.js';
import { as, criteriaIds, evaluationWorld, fullForm, post, seatPanel } from './fixtures.js';

type World = Awaited<ReturnType<typeof evaluationWorld>>;

const revisionOf = (db: DB, postingId: number) =>
  (db.prepare('SELECT revision FROM posting_revisions WHERE posting_id = ?').get(postingId) as { revision: number } | undefined)?.revision ?? 0;

/** A current submitted evaluation written straight to the tables (as another process would). */
function submitDirect(db: DB, postingId: number, organisationId: number, applicationId: number, userId: number, levels: Map<number, number>) {
  const at = nowIso();
  const id = Number(
    db
      .prepare(
        `INSERT INTO evaluations (organisation_id, posting_id, application_id, panelist_user_id, panelist_name, version, status, recommendation, summary, submitted_at, created_at, updated_at)
         VALUES (?, ?, ?, ?, 'Panéliste', 1, 'submitted', 'yes', '', ?, ?, ?)`,
      )
      .run(organisationId, postingId, applicationId, userId, at, at, at).lastInsertRowid,
  );
  for (const [criterionId, level] of levels) db.prepare('INSERT INTO evaluation_ratings (evaluation_id, criterion_id, level) VALUES (?, ?, ?)').run(id, criterionId, level);
}

/** The ranking table's rows, in order: the rank shown ("–" when unranked) and the application. */
function rankingRows(html: string) {
  const table = html.slice(html.indexOf('<table class="table ranking">'), html.indexOf('</table>'));
  return [...table.matchAll(/<tr><td class="num">([^<]*)<\/td><th scope="row"><a href="\/recrutement\/candidatures\/(\d+)\/evaluation">([^<]*)<\/a>/g)].map((m) => ({
    rank: m[1] === '–' ? null : Number(m[1]),
    id: Number(m[2]),
    name: m[3],
  }));
}

/** The matrix's row headers ("41. Name"). */
function matrixRows(html: string) {
  const start = html.indexOf('<table class="table matrix">');
  if (start < 0) return [];
  const table = html.slice(start, html.indexOf('</table>', start));
  return [...table.matchAll(/<tr><th scope="row">([^<]*)<\/th>/g)].map((m) => m[1]);
}

/** The ranking's pagination landmark, or '' when there is none. */
function paginationOf(html: string) {
  const start = html.indexOf('<nav class="pagination ranking-pagination');
  return start < 0 ? '' : html.slice(start, html.indexOf('</nav>', start) + 6);
}

const weightedScore = (weights: number[], levels: number[]) => Math.round((weights.reduce((s, w, i) => s + w * levels[i], 0) / weights.reduce((a, b) => a + b, 0)) * 100) / 100;
const fr = (n: number) => String(n).replace('.', ',');

describe('evaluation: the cached aggregation of a posting (revision stamp)', function () {
  this.timeout(30_000);
  let ctx: TestContext;
  let w: World;
  beforeEach(async () => {
    ctx = createTestContext();
    w = await evaluationWorld(ctx.db, ctx.config.uploadDir);
  });
  afterEach(() => ctx.close());

  const stage = (key: string) => w.stages.find((s) => s.stage_key === key)!;

  it('when a criterion weight, the panel, a submission, an amendment, a stage or an application changes then the posting’s revision moves; a draft or another posting’s change does not move it', async () => {
    const bureau = await as(ctx.app, w.bureauA.email);
    const charge = await as(ctx.app, w.chargeA.email);
    const revision = () => revisionOf(ctx.db, w.posting.id);
    const other = revisionOf(ctx.db, w.other.id);
    const moved = (before: number, what: string) => expect(revision(), what).to.be.greaterThan(before);

    let before = revision();
    await bureau.get(`/recrutement/offres/${w.posting.id}/grille`);
    moved(before, 'scorecard copied from the template');
    const ids = criteriaIds(ctx.db, w.posting.id);
    before = revision();
    const weight = (ctx.db.prepare('SELECT weight FROM scorecard_criteria WHERE id = ?').get(ids[0]) as { weight: number }).weight;
    const criterion = { group: 'savoir_etre', label: 'Dynamisme', description: '', weight: weight === 3 ? '1' : '3', must_have: '', min_level: '', level_1: 'un', level_2: 'deux', level_3: 'trois', level_4: 'quatre', questions: '' };
    expect((await post(bureau, `/recrutement/offres/${w.posting.id}/grille/criteres/${ids[0]}`, criterion)).status).to.equal(303);
    moved(before, 'criterion weight');

    before = revision();
    expect((await post(bureau, `/recrutement/offres/${w.posting.id}/jury/membres`, { user_id: w.chargeA.id })).status).to.equal(303);
    moved(before, 'panel member added');

    const kit = `/recrutement/candidatures/${w.a1.id}/evaluation`;
    before = revision();
    expect((await post(charge, kit, fullForm(ids, '2', { intent: 'save' }))).status).to.equal(303);
    expect(revision(), 'a draft is not aggregated').to.equal(before);
    expect((await post(charge, kit, fullForm(ids, '2'))).status).to.equal(303);
    moved(before, 'submission');

    before = revision();
    expect((await post(charge, `${kit}/amender`, { reason: 'Second entretien.' })).status).to.equal(303);
    expect(revision(), 'an amendment being drafted is not aggregated').to.equal(before);
    expect((await post(charge, kit, fullForm(ids, '4', { version: 2 }))).status).to.equal(303);
    moved(before, 'amendment submitted');

    before = revision();
    expect((await post(bureau, `/recrutement/candidatures/${w.early.id}/deplacer`, { stage_id: stage('interview').id, expected_stage_id: stage('screening').id })).status).to.equal(303);
    moved(before, 'card moved to another stage');

    before = revision();
    expect((await post(bureau, `/recrutement/offres/${w.posting.id}/jury/membres/${w.chargeA.id}/retirer`, {})).status).to.equal(303);
    moved(before, 'panel member removed');

    before = revision();
    const erase = `/recrutement/candidatures/${w.a2.id}/effacer`;
    expect((await post(bureau, erase, { confirm: '1' }, erase)).status).to.equal(302);
    expect(ctx.db.prepare('SELECT 1 FROM applications WHERE id = ?').get(w.a2.id)).to.equal(undefined);
    moved(before, 'application erased');

    expect(revisionOf(ctx.db, w.other.id), 'the other posting').to.equal(other);
  });

  it('when any aggregated table changes through SQL then its trigger moves the posting’s revision; blanking free text (retention) does not', () => {
    seatPanel(ctx.db, w.posting.id, w.orgA.id, [{ id: w.chargeA.id, kind: 'charge', chair: true }, { id: w.coordinatorA.id }]);
    ensureScorecard(ctx.db, postingScope(ctx.db, w.posting.id)!);
    const all = criteriaIds(ctx.db, w.posting.id);
    const unlocked = revisionOf(ctx.db, w.posting.id);
    ctx.db.prepare('DELETE FROM scorecard_criteria WHERE id = ?').run(all[all.length - 1]);
    expect(revisionOf(ctx.db, w.posting.id), 'criterion deleted').to.be.greaterThan(unlocked);
    const ids = all.slice(0, -1);
    submitDirect(ctx.db, w.posting.id, w.orgA.id, w.a1.id, w.chargeA.id, new Map(ids.map((id) => [id, 3])));
    const evaluation = (ctx.db.prepare('SELECT id FROM evaluations WHERE application_id = ?').get(w.a1.id) as { id: number }).id;
    const changes: [string, string, unknown[], boolean][] = [
      ['card moved without a recorded move', 'UPDATE pipeline_cards SET stage_id = ? WHERE application_id = ?', [stage('jury').id, w.a2.id], true],
      ['stage reordered', 'UPDATE pipeline_stages SET position = position WHERE id = ?', [stage('jury').id], true],
      ['panel start stage', 'INSERT INTO panels (posting_id, organisation_id, start_stage_id, updated_at) VALUES (?, ?, ?, ?)', [w.posting.id, w.orgA.id, stage('jury').id, nowIso()], true],
      ['panel start stage changed', 'UPDATE panels SET start_stage_id = ? WHERE posting_id = ?', [stage('interview').id, w.posting.id], true],
      ['panel chair', 'UPDATE panel_members SET is_chair = 0 WHERE posting_id = ?', [w.posting.id], true],
      ['panel options removed', 'DELETE FROM panels WHERE posting_id = ?', [w.posting.id], true],
      ['criterion added', "INSERT INTO scorecard_criteria (organisation_id, scorecard_id, group_key, label, weight, level_1, level_2, level_3, level_4, position, created_at, updated_at) SELECT organisation_id, scorecard_id, 'savoirs', 'Ajouté', 2, 'a', 'b', 'c', 'd', 99, created_at, updated_at FROM scorecard_criteria WHERE id = ?", [ids[0]], true],
      ['criterion weight', 'UPDATE scorecard_criteria SET weight = 3 - weight + 1 WHERE id = ?', [ids[0]], true],
      ['evaluation superseded', 'UPDATE evaluations SET superseded_at = ? WHERE id = ?', [nowIso(), evaluation], true],
      ['application anonymised', 'UPDATE applications SET candidate_id = candidate_id WHERE id = ?', [w.a1.id], true],
      ['summary blanked', "UPDATE evaluations SET summary = '' WHERE id = ?", [evaluation], false],
      ['comment blanked', "UPDATE evaluation_ratings SET comment = '' WHERE evaluation_id = ?", [evaluation], false],
      ['rejection text blanked', 'UPDATE pipeline_cards SET rejection_text = NULL WHERE application_id = ?', [w.a1.id], false],
    ];
    for (const [what, sql, args, bumps] of changes) {
      const before = revisionOf(ctx.db, w.posting.id);
      ctx.db.prepare(sql).run(...args);
      if (bumps) expect(revisionOf(ctx.db, w.posting.id), what).to.be.greaterThan(before);
      else expect(revisionOf(ctx.db, w.posting.id), what).to.equal(before);
    }
    // A CPTS deleted with everything under it: the triggers never refer to a posting being deleted.
    ctx.db.prepare('DELETE FROM organisations WHERE id = ?').run(w.orgA.id);
    expect(ctx.db.prepare('SELECT COUNT(*) AS n FROM posting_revisions WHERE posting_id IN (?, ?)').get(w.posting.id, w.other.id)).to.deep.equal({ n: 0 });
  });

  it('when the ranking and the scores were cached then a submission, a member removal, a weight change and a stage move show on the very next request', async () => {
    seatPanel(ctx.db, w.posting.id, w.orgA.id, [{ id: w.chargeA.id, kind: 'charge', chair: true }, { id: w.coordinatorA.id }]);
    const bureau = await as(ctx.app, w.bureauA.email);
    const charge = await as(ctx.app, w.chargeA.email);
    const coord = await as(ctx.app, w.coordinatorA.email);
    const ranking = `/recrutement/offres/${w.posting.id}/classement`;
    const scoresOf = (userId: number) => visibleScores(ctx.db, loadActor(ctx.db, userId)!, [w.posting.id, w.other.id]);

    // Cached before anything is submitted.
    expect(pageText((await charge.get(ranking)).text)).to.contain('Élodie Martin').and.not.to.contain('/ 4');
    expect(pageText((await bureau.get(ranking)).text)).not.to.contain('/ 4');
    expect(scoresOf(w.bureauA.id).size).to.equal(0);
    expect(cachedPostings(ctx.db)).to.be.greaterThan(0);

    // The chair submits: level 1 on the first criterion, 4 on the others.
    const ids = criteriaIds(ctx.db, w.posting.id);
    const form = { ...fullForm(ids, '4'), [`rating_${ids[0]}`]: '1' };
    expect((await post(charge, `/recrutement/candidatures/${w.a1.id}/evaluation`, form)).status).to.equal(303);
    const weights = () => (ctx.db.prepare('SELECT weight FROM scorecard_criteria WHERE id IN (SELECT value FROM json_each(?)) ORDER BY position').all(JSON.stringify(ids)) as { weight: number }[]).map((r) => r.weight);
    const levels = ids.map((_, i) => (i === 0 ? 1 : 4));
    const first = weightedScore(weights(), levels);
    expect(pageText((await charge.get(ranking)).text)).to.contain(`${fr(first)} / 4`);
    expect(scoresOf(w.chargeA.id).get(w.a1.id)).to.deep.equal({ score: first, evaluations: 1 });
    // Independence: the coordinator has not submitted; the bureau waits for the whole panel.
    const coordView = pageText((await coord.get(ranking)).text);
    expect(coordView).to.contain('Résultats masqués jusqu’à votre évaluation (1 évaluation soumise)').and.not.to.contain('/ 4');
    expect(scoresOf(w.coordinatorA.id).size).to.equal(0);
    expect(pageText((await bureau.get(ranking)).text)).not.to.contain('/ 4');
    expect(scoresOf(w.bureauA.id).size).to.equal(0);

    // The coordinator leaves the panel: the chair was the last one to wait for.
    expect((await post(bureau, `/recrutement/offres/${w.posting.id}/jury/membres/${w.coordinatorA.id}/retirer`, {})).status).to.equal(303);
    expect(pageText((await bureau.get(ranking)).text)).to.contain(`${fr(first)} / 4`);
    expect(scoresOf(w.bureauA.id).get(w.a1.id)).to.deep.equal({ score: first, evaluations: 1 });

    // A weight changes (written straight to the table: the scorecard is locked for the forms).
    ctx.db.prepare('UPDATE scorecard_criteria SET weight = ? WHERE id = ?').run(weights()[0] === 3 ? 1 : 3, ids[0]);
    const second = weightedScore(weights(), levels);
    expect(second).not.to.equal(first);
    expect(pageText((await bureau.get(ranking)).text)).to.contain(`${fr(second)} / 4`);
    expect(scoresOf(w.chargeA.id).get(w.a1.id)?.score).to.equal(second);

    // A card moves into the evaluated stages.
    expect(pageText((await bureau.get(ranking)).text)).not.to.contain('Inès Précoce');
    expect((await post(bureau, `/recrutement/candidatures/${w.early.id}/deplacer`, { stage_id: stage('interview').id, expected_stage_id: stage('screening').id })).status).to.equal(303);
    expect(pageText((await bureau.get(ranking)).text)).to.contain('Inès Précoce');

    // Names are never cached: a change of name (no trigger on candidates) shows at once.
    ctx.db.prepare("UPDATE candidates SET last_name = 'Martin-Renommée' WHERE id = (SELECT candidate_id FROM applications WHERE id = ?)").run(w.a1.id);
    expect(pageText((await bureau.get(ranking)).text)).to.contain('Élodie Martin-Renommée');
  });

  it('when another process writes to the same database then this process’s next request shows it', async () => {
    seatPanel(ctx.db, w.posting.id, w.orgA.id, [{ id: w.chargeA.id, kind: 'charge', chair: true }]);
    const bureau = await as(ctx.app, w.bureauA.email);
    const ranking = `/recrutement/offres/${w.posting.id}/classement`;
    expect(pageText((await bureau.get(ranking)).text)).not.to.contain('/ 4');
    ensureScorecard(ctx.db, postingScope(ctx.db, w.posting.id)!);
    const ids = criteriaIds(ctx.db, w.posting.id);
    const other = openDatabase(ctx.config.databasePath);
    try {
      submitDirect(other, w.posting.id, w.orgA.id, w.a1.id, w.chargeA.id, new Map(ids.map((id) => [id, 3])));
    } finally {
      other.close();
    }
    expect(pageText((await bureau.get(ranking)).text)).to.contain('3 / 4');
    expect(visibleScores(ctx.db, loadActor(ctx.db, w.bureauA.id)!, [w.posting.id]).get(w.a1.id)).to.deep.equal({ score: 3, evaluations: 1 });
  });

  it('when a transaction computes scores and then rolls back then nothing it saw is served later, even under the same revision number', () => {
    seatPanel(ctx.db, w.posting.id, w.orgA.id, [{ id: w.chargeA.id, kind: 'charge', chair: true }]);
    ensureScorecard(ctx.db, postingScope(ctx.db, w.posting.id)!);
    const ids = criteriaIds(ctx.db, w.posting.id);
    const bureau = loadActor(ctx.db, w.bureauA.id)!;
    expect(visibleScores(ctx.db, bureau, [w.posting.id]).size).to.equal(0);
    const start = revisionOf(ctx.db, w.posting.id);
    let inside = 0;
    expect(() =>
      ctx.db.transaction(() => {
        submitDirect(ctx.db, w.posting.id, w.orgA.id, w.a1.id, w.chargeA.id, new Map(ids.map((id) => [id, 4])));
        inside = revisionOf(ctx.db, w.posting.id);
        expect(visibleScores(ctx.db, bureau, [w.posting.id]).get(w.a1.id)?.score).to.equal(4);
        throw new Error('rolled back');
      })(),
    ).to.throw('rolled back');
    expect(revisionOf(ctx.db, w.posting.id)).to.equal(start);
    // The same number of bumps, other levels: the revision number comes back.
    submitDirect(ctx.db, w.posting.id, w.orgA.id, w.a1.id, w.chargeA.id, new Map(ids.map((id) => [id, 1])));
    expect(revisionOf(ctx.db, w.posting.id)).to.equal(inside);
    expect(visibleScores(ctx.db, bureau, [w.posting.id]).get(w.a1.id)?.score).to.equal(1);
  });

  it('when more postings are read than the cache holds then it keeps at most its limit', () => {
    const bureau = loadActor(ctx.db, w.bureauA.id)!;
    const ids: number[] = [];
    for (let i = 0; i < CACHE_LIMIT + 5; i++) {
      const p = createPosting(ctx.db, w.orgA.id, { title: `Offre ${i}` });
      ensureScorecard(ctx.db, postingScope(ctx.db, p.id)!);
      ids.push(p.id);
    }
    visibleScores(ctx.db, bureau, ids);
    expect(cachedPostings(ctx.db)).to.equal(CACHE_LIMIT);
    expect(visibleScores(ctx.db, bureau, [w.posting.id]).size).to.equal(0);
  });
});

describe('evaluation: the independence rule applied to cached submitters', () => {
  it('when the rule is decided once per viewer then, for every set of submitters, a panelist sees results once they submitted and the bureau once every member did', () => {
    const member = (userId: number, chair = false) => ({ id: userId, posting_id: 1, user_id: userId, name: `U${userId}`, email: '', kind: 'member', is_chair: chair ? 1 : 0 }) as PanelMemberRow;
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.integer({ min: 1, max: 8 }), { maxLength: 5 }),
        fc.uniqueArray(fc.integer({ min: 1, max: 9 }), { maxLength: 9 }),
        fc.integer({ min: 1, max: 9 }),
        fc.boolean(),
        (panel, submitters, actorId, orgView) => {
          const members = panel.map((id, i) => member(id, i === 0));
          const access = { orgView, member: members.find((m) => m.user_id === actorId) } as PostingAccess;
          const set = new Set(submitters);
          // The rule as the product states it (service.ts, "Independence"), written out here.
          const expected = access.member ? set.has(actorId) : orgView && panel.length > 0 && panel.every((id) => set.has(id));
          expect(resultsRule(access, actorId, members)((id) => set.has(id))).to.equal(expected);
          expect(visibilityOf(access, actorId, (id) => set.has(id), members).results).to.equal(expected);
        },
      ),
      { numRuns: 500 },
    );
  });
});

describe('evaluation: the ranking page by pages of 50', function () {
  this.timeout(60_000);
  let ctx: TestContext;
  let w: World;
  let cands: { id: number; name: string }[];
  const ranking = () => `/recrutement/offres/${w.posting.id}/classement`;

  // 132 evaluated candidates (a1, a2 and 130 more, in this order on the board); one criterion.
  // The chair rates the first 100, the coordinator the first 80: 0-39 at 4, 40-69 at 3, 70-79 at
  // 1, and 80-99 (chair only) at 2.
  before(async () => {
    ctx = createTestContext();
    w = await evaluationWorld(ctx.db);
    ensureScorecard(ctx.db, postingScope(ctx.db, w.posting.id)!);
    const [criterion, ...rest] = criteriaIds(ctx.db, w.posting.id);
    ctx.db.prepare('DELETE FROM scorecard_criteria WHERE id IN (SELECT value FROM json_each(?))').run(JSON.stringify(rest));
    ctx.db.prepare('UPDATE scorecard_criteria SET weight = 1, must_have = 0, min_level = NULL WHERE id = ?').run(criterion);
    seatPanel(ctx.db, w.posting.id, w.orgA.id, [{ id: w.chargeA.id, kind: 'charge', chair: true }, { id: w.coordinatorA.id }]);
    cands = Array.from({ length: 130 }, (_, i) => createApplication(ctx.db, w.posting, { firstName: 'Test', lastName: `Numéro${String(i).padStart(3, '0')}`, status: 'interview' }));
    const level = (i: number) => (i < 40 ? 4 : i < 70 ? 3 : i < 80 ? 1 : 2);
    ctx.db.transaction(() => {
      cands.forEach((c, i) => {
        if (i < 100) submitDirect(ctx.db, w.posting.id, w.orgA.id, c.id, w.chargeA.id, new Map([[criterion, level(i)]]));
        if (i < 80) submitDirect(ctx.db, w.posting.id, w.orgA.id, c.id, w.coordinatorA.id, new Map([[criterion, level(i)]]));
      });
    })();
  });
  after(() => ctx.close());

  it('when the bureau outside the panel pages through then each page holds 50, ranks are counted over the whole posting and hidden candidates come after the ranked ones', async () => {
    const bureau = await as(ctx.app, w.bureauA.email);
    const pages = await Promise.all([1, 2, 3].map(async (n) => (await bureau.get(n === 1 ? ranking() : `${ranking()}?page=${n}`)).text));
    const rows = pages.map(rankingRows);
    expect(rows.map((r) => r.length)).to.deep.equal([50, 50, 32]);
    expect(rows[0].map((r) => r.id)).to.deep.equal(cands.slice(0, 50).map((c) => c.id));
    expect(rows[0].map((r) => r.rank)).to.deep.equal([...Array(40).fill(1), ...Array(10).fill(41)]);
    // Page 2 starts with the rank it shares with the end of page 1, then the hidden ones.
    expect(rows[1].map((r) => r.rank)).to.deep.equal([...Array(20).fill(41), ...Array(10).fill(71), ...Array(20).fill(null)]);
    expect(rows[1].map((r) => r.id)).to.deep.equal([...cands.slice(50, 80).map((c) => c.id), w.a1.id, w.a2.id, ...cands.slice(80, 98).map((c) => c.id)]);
    expect(rows[2].every((r) => r.rank === null)).to.equal(true);
    expect(rows[2].map((r) => r.id)).to.deep.equal(cands.slice(98).map((c) => c.id));
    expect(pageText(pages[1])).to.contain('Candidatures 51 à 100 sur 132 (80 classées, 52 aux résultats masqués).');
    expect(pageText(pages[2])).to.contain('Résultats masqués jusqu’à votre évaluation (0 évaluation soumise)');

    // The matrix shows the page's ranked candidates, no one else's.
    expect(matrixRows(pages[0])).to.have.length(50);
    expect(matrixRows(pages[1])).to.deep.equal([...cands.slice(50, 70).map((c) => `41. ${c.name}`), ...cands.slice(70, 80).map((c) => `71. ${c.name}`)]);
    expect(pages[1]).not.to.contain('Test Numéro049').and.not.to.contain('Test Numéro098');
    expect(matrixRows(pages[2])).to.deep.equal([]);
    expect(pageText(pages[2])).to.contain('Aucune candidature de cette page n’a de résultats visibles pour vous.');
  });

  it('when a panelist pages through then they see the results of the candidates they rated, ranked, and the others hidden at the end', async () => {
    const charge = await as(ctx.app, w.chargeA.email);
    const rows = await Promise.all([1, 2, 3].map(async (n) => rankingRows((await charge.get(`${ranking()}?page=${n}`)).text)));
    expect(rows[1].map((r) => r.rank)).to.deep.equal([...Array(20).fill(41), ...Array(20).fill(71), ...Array(10).fill(91)]);
    expect(rows[2].map((r) => r.id)).to.deep.equal([w.a1.id, w.a2.id, ...cands.slice(100).map((c) => c.id)]);
    const coord = await as(ctx.app, w.coordinatorA.email);
    const coordRows = rankingRows((await coord.get(`${ranking()}?page=2`)).text);
    expect(coordRows.slice(0, 30).map((r) => r.rank)).to.deep.equal([...Array(20).fill(41), ...Array(10).fill(71)]);
    expect(coordRows.slice(30).every((r) => r.rank === null)).to.equal(true);
  });

  it('when the page is not a positive whole number then page 1 is shown; past the last page it is a 404, never a 500', async () => {
    const bureau = await as(ctx.app, w.bureauA.email);
    const firstPage = rankingRows((await bureau.get(ranking())).text).map((r) => r.id);
    for (const query of ['page=abc', 'page=0', 'page=-3', 'page=1.5', 'page=', 'page=2&page=3', 'page[x]=2', 'page=1e400', 'tout=2']) {
      const res = await bureau.get(`${ranking()}?${query}`);
      expect(res.status, query).to.equal(200);
      expect(rankingRows(res.text).map((r) => r.id), query).to.deep.equal(firstPage);
      expect(paginationOf(res.text), query).to.contain(`<a href="${ranking()}" aria-current="page">`);
    }
    for (const query of ['page=4', 'page=99999999999']) expect((await bureau.get(`${ranking()}?${query}`)).status, query).to.equal(404);
    expect((await bureau.get(`/recrutement/offres/${w.other.id}/classement?page=2`)).status, 'a posting with one candidate has one page').to.equal(404);
    expect((await bureau.get(`/recrutement/offres/${w.other.id}/classement?page=1`)).status).to.equal(200);
  });

  it('when a page is shown then an accessible navigation links the previous, next and numbered pages and marks the current one, in French and in English', async () => {
    const bureau = await as(ctx.app, w.bureauA.email);
    const nav = paginationOf((await bureau.get(`${ranking()}?page=2`)).text);
    expect(nav).to.contain('aria-label="Pages du classement"');
    expect(nav).to.contain(`<a href="${ranking()}" rel="prev">Page précédente</a>`);
    expect(nav).to.contain(`<a href="${ranking()}?page=3" rel="next">Page suivante</a>`);
    expect(nav).to.contain(`<a href="${ranking()}?page=2" aria-current="page"><span class="visually-hidden">Page </span>2</a>`);
    expect(nav.match(/aria-current/g)).to.have.length(1);
    expect(nav).to.contain(`<a href="${ranking()}?page=3"><span class="visually-hidden">Page </span>3</a>`);
    const last = paginationOf((await bureau.get(`${ranking()}?page=3`)).text);
    expect(last).to.contain('rel="prev"').and.not.to.contain('rel="next"');
    expect(paginationOf((await bureau.get(`/recrutement/offres/${w.other.id}/classement`)).text), 'one page: no navigation').to.equal('');

    ctx.db.prepare("UPDATE users SET locale = 'en' WHERE id = ?").run(w.chargeA.id);
    const charge = await as(ctx.app, w.chargeA.email);
    const en = paginationOf((await charge.get(ranking())).text);
    expect(en).to.contain('aria-label="Ranking pages"').and.to.contain('Next page');
  });

  it('when the complete version is asked for then every candidate and the whole matrix are on one page, with the print button and no pagination', async () => {
    const bureau = await as(ctx.app, w.bureauA.email);
    const paged = (await bureau.get(ranking())).text;
    expect(paged).to.contain(`href="${ranking()}?tout=1"`);
    const res = await bureau.get(`${ranking()}?tout=1`);
    expect(res.status).to.equal(200);
    const rows = rankingRows(res.text);
    expect(rows).to.have.length(132);
    expect(rows.findIndex((r) => r.rank === null)).to.equal(80);
    expect(rows.slice(80).every((r) => r.rank === null)).to.equal(true);
    expect(matrixRows(res.text)).to.have.length(80);
    expect(res.text).to.contain('data-print');
    expect(paginationOf(res.text)).to.equal('');
    expect(pageText(res.text)).to.contain('Toutes les candidatures : 132 (80 classées, 52 aux résultats masqués).');
  });
});
