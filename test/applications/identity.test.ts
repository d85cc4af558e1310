/**
 * Candidate identity and re-application (issue 12): candidate records belong to one CPTS, a
 * public form only creates, a second submission is answered like the first and mails the
 * private link, where the candidate completes the application; at most a few such mails per
 * address per day; POST-redirect-GET; same-address facts within a CPTS only.
 */
import fs from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import { anonymous, csrfFrom, login, pageText, type Agent } from '../helpers/agent.js';
import { createApp } from '../../server/app.js';
import { openDatabase } from '../../server/core/db.js';
import { createLogger } from '../../server/core/logger.js';
import { createTestContext, type TestContext } from '../helpers/app.js';
import { tableRows } from '../helpers/db-snapshot.js';
import { createWorld } from '../helpers/factories.js';
import { lastMailTo, linkIn, mailsTo } from '../helpers/mail.js';
import { docxFile, exeAsPdf, pdfFile } from '../fixtures/documents.js';
import { publishedPosting } from '../fixtures/postings.js';
import { ACK_MAILS_PER_DAY, MAX_DOCUMENTS_PER_APPLICATION } from '../../server/features/applications/service.js';
import { apply, applyToken, cv, footprint, postApplication, sentLocation, VALID_FIELDS } from './support.js';

type Row = Record<string, unknown>;

describe('applications: candidate identity and re-application', () => {
  let ctx: TestContext;
  let world: Awaited<ReturnType<typeof createWorld>>;
  let postingA: { id: number; slug: string };
  let postingB: { id: number; slug: string };
  beforeEach(async () => {
    // 'loopback' trusts X-Forwarded-For from this machine only (a local reverse proxy), so a
    // test can send from many client IPs.
    ctx = createTestContext({ UPLOAD_MAX_BYTES: String(64 * 1024) }, { trustProxy: 'loopback' as unknown as boolean });
    world = await createWorld(ctx.db);
    postingA = publishedPosting(ctx.db, world.bureauA.id, world.orgA.id);
    postingB = publishedPosting(ctx.db, world.bureauB.id, world.orgB.id);
  });
  afterEach(() => ctx.close());

  const appRows = () => tableRows(ctx.db, ['candidates', 'applications', 'application_documents', 'application_links', 'application_events', 'pipeline_cards', 'pipeline_moves']);
  const appIdOf = (postingId: number, email: string) =>
    (ctx.db.prepare('SELECT a.id FROM applications a JOIN candidates c ON c.id = a.candidate_id WHERE a.posting_id = ? AND c.email = ?').get(postingId, email) as { id: number }).id;
  const documentFiles = () => fs.readdirSync(path.join(ctx.config.uploadDir, 'applications')).sort();

  /** The pages the bureau of a CPTS reads about one application, as text. */
  async function bureauPages(agent: Agent, postingId: number, applicationId: number) {
    const pages = [`/recrutement/offres/${postingId}`, `/recrutement/offres/${postingId}/liste`, `/recrutement/candidatures/${applicationId}`];
    const out: string[] = [];
    for (const p of pages) {
      const res = await agent.get(p);
      expect(res.status, p).to.equal(200);
      out.push(pageText(res.text).replace(/name="_csrf" value="[^"]+"/g, ''));
    }
    return out;
  }

  it('when someone applies at CPTS B with the e-mail of a candidate at CPTS A then nothing changes on A’s pages, and B sees its own candidate', async () => {
    await apply(anonymous(ctx.app), postingA.slug);
    const idA = appIdOf(postingA.id, VALID_FIELDS.email);
    const bureauA = await login(ctx.app, world.bureauA.email, world.bureauA.password);
    const pagesBefore = await bureauPages(bureauA, postingA.id, idA);
    const rowsOfA = () => ctx.db.prepare('SELECT a.*, c.first_name, c.last_name, c.phone, c.email FROM applications a JOIN candidates c ON c.id = a.candidate_id WHERE a.organisation_id = ?').all(world.orgA.id);
    const before = rowsOfA();

    const res = await apply(anonymous(ctx.app), postingB.slug, { ...VALID_FIELDS, first_name: 'Usurpatrice', last_name: 'Renommée', phone: '07 00 00 00 00', message: 'Autre texte' }, [cv(pdfFile('B'))]);
    expect(res.status).to.equal(303);

    expect(rowsOfA()).to.deep.equal(before);
    expect(await bureauPages(bureauA, postingA.id, idA)).to.deep.equal(pagesBefore);
    expect(pagesBefore.join(' ')).not.to.contain('Renommée');
    const idB = appIdOf(postingB.id, VALID_FIELDS.email);
    const bureauB = await login(ctx.app, world.bureauB.email, world.bureauB.password);
    const pageB = pageText((await bureauB.get(`/recrutement/candidatures/${idB}`)).text);
    expect(pageB).to.contain('Usurpatrice Renommée');
    expect(pageB).not.to.contain('Camille Martin');
    // Two candidate rows, one per CPTS; B's receipt is B's.
    expect(ctx.db.prepare('SELECT organisation_id, first_name FROM candidates ORDER BY id').all()).to.deep.equal([
      { organisation_id: world.orgA.id, first_name: 'Camille' },
      { organisation_id: world.orgB.id, first_name: 'Usurpatrice' },
    ]);
  });

  it('when the same address applies again to the posting then the answer is the same, its link is mailed and nothing changes for the bureau; through the link it adds a document and updates the message, which the bureau sees on the timeline', async () => {
    const first = await apply(anonymous(ctx.app), postingA.slug);
    const firstLink = linkIn(lastMailTo(ctx.db, VALID_FIELDS.email), '/candidature/');
    const bureauMails = mailsTo(ctx.db, world.bureauA.email).length;
    const id = appIdOf(postingA.id, VALID_FIELDS.email);
    const bureau = await login(ctx.app, world.bureauA.email, world.bureauA.password);
    const pagesBefore = await bureauPages(bureau, postingA.id, id);
    const rowsBefore = appRows();
    const filesBefore = documentFiles();

    const visitor = anonymous(ctx.app);
    const again = await apply(visitor, postingA.slug, { ...VALID_FIELDS, email: 'Camille.MARTIN@exemple.test', first_name: 'Quelqu’un', message: 'Réécrit', talent_pool: '1' }, [
      cv(pdfFile('autre')),
      { field: 'other_document', data: await docxFile(), filename: 'Autre.docx' },
    ]);
    // The same answer as a first application: status, place and page.
    expect(again.status).to.equal(first.status);
    expect(again.headers.location).to.equal(first.headers.location);
    const firstPage = await anonymous(ctx.app).get(first.headers.location);
    const againPage = await visitor.get(again.headers.location);
    expect(againPage.status).to.equal(firstPage.status);
    expect(pageText(againPage.text)).to.equal(pageText(firstPage.text));

    // Nothing changed: rows (but one new private link), files, bureau pages and mails.
    const rowsAfter = appRows();
    expect({ ...rowsAfter, application_links: [] }).to.deep.equal({ ...rowsBefore, application_links: [] });
    expect(rowsAfter.application_links.slice(0, rowsBefore.application_links.length)).to.deep.equal(rowsBefore.application_links);
    expect(rowsAfter.application_links).to.have.length(rowsBefore.application_links.length + 1);
    expect(documentFiles()).to.deep.equal(filesBefore);
    expect(mailsTo(ctx.db, world.bureauA.email)).to.have.length(bureauMails);
    expect(await bureauPages(bureau, postingA.id, id)).to.deep.equal(pagesBefore);

    // The address is told, addressed by the name on file, with a fresh link; the old one still works.
    const mail = lastMailTo(ctx.db, 'Camille.MARTIN@exemple.test');
    expect(mail.template).to.equal('applications.reapply');
    expect(mail.text_body).to.contain('Bonjour Camille Martin');
    expect(mail.text_body).to.contain('Vous avez déjà postulé à cette offre');
    expect(mail.text_body).to.contain('ajouter un document ou mettre à jour votre message');
    expect(mail.text_body).not.to.contain('Quelqu’un');
    const link = linkIn(mail, '/candidature/');
    expect(link).not.to.equal(firstLink);
    expect((await anonymous(ctx.app).get(firstLink)).status).to.equal(200);

    // Through the link: a document and a new message.
    const candidate = anonymous(ctx.app);
    const page = await candidate.get(link);
    expect(pageText(page.text)).to.contain('Ajouter un document');
    const added = await candidate
      .post(`${link}/documents`)
      .field('_csrf', csrfFrom(page.text))
      .field('kind', 'other')
      .attach('document', await docxFile(), { filename: 'Attestation PACTE.docx', contentType: 'application/octet-stream' });
    expect(added.status).to.equal(303);
    expect(added.headers.location).to.equal(link);
    const afterAdd = await candidate.get(link);
    expect(pageText(afterAdd.text)).to.contain('Votre document a été ajouté à votre candidature.');
    expect(pageText(afterAdd.text)).to.contain('Attestation PACTE.docx');
    const updated = await candidate.post(`${link}/message`).type('form').send({ _csrf: csrfFrom(afterAdd.text), message: '  Je joins mon attestation de formation.  ' });
    expect(updated.status).to.equal(303);
    expect(pageText((await candidate.get(link)).text)).to.contain('Votre message a été mis à jour.');
    expect(ctx.db.prepare('SELECT message FROM applications WHERE id = ?').get(id)).to.deep.equal({ message: 'Je joins mon attestation de formation.' });

    const bureauPage = pageText((await bureau.get(`/recrutement/candidatures/${id}`)).text);
    expect(bureauPage).to.contain('La personne a ajouté un document depuis son lien personnel');
    expect(bureauPage).to.contain('La personne a mis à jour son message depuis son lien personnel');
    expect(bureauPage).to.contain('Attestation PACTE.docx');
    expect(bureauPage).to.contain('Je joins mon attestation de formation.');
    expect((ctx.db.prepare('SELECT action FROM application_events WHERE application_id = ? ORDER BY id').all(id) as Row[]).map((e) => e.action)).to.deep.equal([
      'submitted',
      'document_added',
      'message_updated',
    ]);
  });

  it('when the link’s forms get bad input then the page says so in French with a 4xx and nothing is kept', async () => {
    await apply(anonymous(ctx.app), postingA.slug);
    const link = linkIn(lastMailTo(ctx.db, VALID_FIELDS.email), '/candidature/');
    const id = appIdOf(postingA.id, VALID_FIELDS.email);
    const candidate = anonymous(ctx.app);
    const token = csrfFrom((await candidate.get(link)).text);
    const before = { rows: appRows(), files: documentFiles() };
    const post = (file?: { data: Buffer; name: string }, kind = 'other') => {
      const req = candidate.post(`${link}/documents`).field('_csrf', token).field('kind', kind);
      return file ? req.attach('document', file.data, { filename: file.name, contentType: 'application/pdf' }) : req;
    };
    const forged = await post({ data: exeAsPdf(), name: 'cv.pdf' });
    expect(forged.status).to.equal(422);
    expect(pageText(forged.text)).to.contain('n’est pas un document PDF, DOCX ou ODT valide');
    const none = await post();
    expect(none.status).to.equal(422);
    expect(pageText(none.text)).to.contain('Choisissez un document');
    const big = await post({ data: Buffer.concat([pdfFile(), Buffer.alloc(ctx.config.uploadMaxBytes + 10, 0x20)]), name: 'gros.pdf' });
    expect(big.status).to.equal(413);
    expect(pageText(big.text)).to.contain('Ce fichier dépasse la taille autorisée.');
    const twoFiles = await post({ data: pdfFile(), name: 'cv.pdf' }).attach('document', pdfFile(), 'encore.pdf');
    expect(twoFiles.status).to.equal(422);
    expect(pageText(twoFiles.text)).to.contain('Joignez un seul document à la fois');
    const badKind = await post({ data: pdfFile(), name: 'cv.pdf' }, 'photo');
    expect(badKind.status).to.equal(422);
    expect(pageText(badKind.text)).to.contain('Indiquez le type de document.');
    const long = await candidate.post(`${link}/message`).type('form').send({ _csrf: token, message: 'm'.repeat(10_001) });
    expect(long.status).to.equal(422);
    expect(pageText(long.text)).to.contain('Le message est trop long');
    // Without the session's CSRF token, or with a wrong link: refused before anything is kept.
    expect((await anonymous(ctx.app).post(`${link}/documents`).field('_csrf', token).attach('document', pdfFile(), 'cv.pdf')).status).to.equal(403);
    expect((await anonymous(ctx.app).post(`${link}/message`).type('form').send({ message: 'x' })).status).to.equal(403);
    const unknown = `/candidature/${'B'.repeat(43)}`;
    expect((await candidate.post(`${unknown}/documents`).field('_csrf', token).attach('document', pdfFile(), 'cv.pdf')).status).to.equal(404);
    expect((await candidate.post(`${unknown}/message`).type('form').send({ _csrf: token, message: 'x' })).status).to.equal(404);
    expect({ rows: appRows(), files: documentFiles() }).to.deep.equal(before);

    // A closed application (here not retained) cannot be completed; through an expired link neither.
    ctx.db.prepare("UPDATE applications SET status = 'rejected' WHERE id = ?").run(id);
    const closedDoc = await post({ data: pdfFile(), name: 'cv.pdf' });
    expect(closedDoc.status).to.equal(409);
    expect(pageText(closedDoc.text)).to.contain('Cette candidature est close');
    expect((await candidate.post(`${link}/message`).type('form').send({ _csrf: token, message: 'Nouveau' })).status).to.equal(409);
    ctx.db.prepare("UPDATE applications SET status = 'received' WHERE id = ?").run(id);
    ctx.db.prepare('UPDATE application_links SET expires_at = ?').run('2020-01-01T00:00:00.000Z');
    expect((await post({ data: pdfFile(), name: 'cv.pdf' })).status).to.equal(410);
    expect((await candidate.post(`${link}/message`).type('form').send({ _csrf: token, message: 'Nouveau' })).status).to.equal(410);
    expect(documentFiles()).to.deep.equal(before.files);
    expect(appRows().application_documents).to.deep.equal(before.rows.application_documents);
  });

  it(`when a link already holds ${MAX_DOCUMENTS_PER_APPLICATION} documents then one more is refused and its file removed`, async () => {
    await apply(anonymous(ctx.app), postingA.slug);
    const link = linkIn(lastMailTo(ctx.db, VALID_FIELDS.email), '/candidature/');
    const candidate = anonymous(ctx.app);
    const token = csrfFrom((await candidate.get(link)).text);
    for (let n = 1; n < MAX_DOCUMENTS_PER_APPLICATION; n++) {
      const res = await candidate.post(`${link}/documents`).field('_csrf', token).attach('document', pdfFile(`doc ${n}`), `doc${n}.pdf`);
      expect(res.status).to.equal(303);
    }
    expect(footprint(ctx).documents).to.equal(MAX_DOCUMENTS_PER_APPLICATION);
    const files = documentFiles();
    const refused = await candidate.post(`${link}/documents`).field('_csrf', token).attach('document', pdfFile('de trop'), 'trop.pdf');
    expect(refused.status).to.equal(422);
    expect(pageText(refused.text)).to.contain('nombre maximal de documents');
    expect(documentFiles()).to.deep.equal(files);
  });

  it(`when one address is sent from many IPs and two processes then at most ${ACK_MAILS_PER_DAY} acknowledgement or link mails reach it in 24 hours, and every answer is the same`, async () => {
    const postings = [postingA, postingB, publishedPosting(ctx.db, world.bureauA.id, world.orgA.id, { template: 'case_manager' })];
    // A second process: its own app and connection on the same database file.
    const otherDb = openDatabase(ctx.config.databasePath);
    const otherApp = createApp({ config: ctx.config, db: otherDb, logger: createLogger('silent'), sessionSecret: 'test-secret-'.padEnd(48, 'x') });
    const answers: string[] = [];
    let n = 0;
    const send = async (slug: string) => {
      const agent = anonymous(++n % 2 ? ctx.app : otherApp);
      const ip = `203.0.113.${n}`;
      const token = csrfFrom((await agent.get(`/offres/${slug}/postuler`).set('X-Forwarded-For', ip)).text);
      const res = await postApplication(agent, slug, token, VALID_FIELDS, [cv()]).set('X-Forwarded-For', ip);
      answers.push(`${res.status} ${res.headers.location === sentLocation(slug)}`);
    };
    for (const p of postings) await send(p.slug); // three first applications: three receipts
    for (const p of postings) await send(p.slug); // three re-applications: over the cap
    await send(postingA.slug);
    expect(answers).to.deep.equal(Array(7).fill('303 true'));
    const mails = mailsTo(ctx.db, VALID_FIELDS.email);
    expect(mails.map((m) => m.template)).to.deep.equal(['applications.ack', 'applications.ack', 'applications.ack']);
    expect(footprint(ctx)).to.include({ applications: 3, links: 3 });
    // The next day the address gets its link again; another address was never capped.
    ctx.db.prepare("UPDATE outbox SET created_at = '2020-01-01T00:00:00.000Z'").run();
    await send(postingA.slug);
    expect(lastMailTo(ctx.db, VALID_FIELDS.email).template).to.equal('applications.reapply');
    await apply(anonymous(ctx.app), postingA.slug, { ...VALID_FIELDS, email: 'autre@exemple.test' });
    expect(mailsTo(ctx.db, 'autre@exemple.test')).to.have.length(1);
    otherDb.close();
  });

  it('when an application is over the mail cap then it is still recorded for the bureau, and applying again later mails its link', async () => {
    const at = new Date().toISOString();
    for (let i = 0; i < ACK_MAILS_PER_DAY; i++) {
      ctx.db
        .prepare("INSERT INTO outbox (template, to_address, subject, text_body, html_body, next_attempt_at, created_at) VALUES ('applications.ack', ?, 's', 't', 'h', ?, ?)")
        .run(VALID_FIELDS.email.toUpperCase(), at, at);
    }
    const res = await apply(anonymous(ctx.app), postingA.slug);
    expect(res.status).to.equal(303);
    expect(footprint(ctx)).to.include({ applications: 1, links: 0 });
    expect(mailsTo(ctx.db, VALID_FIELDS.email)).to.have.length(0);
    expect(lastMailTo(ctx.db, world.bureauA.email).subject).to.contain('Nouvelle candidature');
    ctx.db.prepare("UPDATE outbox SET created_at = '2020-01-01T00:00:00.000Z'").run();
    expect((await apply(anonymous(ctx.app), postingA.slug)).status).to.equal(303);
    const mail = lastMailTo(ctx.db, VALID_FIELDS.email);
    expect(mail.template).to.equal('applications.reapply');
    expect((await anonymous(ctx.app).get(linkIn(mail, '/candidature/'))).status).to.equal(200);
    expect(footprint(ctx)).to.include({ applications: 1, links: 1 });
  });

  it('when the form is posted then the answer is a 303 to the confirmation page, and reloading that page sends and writes nothing', async () => {
    const agent = anonymous(ctx.app);
    const res = await apply(agent, postingA.slug);
    expect(res.status).to.equal(303);
    expect(res.headers.location).to.equal(`/offres/${postingA.slug}/postuler/envoyee`);
    const before = { rows: appRows(), footprint: footprint(ctx) };
    for (let i = 0; i < 3; i++) {
      const page = await agent.get(res.headers.location);
      expect(page.status).to.equal(200);
      expect(pageText(page.text)).to.contain('Candidature envoyée');
      expect(pageText(page.text)).to.contain('Recharger cette page n’envoie rien de nouveau.');
    }
    expect({ rows: appRows(), footprint: footprint(ctx) }).to.deep.equal(before);
    // A draft or unknown posting has no confirmation page.
    expect((await agent.get('/offres/inconnue/postuler/envoyee')).status).to.equal(404);
    expect((await agent.get('/offres/Pas%20un%20slug/postuler/envoyee')).status).to.equal(404);
  });

  it('when an address applied to two postings of a CPTS then each page states the other as a fact, never across CPTS and never merged', async () => {
    const secondA = publishedPosting(ctx.db, world.bureauA.id, world.orgA.id, { template: 'case_manager' });
    await apply(anonymous(ctx.app), postingA.slug);
    await apply(anonymous(ctx.app), secondA.slug, { ...VALID_FIELDS, email: 'CAMILLE.martin@exemple.test', first_name: 'Camila', phone: '' });
    await apply(anonymous(ctx.app), postingB.slug);
    const a1 = appIdOf(postingA.id, VALID_FIELDS.email);
    const a2 = appIdOf(secondA.id, 'CAMILLE.martin@exemple.test');
    const b1 = appIdOf(postingB.id, VALID_FIELDS.email);
    const refOf = (id: number) => (ctx.db.prepare('SELECT reference FROM postings WHERE id = ?').get(id) as { reference: string }).reference;
    const titleOf = (id: number) => (ctx.db.prepare('SELECT title FROM postings WHERE id = ?').get(id) as { title: string }).title;

    const bureauA = await login(ctx.app, world.bureauA.email, world.bureauA.password);
    const page1 = await bureauA.get(`/recrutement/candidatures/${a1}`);
    const page2 = await bureauA.get(`/recrutement/candidatures/${a2}`);
    expect(pageText(page1.text)).to.contain(`Même adresse e-mail que la candidature n°${a2} (offre « ${titleOf(secondA.id)} (Réf. ${refOf(secondA.id)}, publiée le `);
    expect(pageText(page2.text)).to.contain(`Même adresse e-mail que la candidature n°${a1} (offre « ${titleOf(postingA.id)} (Réf. ${refOf(postingA.id)}, publiée le `);
    expect(page1.text).to.contain(`href="/recrutement/candidatures/${a2}"`);
    for (const page of [page1, page2]) {
      expect(pageText(page.text)).not.to.contain(`candidature n°${b1}`);
      expect(page.text).not.to.contain(`/recrutement/candidatures/${b1}"`);
    }
    // The fact names the application, not the address; each keeps its own identity.
    const fact = /Même adresse e-mail que la candidature[^<]*/.exec(page1.text)![0];
    expect(fact.toLowerCase()).not.to.contain('camille.martin@');
    expect(pageText(page1.text)).to.contain('Camille Martin');
    expect(pageText(page2.text)).to.contain('Camila Martin');
    expect(pageText(page1.text)).not.to.contain('Camila');

    const bureauB = await login(ctx.app, world.bureauB.email, world.bureauB.password);
    const pageB = pageText((await bureauB.get(`/recrutement/candidatures/${b1}`)).text);
    expect(pageB).to.contain('Aucune autre candidature avec cette adresse e-mail dans la CPTS.');
    expect(pageB).not.to.contain('Même adresse e-mail que la candidature');
    // And the other CPTS's bureau cannot open A's applications at all.
    expect((await bureauB.get(`/recrutement/candidatures/${a1}`)).status).to.equal(404);
  });

  it('when the apply form is refused then nothing is mailed and the form is shown again, never the confirmation', async () => {
    const agent = anonymous(ctx.app);
    const res = await postApplication(agent, postingA.slug, await applyToken(agent, postingA.slug), { ...VALID_FIELDS, email: 'pas-une-adresse' }, [cv()]);
    expect(res.status).to.equal(422);
    expect(res.headers.location).to.equal(undefined);
    expect(footprint(ctx)).to.include({ applications: 0, outbox: 0, files: 0 });
  });
});
