import { expect } from 'chai';
import { anonymous, login, pageText } from '../helpers/agent.js';
import { createTestContext, type TestContext } from '../helpers/app.js';
import { createWorld } from '../helpers/factories.js';
import { docxFile, pdfFile } from '../fixtures/documents.js';
import { publishedPosting } from '../fixtures/postings.js';
import { apply, cv, VALID_FIELDS } from './support.js';

type Row = Record<string, unknown>;

describe('applications: the bureau’s list of a posting’s applications and document downloads', () => {
  let ctx: TestContext;
  let world: Awaited<ReturnType<typeof createWorld>>;
  let posting: { id: number; slug: string };
  let docs: Row[];
  beforeEach(async () => {
    ctx = createTestContext();
    world = await createWorld(ctx.db);
    posting = publishedPosting(ctx.db, world.bureauA.id, world.orgA.id);
    await apply(anonymous(ctx.app), posting.slug, VALID_FIELDS, [cv(pdfFile(), 'CV Camille Martin.pdf'), { field: 'other_document', data: await docxFile(), filename: 'Lettre "spéciale".docx' }]);
    docs = ctx.db.prepare('SELECT id, file_type FROM application_documents ORDER BY id').all() as Row[];
  });
  afterEach(() => ctx.close());

  it('when the bureau or the region’s chargée opens the old list address then they reach the pipeline list with the candidates', async () => {
    for (const user of [world.bureauA, world.chargeA]) {
      const agent = await login(ctx.app, user.email, user.password);
      const res = await agent.get(`/gestion/offres/${posting.id}/candidatures`);
      expect(res.status).to.equal(301);
      expect(res.headers.location).to.equal(`/recrutement/offres/${posting.id}/liste`);
      const list = await agent.get(res.headers.location);
      expect(list.status).to.equal(200);
      expect(pageText(list.text)).to.contain('Camille Martin');
    }
  });

  it('when the bureau downloads a document then it comes as an attachment with its type, and the download is audited', async () => {
    const agent = await login(ctx.app, world.bureauA.email, world.bureauA.password);
    const pdf = await agent.get(`/gestion/documents/${docs[0].id}`).redirects(1).buffer(true);
    expect(pdf.status).to.equal(200);
    expect(pdf.headers['content-type']).to.equal('application/pdf');
    expect(pdf.headers['content-disposition']).to.equal('attachment; filename="CV Camille Martin.pdf"');
    expect(pdf.headers['x-content-type-options']).to.equal('nosniff');
    expect(Buffer.from(pdf.body as Buffer).equals(pdfFile())).to.equal(true);
    const docx = await agent.get(`/gestion/documents/${docs[1].id}`).redirects(1).buffer(true);
    expect(docx.headers['content-type']).to.contain('wordprocessingml');
    expect(docx.headers['content-disposition']).to.equal(`attachment; filename="Lettre sp?ciale.docx"; filename*=UTF-8''Lettre%20sp%C3%A9ciale.docx`);
    expect((ctx.db.prepare("SELECT COUNT(*) AS n FROM audit_log WHERE action = 'application.document_downloaded'").get() as Row).n).to.equal(2);
  });

  it('when another CPTS’s bureau, another region’s chargé, a coordinator, the admin or a stranger asks then 404, never the data', async () => {
    for (const user of [world.bureauB, world.chargeB, world.coordinatorA, world.admin, world.nobody]) {
      const agent = await login(ctx.app, user.email, user.password);
      const list = await agent.get(`/gestion/offres/${posting.id}/candidatures`);
      expect(list.status, user.email).to.equal(404);
      expect(list.text).not.to.contain('Camille');
      for (const d of docs) expect((await agent.get(`/gestion/documents/${d.id}`)).status, user.email).to.equal(404);
    }
    const anon = await anonymous(ctx.app).get(`/gestion/documents/${docs[0].id}`);
    expect(anon.status).to.equal(302);
    const bureau = await login(ctx.app, world.bureauA.email, world.bureauA.password);
    expect((await bureau.get('/gestion/documents/999999')).status).to.equal(404);
    expect((await bureau.get('/gestion/documents/abc')).status).to.equal(404);
    expect((await bureau.get('/gestion/offres/999999/candidatures')).status).to.equal(404);
  });

  it('when the CPTS postings list is shown then it counts the applications and links to them', async () => {
    const agent = await login(ctx.app, world.bureauA.email, world.bureauA.password);
    const res = await agent.get(`/organisations/${world.orgA.id}/offres`);
    expect(res.text).to.contain(`/recrutement/offres/${posting.id}/liste`);
  });
});
