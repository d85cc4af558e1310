import fs from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import { nowIso } from '../../server/core/db.js';
import { eraseFromCandidateLink } from '../../server/features/privacy/service.js';
import { runRetention } from '../../server/features/privacy/retention.js';
import { anonymous, csrfFrom, login, pageText, type Agent } from '../helpers/agent.js';
import { createTestContext, mailContext, type TestContext } from '../helpers/app.js';
import { createWorld } from '../helpers/factories.js';
import { lastMailTo, linkIn, mailsTo } from '../helpers/mail.js';
import { pdfFile } from '../fixtures/documents.js';
import { publishedPosting } from '../fixtures/postings.js';
import { apply, cv, VALID_FIELDS } from '../applications/support.js';
import { minimalPdf } from '../../server/demo/pdf.js';

type Row = Record<string, unknown>;

const CV_TEXT = ['Camille Martin', 'Coordinatrice de parcours geriatrie', 'Animation de reseau pluriprofessionnel'];

describe('pool: the regional talent pool, from consent to another CPTS’s pipeline', () => {
  let ctx: TestContext;
  let world: Awaited<ReturnType<typeof createWorld>>;
  let source: { id: number; slug: string };
  let target: { id: number; slug: string };
  const one = (sql: string, ...args: unknown[]) => ctx.db.prepare(sql).get(...args) as Row | undefined;
  const count = (sql: string, ...args: unknown[]) => (ctx.db.prepare(sql).get(...args) as { n: number }).n;

  beforeEach(async () => {
    ctx = createTestContext();
    world = await createWorld(ctx.db);
    source = publishedPosting(ctx.db, world.bureauA.id, world.orgA.id);
    target = publishedPosting(ctx.db, world.chargeA.id, world.orgA2.id);
  });
  afterEach(() => ctx.close());

  /** A candidate applies to CPTS Alpha sharing with the region; the recruitment then closes. */
  async function pooled(fields: Record<string, string> = {}) {
    const res = await apply(anonymous(ctx.app), source.slug, { ...VALID_FIELDS, region_pool: '1', ...fields }, [cv(minimalPdf(CV_TEXT))]);
    expect(res.status, res.text).to.equal(303);
    ctx.db.prepare("UPDATE postings SET status = 'closed', closed_at = ? WHERE id = ?").run(nowIso(), source.id);
    return one('SELECT id FROM applications WHERE posting_id = ?', source.id)!.id as number;
  }

  async function charge(): Promise<Agent> {
    return login(ctx.app, world.chargeA.email, world.chargeA.password);
  }

  async function propose(agent: Agent, applicationId: number, postingId: number) {
    const page = await agent.get(`/regions/${world.regionA.id}/vivier`);
    return agent.post(`/regions/${world.regionA.id}/vivier/candidatures/${applicationId}/propositions`).type('form').send({ _csrf: csrfFrom(page.text), posting_id: String(postingId) });
  }

  it('when the form is shown then the regional consent is its own unticked box, and without it nothing is extracted or indexed', async () => {
    const page = await anonymous(ctx.app).get(`/offres/${source.slug}/postuler`);
    expect(page.text).to.match(/<input type="checkbox" id="f-region_pool" name="region_pool" value="1" aria-describedby/);
    expect(page.text).not.to.match(/name="region_pool"[^>]*checked/);
    expect(pageText(page.text)).to.contain('partagée avec les autres CPTS de la région');
    await apply(anonymous(ctx.app), source.slug, VALID_FIELDS, [cv(minimalPdf(CV_TEXT))]);
    expect(one('SELECT region_pool_consent FROM applications')).to.deep.equal({ region_pool_consent: 0 });
    expect(count('SELECT COUNT(*) AS n FROM document_texts')).to.equal(0);
    expect(count('SELECT COUNT(*) AS n FROM region_pool_fts')).to.equal(0);
  });

  it('when a candidate shares with the region then the CV text is extracted and indexed without their name, and the chargée finds them by words of the CV', async () => {
    const id = await pooled();
    expect(one('SELECT region_pool_consent, region_pool_at IS NOT NULL AS at FROM applications WHERE id = ?', id)).to.deep.equal({ region_pool_consent: 1, at: 1 });
    expect(String(one('SELECT body FROM document_texts')!.body)).to.contain('Coordinatrice de parcours geriatrie');
    const agent = await charge();
    const found = await agent.get(`/regions/${world.regionA.id}/vivier?q=gériatrie`);
    expect(found.status).to.equal(200);
    expect(pageText(found.text)).to.contain('Camille Martin');
    expect(pageText(found.text)).to.contain('1 personne pour cette recherche');
    // Prefixes: a word's beginning finds it.
    expect(pageText((await agent.get(`/regions/${world.regionA.id}/vivier?q=pluripro`)).text)).to.contain('Camille Martin');
    // The identity is not in the index: searching the surname finds nobody.
    expect(pageText((await agent.get(`/regions/${world.regionA.id}/vivier?q=Martin`)).text)).to.contain('Aucune personne du vivier ne correspond');
    // FTS5 syntax is never passed through: quotes and operators are words or nothing.
    const odd = await agent.get(`/regions/${world.regionA.id}/vivier?q=${encodeURIComponent('"NEAR( OR *')}`);
    expect(odd.status).to.equal(200);
  });

  it('when the recruitment is still open, or the person was hired, then they are not in the pool', async () => {
    await apply(anonymous(ctx.app), source.slug, { ...VALID_FIELDS, region_pool: '1' }, [cv()]);
    const agent = await charge();
    expect(pageText((await agent.get(`/regions/${world.regionA.id}/vivier`)).text)).to.contain('Personne dans le vivier régional');
    ctx.db.prepare("UPDATE postings SET status = 'filled' WHERE id = ?").run(source.id);
    ctx.db.prepare("UPDATE applications SET status = 'hired'").run();
    expect(pageText((await agent.get(`/regions/${world.regionA.id}/vivier`)).text)).to.contain('Personne dans le vivier régional');
  });

  it('when someone other than the region’s chargée opens the pool or proposes then it is a 404 (another region, bureau, coordinator, admin) or the login page', async () => {
    const id = await pooled();
    for (const u of [world.chargeB, world.bureauA, world.coordinatorA, world.admin]) {
      const agent = await login(ctx.app, u.email, u.password);
      expect((await agent.get(`/regions/${world.regionA.id}/vivier`)).status, u.name).to.equal(404);
      const token = csrfFrom((await agent.get('/compte')).text);
      const res = await agent.post(`/regions/${world.regionA.id}/vivier/candidatures/${id}/propositions`).type('form').send({ _csrf: token, posting_id: String(target.id) });
      expect(res.status, u.name).to.equal(404);
    }
    expect((await anonymous(ctx.app).get(`/regions/${world.regionA.id}/vivier`)).status).to.equal(302);
    expect(count('SELECT COUNT(*) AS n FROM pool_proposals')).to.equal(0);
  });

  it('when the chargée proposes another CPTS’s posting then the candidate is mailed naming it, the step is audited, and nothing reaches that CPTS yet', async () => {
    const id = await pooled();
    const agent = await charge();
    const res = await propose(agent, id, target.id);
    expect(res.status).to.equal(303);
    const mail = lastMailTo(ctx.db, VALID_FIELDS.email);
    expect(mail.template).to.equal('pool.proposal');
    expect(mail.subject).to.contain('CPTS Alpha Deux');
    const title = String(one('SELECT title FROM postings WHERE id = ?', target.id)!.title);
    expect(mail.text_body).to.contain(title).and.to.contain('Chargée A').and.to.contain('/vivier/');
    expect(one('SELECT action, target_id FROM audit_log WHERE action = ?', 'pool.proposed')).to.deep.equal({ action: 'pool.proposed', target_id: id });
    expect(count('SELECT COUNT(*) AS n FROM applications WHERE organisation_id = ?', world.orgA2.id)).to.equal(0);
    // Shown on the pool page; the same posting is not offered twice.
    const page = await agent.get(`/regions/${world.regionA.id}/vivier`);
    expect(pageText(page.text)).to.contain('en attente de réponse');
    const again = await propose(agent, id, target.id);
    expect(again.status).to.equal(303);
    expect(count('SELECT COUNT(*) AS n FROM pool_proposals')).to.equal(1);
  });

  it('when the chargée proposes the source CPTS’s own posting, or sends no posting, then nothing is sent', async () => {
    const id = await pooled();
    const own = publishedPosting(ctx.db, world.bureauA.id, world.orgA.id);
    const agent = await charge();
    await propose(agent, id, own.id);
    const page = await agent.get(`/regions/${world.regionA.id}/vivier`);
    const bad = await agent.post(`/regions/${world.regionA.id}/vivier/candidatures/${id}/propositions`).type('form').send({ _csrf: csrfFrom(page.text), posting_id: 'abc' });
    expect(bad.status).to.equal(422);
    expect(pageText(bad.text)).to.contain('Choisissez une offre');
    expect(count('SELECT COUNT(*) AS n FROM pool_proposals')).to.equal(0);
    expect(mailsTo(ctx.db, VALID_FIELDS.email).filter((m) => m.template === 'pool.proposal')).to.have.length(0);
  });

  async function proposalLink(): Promise<{ id: number; url: string }> {
    const id = await pooled();
    await propose(await charge(), id, target.id);
    return { id, url: linkIn(lastMailTo(ctx.db, VALID_FIELDS.email), '/vivier/') };
  }

  it('when the candidate accepts with their CV ticked then a new application with its own candidate row and a copy of the CV enters the second CPTS’s pipeline; the first is unchanged', async () => {
    const { id, url } = await proposalLink();
    const before = ctx.db.prepare('SELECT * FROM applications WHERE id = ?').get(id);
    const candidate = anonymous(ctx.app);
    const page = await candidate.get(url);
    expect(page.status).to.equal(200);
    expect(pageText(page.text)).to.contain('CPTS Alpha Deux').and.to.contain('CV Camille.pdf');
    const doc = one('SELECT id, stored_name, sha256 FROM application_documents WHERE application_id = ?', id)!;
    const res = await candidate.post(`${url}/accepter`).type('form').send({ _csrf: csrfFrom(page.text), documents: String(doc.id), message: 'Ce poste m’intéresse.' });
    expect(res.status, res.text).to.equal(303);
    const created = one('SELECT a.id, a.organisation_id, a.source, a.message, a.region_pool_consent, c.organisation_id AS candidate_org, c.email FROM applications a JOIN candidates c ON c.id = a.candidate_id WHERE a.posting_id = ?', target.id)!;
    expect(created).to.include({ organisation_id: world.orgA2.id, candidate_org: world.orgA2.id, source: 'region_pool', message: 'Ce poste m’intéresse.', region_pool_consent: 0, email: VALID_FIELDS.email });
    const copy = one('SELECT stored_name, sha256 FROM application_documents WHERE application_id = ?', created.id)!;
    expect(copy.sha256).to.equal(doc.sha256);
    expect(copy.stored_name).not.to.equal(doc.stored_name);
    expect(fs.existsSync(path.join(ctx.config.uploadDir, 'applications', String(copy.stored_name)))).to.equal(true);
    expect(one('SELECT stage_id IS NOT NULL AS carded FROM pipeline_cards WHERE application_id = ?', created.id)).to.deep.equal({ carded: 1 });
    expect(one('SELECT status, application_id FROM pool_proposals')).to.deep.equal({ status: 'accepted', application_id: created.id });
    const after = ctx.db.prepare('SELECT * FROM applications WHERE id = ?').get(id) as Row;
    expect({ ...after, last_contact_at: null, updated_at: null }).to.deep.equal({ ...(before as Row), last_contact_at: null, updated_at: null });
    expect(ctx.db.prepare("SELECT action FROM audit_log WHERE action LIKE 'pool.%' ORDER BY id").pluck().all()).to.deep.equal(['pool.proposed', 'pool.accepted', 'pool.application_created']);
    // The acknowledgement of the new application, with its own private link.
    const ack = lastMailTo(ctx.db, VALID_FIELDS.email);
    expect(ack.template).to.equal('applications.ack');
    // It names the posting with its reference, as the apply form's acknowledgement does (issue 13).
    const reference = ctx.db.prepare('SELECT reference FROM postings WHERE id = ?').pluck().get(target.id) as string;
    expect(ack.subject).to.contain(`(Réf. ${reference})`);
    expect(ack.text_body).to.contain(`(Réf. ${reference})`);
    // The link now says it was answered; answering again changes nothing.
    const done = await candidate.get(url);
    expect(pageText(done.text)).to.contain('Vous avez accepté');
    const again = await candidate.post(`${url}/accepter`).type('form').send({ _csrf: csrfFrom(page.text), documents: String(doc.id) });
    expect(again.status).to.equal(200);
    expect(count('SELECT COUNT(*) AS n FROM applications WHERE posting_id = ?', target.id)).to.equal(1);
    // The second CPTS's bureau reads it in its pipeline; the first CPTS's bureau does not see it.
    const bureauA = await login(ctx.app, world.bureauA.email, world.bureauA.password);
    expect((await bureauA.get(`/recrutement/offres/${target.id}/liste`)).status).to.equal(404);
    const chargeList = await (await charge()).get(`/recrutement/offres/${target.id}/liste`);
    expect(pageText(chargeList.text)).to.contain('Camille Martin');
  });

  it('when the candidate ticks a document that is not theirs then the form says so and nothing is written', async () => {
    const { url } = await proposalLink();
    const candidate = anonymous(ctx.app);
    const page = await candidate.get(url);
    const res = await candidate.post(`${url}/accepter`).type('form').send({ _csrf: csrfFrom(page.text), documents: '999999' });
    expect(res.status).to.equal(422);
    expect(pageText(res.text)).to.contain('Choisissez parmi vos documents');
    const junk = await candidate.post(`${url}/accepter`).type('form').send({ _csrf: csrfFrom(page.text), documents: 'x' });
    expect(junk.status).to.equal(422);
    expect(count('SELECT COUNT(*) AS n FROM applications WHERE posting_id = ?', target.id)).to.equal(0);
    expect(one('SELECT status FROM pool_proposals')).to.deep.equal({ status: 'pending' });
  });

  it('when the candidate declines then nothing reaches the other CPTS and the step is audited', async () => {
    const { url } = await proposalLink();
    const candidate = anonymous(ctx.app);
    const page = await candidate.get(url);
    expect((await candidate.post(`${url}/refuser`).type('form').send({ _csrf: csrfFrom(page.text) })).status).to.equal(303);
    expect(one('SELECT status FROM pool_proposals')).to.deep.equal({ status: 'declined' });
    expect(count('SELECT COUNT(*) AS n FROM applications WHERE posting_id = ?', target.id)).to.equal(0);
    expect(count("SELECT COUNT(*) AS n FROM audit_log WHERE action = 'pool.declined'")).to.equal(1);
    expect(pageText((await candidate.get(url)).text)).to.contain('Vous avez refusé');
  });

  it('when a link is unknown or malformed then it is a 404', async () => {
    expect((await anonymous(ctx.app).get(`/vivier/${'a'.repeat(43)}`)).status).to.equal(404);
    expect((await anonymous(ctx.app).get('/vivier/short')).status).to.equal(404);
  });

  it('when the candidate stops sharing from their private link then the index row, the CV text and pending proposals go', async () => {
    const { id, url } = await proposalLink();
    const ack = mailsTo(ctx.db, VALID_FIELDS.email).find((m) => m.template === 'applications.ack')!;
    const link = linkIn(ack, '/candidature/');
    const candidate = anonymous(ctx.app);
    const page = await candidate.get(link);
    expect(pageText(page.text)).to.contain('Ne plus partager ma candidature avec la région');
    expect((await candidate.post(`${link}/vivier-regional`).type('form').send({ _csrf: csrfFrom(page.text) })).status).to.equal(303);
    expect(one('SELECT region_pool_consent FROM applications WHERE id = ?', id)).to.deep.equal({ region_pool_consent: 0 });
    expect(count('SELECT COUNT(*) AS n FROM region_pool_fts')).to.equal(0);
    expect(count('SELECT COUNT(*) AS n FROM document_texts')).to.equal(0);
    expect(one('SELECT status FROM pool_proposals')).to.deep.equal({ status: 'cancelled' });
    expect((await anonymous(ctx.app).get(url)).status).to.equal(410);
    expect(pageText((await (await charge()).get(`/regions/${world.regionA.id}/vivier`)).text)).to.contain('Personne dans le vivier régional');
  });

  it('when the source application is erased then the pool keeps nothing of it, and the application the candidate created elsewhere stays', async () => {
    const { id, url } = await proposalLink();
    const candidate = anonymous(ctx.app);
    const page = await candidate.get(url);
    await candidate.post(`${url}/accepter`).type('form').send({ _csrf: csrfFrom(page.text), message: 'Oui' });
    eraseFromCandidateLink(ctx.db, { organisation_id: world.orgA.id, email: VALID_FIELDS.email }, ctx.config.uploadDir, mailContext(ctx));
    expect(one('SELECT id FROM applications WHERE id = ?', id)).to.equal(undefined);
    expect(count('SELECT COUNT(*) AS n FROM region_pool_fts')).to.equal(0);
    expect(count('SELECT COUNT(*) AS n FROM document_texts')).to.equal(0);
    expect(count('SELECT COUNT(*) AS n FROM pool_proposals')).to.equal(0);
    expect(count('SELECT COUNT(*) AS n FROM applications WHERE posting_id = ?', target.id)).to.equal(1);
  });

  it('when the access export is read then it lists the regional consent, the CV text kept and the proposals', async () => {
    const { id } = await proposalLink();
    void id;
    const ack = mailsTo(ctx.db, VALID_FIELDS.email).find((m) => m.template === 'applications.ack')!;
    const text = pageText((await anonymous(ctx.app).get(`${linkIn(ack, '/candidature/')}/donnees`)).text);
    expect(text).to.contain('Accord pour le vivier régional');
    expect(text).to.contain('Texte lu dans vos documents');
    expect(text).to.contain('Coordinatrice de parcours geriatrie');
    expect(text).to.contain('Postes proposés par la région');
    expect(text).to.contain('en attente de réponse');
  });

  it('when the source posting screened anonymously and the person was rejected at screening then the pool names them by number and a search for their name finds nothing', async () => {
    ctx.db.prepare('INSERT INTO pipeline_settings (posting_id, organisation_id, anonymised, updated_at) VALUES (?, ?, 1, ?)').run(source.id, world.orgA.id, nowIso());
    const id = await pooled({ message: 'Camille Martin, coordinatrice en gériatrie.' });
    const rejected = one("SELECT id FROM pipeline_stages WHERE posting_id = ? AND kind = 'rejected'", source.id)!.id;
    ctx.db.prepare('UPDATE pipeline_cards SET stage_id = ? WHERE application_id = ?').run(rejected, id);
    const agent = await charge();
    const page = pageText((await agent.get(`/regions/${world.regionA.id}/vivier?q=geriatrie`)).text);
    expect(page).to.match(/Candidat·e n°\d+/);
    expect(page).not.to.contain('Camille');
    expect(page).not.to.contain(VALID_FIELDS.email);
    expect(pageText((await agent.get(`/regions/${world.regionA.id}/vivier?q=camille`)).text)).to.contain('Aucune personne');
  });

  it('when the second CPTS’s posting screens anonymously then its bureau’s notice of the accepted application names no one', async () => {
    ctx.db.prepare('INSERT INTO pipeline_settings (posting_id, organisation_id, anonymised, updated_at) VALUES (?, ?, 1, ?)').run(target.id, world.orgA2.id, nowIso());
    const bureau2 = await (await import('../helpers/factories.js')).createUser(ctx.db, { name: 'Bureau Deux', memberships: [{ organisationId: world.orgA2.id, role: 'bureau' }] });
    const { url } = await proposalLink();
    const candidate = anonymous(ctx.app);
    const page = await candidate.get(url);
    await candidate.post(`${url}/accepter`).type('form').send({ _csrf: csrfFrom(page.text) });
    const notice = lastMailTo(ctx.db, bureau2.email);
    expect(notice.template).to.equal('applications.bureau');
    expect(notice.text_body).to.match(/Candidat·e n°\d+/);
    expect(notice.text_body + notice.subject).not.to.contain('Camille');
  });

  it('when a document is added through the private link of a shared application then its text is indexed too', async () => {
    const res = await apply(anonymous(ctx.app), source.slug, { ...VALID_FIELDS, region_pool: '1' }, [cv(pdfFile())]);
    expect(res.status).to.equal(303);
    const ack = lastMailTo(ctx.db, VALID_FIELDS.email);
    const link = linkIn(ack, '/candidature/');
    const candidate = anonymous(ctx.app);
    const page = await candidate.get(link);
    const add = await candidate.post(`${link}/documents`).field('_csrf', csrfFrom(page.text)).field('kind', 'other').attach('document', minimalPdf(['Lettre', 'Experience en addictologie']), { filename: 'Lettre.pdf', contentType: 'application/pdf' });
    expect(add.status, add.text).to.equal(303);
    ctx.db.prepare("UPDATE postings SET status = 'closed' WHERE id = ?").run(source.id);
    expect(pageText((await (await charge()).get(`/regions/${world.regionA.id}/vivier?q=addictologie`)).text)).to.contain('Camille Martin');
  });

  it('when the regional consent was given then retention keeps the application as the talent pool does, and then anonymisation empties the pool of it', async () => {
    const id = await pooled();
    const settings = { retentionMonths: 3, talentPoolMonths: 24, uploadDir: ctx.config.uploadDir };
    // Five months after the end: past the 3 months without consent, within the 24 with it.
    expect(runRetention(ctx.db, settings, new Date(Date.now() + 150 * 86_400_000)).anonymised).to.equal(0);
    expect(count('SELECT COUNT(*) AS n FROM region_pool_fts')).to.equal(1);
    // The CV's words are in the index's own table until then (a term may be stored after a prefix it shares).
    const termIn = () => count("SELECT COUNT(*) AS n FROM region_pool_fts_data WHERE instr(block, CAST('riprofessionnel' AS BLOB)) > 0");
    expect(termIn()).to.equal(1);
    expect(runRetention(ctx.db, settings, new Date(Date.now() + 800 * 86_400_000)).anonymised).to.equal(1);
    expect(count('SELECT COUNT(*) AS n FROM region_pool_fts')).to.equal(0);
    expect(count('SELECT COUNT(*) AS n FROM document_texts')).to.equal(0);
    expect(termIn()).to.equal(0);
    expect(pageText((await (await charge()).get(`/regions/${world.regionA.id}/vivier`)).text)).to.contain('Personne dans le vivier régional');
    void id;
  });

  it('when the posting asked its own question then the answer is searched too', async () => {
    const question = ctx.db
      .prepare("INSERT INTO posting_questions (organisation_id, posting_id, position, kind, label, created_at, updated_at) VALUES (?, ?, 1, 'short_text', 'Vos outils ?', ?, ?)")
      .run(world.orgA.id, source.id, nowIso(), nowIso()).lastInsertRowid;
    await pooled({ [`q_${question}`]: 'Cartographie sous QGIS' });
    expect(pageText((await (await charge()).get(`/regions/${world.regionA.id}/vivier?q=qgis`)).text)).to.contain('Camille Martin');
  });
});
