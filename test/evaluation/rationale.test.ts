import fs from 'node:fs';
import { expect } from 'chai';
import { createTestContext, type TestContext } from '../helpers/app.js';
import { pageText, submitForm } from '../helpers/agent.js';
import { stagesOf } from '../pipeline/fixtures.js';
import { as, criteriaIds, evaluationWorld, fullForm, post, seatPanel } from './fixtures.js';

type World = Awaited<ReturnType<typeof evaluationWorld>>;
const RATIONALE = 'Le jury retient sa connaissance fine du territoire et des partenaires, décisive pour ce poste.';

describe('evaluation: rationale per criterion where it matters, reused at the hire, printable record', function () {
  this.timeout(30_000);
  let ctx: TestContext;
  let w: World;
  let ids: number[];
  const stage = (key: string) => stagesOf(ctx.db, w.posting.id).find((s) => s.stage_key === key)!;
  const stageOf = (appId: number) => ctx.db.prepare('SELECT s.stage_key, s.kind FROM pipeline_cards c JOIN pipeline_stages s ON s.id = c.stage_id WHERE c.application_id = ?').get(appId) as { stage_key: string; kind: string };
  const mustHaves = () =>
    ctx.db.prepare('SELECT c.id, c.label FROM scorecard_criteria c JOIN scorecards s ON s.id = c.scorecard_id WHERE s.posting_id = ? AND c.must_have = 1 ORDER BY c.position').all(w.posting.id) as { id: number; label: string }[];
  const decisions = () => ctx.db.prepare('SELECT outcome, rationale, criteria_rationale, reused_from, id FROM decisions ORDER BY id').all() as { outcome: string; rationale: string; criteria_rationale: string; reused_from: number | null; id: number }[];

  beforeEach(async () => {
    ctx = createTestContext();
    w = await evaluationWorld(ctx.db);
    seatPanel(ctx.db, w.posting.id, w.orgA.id, [{ id: w.chargeA.id, kind: 'charge', chair: true }]);
    const charge = await as(ctx.app, w.chargeA.email);
    await charge.get(`/recrutement/candidatures/${w.a1.id}/evaluation`);
    ids = criteriaIds(ctx.db, w.posting.id);
    // Élodie: top of the ranking; Yann: second, every must-have below its minimum.
    await post(charge, `/recrutement/candidatures/${w.a1.id}/evaluation`, fullForm(ids, '4', { recommendation: 'strong_yes' }));
    await charge.get(`/recrutement/candidatures/${w.a2.id}/evaluation`);
    await post(charge, `/recrutement/candidatures/${w.a2.id}/evaluation`, fullForm(ids, '1', { recommendation: 'no' }));
  });
  afterEach(() => ctx.close());

  const decide = async (fields: Record<string, string>) => {
    const bureau = await as(ctx.app, w.bureauA.email);
    return { bureau, res: await post(bureau, `/recrutement/candidatures/${w.a2.id}/decision`, { outcome: 'offer', rationale: RATIONALE, expected_stage_id: String(stage('interview').id), ...fields }) };
  };

  it('when the bureau chooses a lower-ranked candidate who misses must-haves without reasons then each must-have asks for one and nothing moves', async () => {
    const bureau = await as(ctx.app, w.bureauA.email);
    const form = pageText((await bureau.get(`/recrutement/candidatures/${w.a2.id}/decision`)).text);
    expect(form).to.contain('1 candidature mieux classée encore en lice');
    expect(form).to.contain('Critère indispensable non atteint selon le jury');
    const { res } = await decide({});
    expect(res.status).to.equal(422);
    for (const m of mustHaves()) expect(res.text, m.label).to.contain(`href="#f-criterion_${m.id}"`);
    expect(pageText(res.text)).to.contain('écrivez pourquoi vous passez outre');
    expect(decisions()).to.have.length(0);
    expect(stageOf(w.a2.id).stage_key).to.equal('interview');
  });

  it('when a reason is too long then the field says so and nothing is recorded', async () => {
    const fields: Record<string, string> = {};
    for (const m of mustHaves()) fields[`criterion_${m.id}`] = 'x'.repeat(1001);
    const { res } = await decide(fields);
    expect(res.status).to.equal(422);
    expect(pageText(res.text)).to.contain('Le motif ne doit pas dépasser 1 000 caractères.');
    expect(decisions()).to.have.length(0);
  });

  it('when the top-ranked candidate is chosen then no reason per criterion is asked', async () => {
    const bureau = await as(ctx.app, w.bureauA.email);
    const res = await post(bureau, `/recrutement/candidatures/${w.a1.id}/decision`, { outcome: 'offer', rationale: RATIONALE, expected_stage_id: String(stage('interview').id) });
    expect(res.status).to.equal(303);
    expect(JSON.parse(decisions()[0].criteria_rationale)).to.deep.equal([]);
  });

  it('when the reasons are given then they are recorded per criterion, shown on the record and its print page, and reused when the offer is accepted', async () => {
    const fields: Record<string, string> = {};
    for (const m of mustHaves()) fields[`criterion_${m.id}`] = `Motif pour ${m.label} : vu en stage au sein de la CPTS.`;
    const { bureau, res } = await decide(fields);
    expect(res.status).to.equal(303);
    expect(stageOf(w.a2.id).stage_key).to.equal('offer');
    const [offer] = decisions();
    const stored = JSON.parse(offer.criteria_rationale) as { criterion: string; why: string; text: string }[];
    expect(stored.map((c) => c.criterion)).to.deep.equal(mustHaves().map((m) => m.label));
    expect(stored.every((c) => c.why === 'must_have')).to.equal(true);

    const record = pageText((await bureau.get(`/recrutement/offres/${w.posting.id}/decisions`)).text);
    expect(record).to.contain(`Motif pour ${mustHaves()[0].label}`).and.to.contain('critère indispensable non atteint');
    expect(record).to.contain('Version imprimable');
    const print = await bureau.get(`/recrutement/offres/${w.posting.id}/decisions/imprimer`);
    expect(print.status).to.equal(200);
    expect(print.text).not.to.contain('<details');
    expect(print.text).not.to.contain('data-print');
    const printed = pageText(print.text);
    expect(printed).to.contain(RATIONALE).and.to.contain(`Motif pour ${mustHaves()[0].label}`).and.to.contain('Détail par critère').and.to.contain('Édité le');

    // The offer is made and accepted: the acceptance form shows the offer's rationale and asks nothing again.
    const offerPath = `/recrutement/candidatures/${w.a2.id}/offre`;
    await submitForm(bureau, offerPath, { start_date: '2027-01-04', contract_type: 'CDI', fte_percent: '100', salary_gross_yearly: '38000' }, offerPath);
    const acceptance = pageText((await bureau.get(offerPath)).text);
    expect(acceptance).to.contain('Justification de la proposition, reprise pour le recrutement').and.to.contain(RATIONALE);
    const pending = ctx.db.prepare("SELECT id FROM offers WHERE status = 'pending'").get() as { id: number };
    const accepted = await submitForm(bureau, `${offerPath}/reponse`, { offer_id: String(pending.id), outcome: 'accepted', rationale: '' }, offerPath);
    expect(accepted.status).to.equal(302);
    expect(stageOf(w.a2.id).kind).to.equal('hired');
    const hired = decisions().find((d) => d.outcome === 'hired')!;
    expect(hired).to.include({ rationale: RATIONALE, reused_from: offer.id });
    expect(JSON.parse(hired.criteria_rationale)).to.have.length(stored.length);
    expect(pageText((await bureau.get(`/recrutement/offres/${w.posting.id}/decisions/imprimer`)).text)).to.contain('Motivation reprise de la décision de proposition.');
  });

  it('when a written acceptance rationale is too short then 422 and nobody is hired', async () => {
    const bureau = await as(ctx.app, w.bureauA.email);
    await post(bureau, `/recrutement/candidatures/${w.a1.id}/decision`, { outcome: 'offer', rationale: RATIONALE, expected_stage_id: String(stage('interview').id) });
    const offerPath = `/recrutement/candidatures/${w.a1.id}/offre`;
    await submitForm(bureau, offerPath, { start_date: '2027-01-04', contract_type: 'CDI', fte_percent: '100', salary_gross_yearly: '38000' }, offerPath);
    const pending = ctx.db.prepare("SELECT id FROM offers WHERE status = 'pending'").get() as { id: number };
    const res = await submitForm(bureau, `${offerPath}/reponse`, { offer_id: String(pending.id), outcome: 'accepted', rationale: 'Trop court.' }, offerPath);
    expect(res.status).to.equal(422);
    expect(stageOf(w.a1.id).stage_key).to.equal('offer');
  });

  it('when someone outside the CPTS asks for the print page then 404; the region’s chargée sees it; a visitor logs in first', async () => {
    const path = `/recrutement/offres/${w.posting.id}/decisions/imprimer`;
    for (const email of [w.bureauB.email, w.coordinatorA.email]) expect((await (await as(ctx.app, email)).get(path)).status, email).to.equal(404);
    expect((await (await as(ctx.app, w.chargeA.email)).get(path)).status).to.equal(200);
    const visitor = (await import('../helpers/agent.js')).anonymous(ctx.app);
    expect((await visitor.get(path)).status).to.equal(302);
  });

  it('when printed then flash messages and the waiting-mails notice are hidden by the print stylesheet', () => {
    const css = fs.readFileSync(new URL('../../public/css/app.css', import.meta.url), 'utf8');
    const print = /@media print \{([^}]*\{[^}]*\})*[^}]*\}/.exec(css)?.[0] ?? '';
    expect(print).to.match(/\.flash/);
    expect(print).to.match(/\.pending-mails/);
  });
});
