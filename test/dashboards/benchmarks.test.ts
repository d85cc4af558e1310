import { expect } from 'chai';
import { enqueueMail } from '../../server/core/mailer.js';
import { cptsBenchmarks, median, regionBenchmarks } from '../../server/features/dashboards/benchmarks.js';
import { applicationsWithoutReply, firstReplySql } from '../../server/features/dashboards/service.js';
import { login, pageText } from '../helpers/agent.js';
import { createTestContext, type TestContext } from '../helpers/app.js';
import { createWorld } from '../helpers/factories.js';
import { createApplication, createPosting, stageByKey, type ApplicationFixture, type PostingFixture } from '../pipeline/fixtures.js';

const DAY = 86_400_000;
const ago = (days: number) => new Date(Date.now() - days * DAY).toISOString();

describe('dashboards: regional benchmarks against the region’s median, with one definition of a reply', () => {
  let ctx: TestContext;
  let world: Awaited<ReturnType<typeof createWorld>>;
  beforeEach(async () => {
    ctx = createTestContext();
    world = await createWorld(ctx.db);
  });
  afterEach(() => ctx.close());

  const published = (orgId: number, daysAgo: number): PostingFixture => {
    const p = createPosting(ctx.db, orgId);
    ctx.db.prepare('UPDATE postings SET published_at = ? WHERE id = ?').run(ago(daysAgo), p.id);
    return p;
  };
  const received = (p: PostingFixture, daysAgo: number) => createApplication(ctx.db, p, { createdAt: ago(daysAgo) });
  const mail = (a: ApplicationFixture, orgId: number, template: string, daysAgo: number, to = a.email) => {
    enqueueMail(ctx.db, { template, to, subject: 'Votre candidature', text: 'Bonjour', html: '<p>Bonjour</p>', organisationId: orgId, applicationIds: [a.id] }, new Date(Date.now() - daysAgo * DAY));
  };
  const moveOutOfFirst = (a: ApplicationFixture, p: PostingFixture, daysAgo: number) => {
    const first = ctx.db.prepare("SELECT id, name FROM pipeline_stages WHERE posting_id = ? AND kind = 'new'").get(p.id) as { id: number; name: string };
    const to = stageByKey(ctx.db, p.id, 'screening');
    ctx.db.prepare('INSERT INTO pipeline_moves (organisation_id, application_id, from_stage_id, to_stage_id, from_name, to_name, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)').run(p.organisation_id, a.id, first.id, to.id, first.name, to.name, ago(daysAgo));
  };
  const hire = (a: ApplicationFixture, p: PostingFixture, daysAgo: number) => {
    ctx.db
      .prepare("INSERT INTO offers (organisation_id, posting_id, application_id, start_date, contract_type, fte_percent, salary_gross_yearly, status, created_at, answered_at) VALUES (?, ?, ?, '2027-01-04', 'CDI', 100, 38000, 'accepted', ?, ?)")
      .run(p.organisation_id, p.id, a.id, ago(daysAgo + 1), ago(daysAgo));
  };
  const replyOf = (id: number) => ctx.db.prepare(`SELECT ${firstReplySql('a')} AS at FROM applications a WHERE a.id = ?`).get(id) as { at: string | null };

  it('when a candidate only got the acknowledgement, or a mail went to someone else, then they are not answered; a stage mail or leaving the first stage is a reply', () => {
    const p = published(world.orgA.id, 40);
    const a = received(p, 30);
    mail(a, world.orgA.id, 'applications.ack', 30);
    mail(a, world.orgA.id, 'applications.bureau', 30, 'bureau@cpts.test');
    mail(a, world.orgA.id, 'pool.proposal', 29);
    expect(replyOf(a.id).at).to.equal(null);
    expect(applicationsWithoutReply(ctx.db, world.orgA.id).map((r) => r.id)).to.deep.equal([a.id]);
    mail(a, world.orgA.id, 'pipeline.stage', 25);
    expect(replyOf(a.id).at!.slice(0, 10)).to.equal(ago(25).slice(0, 10));
    const b = received(p, 30);
    moveOutOfFirst(b, p, 28);
    expect(replyOf(b.id).at!.slice(0, 10)).to.equal(ago(28).slice(0, 10));
    expect(applicationsWithoutReply(ctx.db, world.orgA.id)).to.deep.equal([]);
  });

  it('when the region’s CPTS have different figures then each is shown beside the median of the CPTS that have one', () => {
    // Alpha: two postings, 3 applications; one answered in 2 days, one in 20, one never (30 days old): 1/3 answered in time; hired in 30 days.
    const p1 = published(world.orgA.id, 60);
    published(world.orgA.id, 10);
    const a1 = received(p1, 50);
    const a2 = received(p1, 50);
    received(p1, 30);
    moveOutOfFirst(a1, p1, 48);
    mail(a2, world.orgA.id, 'pipeline.rejected', 30);
    hire(a1, p1, 30);
    // Alpha Deux: one posting, 2 applications, both answered in time; hired in 50 days. A recent unanswered one does not count yet.
    const q1 = published(world.orgA2.id, 80);
    const b1 = received(q1, 70);
    const b2 = received(q1, 70);
    received(q1, 3);
    mail(b1, world.orgA2.id, 'pipeline.stage', 65);
    moveOutOfFirst(b2, q1, 60);
    hire(b1, q1, 30);
    // Bravo is another region: never in Alpha's median.
    const r1 = published(world.orgB.id, 20);
    received(r1, 19);
    const all = regionBenchmarks(ctx.db, world.regionA.id);
    const alpha = all.rows.find((r) => r.organisationId === world.orgA.id)!;
    const deux = all.rows.find((r) => r.organisationId === world.orgA2.id)!;
    expect(alpha).to.include({ timeToHireDays: 30, applicationsPerPosting: 1.5, answeredShare: 33, replyBase: 3 });
    expect(deux).to.include({ timeToHireDays: 50, applicationsPerPosting: 3, answeredShare: 100, replyBase: 2 });
    expect(all.rows.map((r) => r.name)).to.deep.equal(['CPTS Alpha', 'CPTS Alpha Deux']);
    expect(all.region).to.deep.equal({ timeToHireDays: 40, applicationsPerPosting: 2.3, answeredShare: 67 });
    expect(cptsBenchmarks(ctx.db, world.orgA.id)!.region).to.deep.equal(all.region);
  });

  it('when the median is taken then it is the middle value, or the mean of the two middle ones', () => {
    expect(median([])).to.equal(null);
    expect(median([5, 1, 3])).to.equal(3);
    expect(median([4, 1, 3, 10])).to.equal(3.5);
  });

  it('when the chargée opens the regional dashboard and the bureau its reports then both show the figures against the median; others get a 404', async () => {
    const p = published(world.orgA.id, 60);
    const a = received(p, 50);
    moveOutOfFirst(a, p, 49);
    const charge = await login(ctx.app, world.chargeA.email, world.chargeA.password);
    const region = pageText((await charge.get(`/regions/${world.regionA.id}/tableau-de-bord`)).text);
    expect(region).to.contain('Repères régionaux').and.to.contain('Médiane de la région').and.to.contain('Réponse sous 15 jours');
    const bureau = await login(ctx.app, world.bureauA.email, world.bureauA.password);
    const report = await bureau.get(`/organisations/${world.orgA.id}/rapports`);
    expect(report.status).to.equal(200);
    expect(pageText(report.text)).to.contain('Médiane de la région (2 CPTS)').and.to.contain('100 %');
    const other = await login(ctx.app, world.bureauB.email, world.bureauB.password);
    expect((await other.get(`/organisations/${world.orgA.id}/rapports`)).status).to.equal(404);
    expect((await other.get(`/regions/${world.regionA.id}/tableau-de-bord`)).status).to.equal(404);
  });
});
