import fs from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import { anonymous, pageText } from '../helpers/agent.js';
import { createTestContext, type TestContext } from '../helpers/app.js';
import { createWorld } from '../helpers/factories.js';
import { lastMailTo, linkIn, mailsTo } from '../helpers/mail.js';
import { docxFile, emptyFile, exeAsPdf, htmlAsPdf, odtFile, pdfFile } from '../fixtures/documents.js';
import { publishedPosting } from '../fixtures/postings.js';
import { apply, applyToken, cv, footprint, postApplication, sentLocation, VALID_FIELDS } from './support.js';

type Row = Record<string, unknown>;

describe('applications: the public apply form with CV upload', () => {
  let ctx: TestContext;
  let world: Awaited<ReturnType<typeof createWorld>>;
  let posting: { id: number; slug: string };
  beforeEach(async () => {
    ctx = createTestContext({ UPLOAD_MAX_BYTES: String(64 * 1024) });
    world = await createWorld(ctx.db);
    posting = publishedPosting(ctx.db, world.bureauA.id, world.orgA.id);
  });
  afterEach(() => ctx.close());

  it('when the form is shown then it has the GDPR notice, an unticked talent-pool box, a source question, a honeypot, and no birth date or photo', async () => {
    const res = await anonymous(ctx.app).get(`/offres/${posting.slug}/postuler`);
    expect(res.status).to.equal(200);
    const text = pageText(res.text);
    expect(text).to.contain('Responsable du traitement : la CPTS Alpha');
    expect(text).to.contain('chargé de mission régional');
    expect(text).to.contain('3 mois après la fin du recrutement');
    expect(text).to.contain('24 mois au plus après notre dernier échange');
    expect(text).to.contain('CNIL');
    expect(res.text).to.match(/<input type="checkbox" id="f-talent_pool" name="talent_pool" value="1" aria-describedby/);
    expect(res.text).not.to.match(/name="talent_pool"[^>]*checked/);
    expect(res.text).to.contain('name="source"');
    expect(res.text).to.contain('class="hp-field"');
    expect(res.text).to.contain('enctype="multipart/form-data"');
    expect(res.text).not.to.match(/name="(birth|date_of_birth|photo|family|nationality)/);
    expect(res.text).not.to.match(/type="file"[^>]*accept="image/);
  });

  it('when a candidate applies with a PDF CV then the file is stored outside public/, one transaction writes the rows and mails, and they see the confirmation', async () => {
    const agent = anonymous(ctx.app);
    const res = await apply(agent, posting.slug, { ...VALID_FIELDS, talent_pool: '1' }, [cv(), { field: 'other_document', data: await docxFile(), filename: 'Lettre.docx' }]);
    expect(res.status, res.text).to.equal(303);
    expect(res.headers.location).to.equal(sentLocation(posting.slug));
    expect(pageText((await agent.get(res.headers.location)).text)).to.contain('Candidature envoyée');
    const app = ctx.db.prepare('SELECT * FROM applications').get() as Row;
    expect(app).to.include({ posting_id: posting.id, organisation_id: world.orgA.id, status: 'received', source: 'board', talent_pool_consent: 1 });
    expect(ctx.db.prepare('SELECT organisation_id, email, first_name, last_name, phone FROM candidates').get()).to.deep.equal({
      organisation_id: world.orgA.id,
      email: VALID_FIELDS.email,
      first_name: 'Camille',
      last_name: 'Martin',
      phone: '06 12 34 56 78',
    });
    const docs = ctx.db.prepare('SELECT kind, file_type, original_name, stored_name, size_bytes FROM application_documents ORDER BY id').all() as Row[];
    expect(docs.map((d) => [d.kind, d.file_type, d.original_name])).to.deep.equal([
      ['cv', 'pdf', 'CV Camille.pdf'],
      ['other', 'docx', 'Lettre.docx'],
    ]);
    const stored = path.join(ctx.config.uploadDir, 'applications', String(docs[0].stored_name));
    expect(fs.readFileSync(stored).equals(pdfFile())).to.equal(true);
    expect(String(docs[0].stored_name)).to.match(/^[a-f0-9]{48}$/);
    // Streamed once to their final names: nothing else on disk (no temp copy left behind).
    expect(fs.readdirSync(path.join(ctx.config.uploadDir, 'applications')).sort()).to.deep.equal(docs.map((d) => String(d.stored_name)).sort());
    expect(fs.existsSync(path.join(ctx.config.uploadDir, 'tmp'))).to.equal(false);
    const ack = lastMailTo(ctx.db, VALID_FIELDS.email);
    expect(ack.subject).to.contain('a bien été reçue');
    expect(linkIn(ack, '/candidature/')).to.match(/^\/candidature\/[A-Za-z0-9_-]{43}$/);
    expect(lastMailTo(ctx.db, world.bureauA.email).subject).to.contain('Nouvelle candidature');
    expect(mailsTo(ctx.db, world.bureauB.email)).to.have.length(0);
  });

  it('when the CPTS has edited its receipt template then the acknowledgement uses it, with the private link filled in', async () => {
    ctx.db
      .prepare("INSERT INTO candidate_mail_templates (organisation_id, template_key, subject, body, updated_at) VALUES (?, 'receipt', ?, ?, ?)")
      .run(world.orgA.id, 'Merci {candidat} : candidature « {offre} » reçue', 'Bonjour {candidat},\n\nSuivez votre dossier ici : {lien}\n\nLe bureau de la {cpts}', new Date().toISOString());
    const res = await apply(anonymous(ctx.app), posting.slug, VALID_FIELDS, [cv(pdfFile(), 'cv.pdf', 'application/pdf')]);
    expect(res.status).to.equal(303);
    const ack = lastMailTo(ctx.db, VALID_FIELDS.email);
    const title = (ctx.db.prepare('SELECT title FROM postings WHERE id = ?').get(posting.id) as { title: string }).title;
    const reference = (ctx.db.prepare('SELECT reference FROM postings WHERE id = ?').get(posting.id) as { reference: string }).reference;
    // The candidate's mail names the posting with the reference they can quote (issue 13).
    expect(ack.subject).to.equal(`Merci Camille Martin : candidature « ${title} (Réf. ${reference}) » reçue`);
    expect(linkIn(ack, '/candidature/')).to.match(/^\/candidature\/[A-Za-z0-9_-]{43}$/);
    expect(ack.html_body).to.contain('<a href="http://coordo.test/candidature/');
  });

  it('when DOCX and ODT CVs are sent then they are accepted by content, whatever the browser says the type is', async () => {
    const res1 = await apply(anonymous(ctx.app), posting.slug, { ...VALID_FIELDS, email: 'a@exemple.test' }, [cv(await docxFile(), 'cv.docx', 'application/octet-stream')]);
    expect(res1.status).to.equal(303);
    const res2 = await apply(anonymous(ctx.app), posting.slug, { ...VALID_FIELDS, email: 'b@exemple.test' }, [cv(await odtFile(), 'cv.odt', 'text/plain')]);
    expect(res2.status).to.equal(303);
    expect((ctx.db.prepare('SELECT file_type FROM application_documents ORDER BY id').all() as Row[]).map((r) => r.file_type)).to.deep.equal(['docx', 'odt']);
  });

  it('when the same e-mail applies twice to the posting then the second form changes nothing and its file is removed; another posting of the CPTS is a new application with its own candidate row', async () => {
    await apply(anonymous(ctx.app), posting.slug);
    const rows = () => ({
      candidates: ctx.db.prepare('SELECT * FROM candidates ORDER BY id').all(),
      applications: ctx.db.prepare('SELECT * FROM applications ORDER BY id').all(),
      documents: ctx.db.prepare('SELECT * FROM application_documents ORDER BY id').all(),
      events: ctx.db.prepare('SELECT * FROM application_events ORDER BY id').all(),
    });
    const before = rows();
    const files = fs.readdirSync(path.join(ctx.config.uploadDir, 'applications')).sort();
    const again = await apply(anonymous(ctx.app), posting.slug, { ...VALID_FIELDS, email: 'CAMILLE.Martin@exemple.test', first_name: 'Autre', message: 'Version complétée.' }, [cv(pdfFile('v2'), 'CV v2.pdf')]);
    expect(again.status).to.equal(303);
    expect(again.headers.location).to.equal(sentLocation(posting.slug));
    expect(rows()).to.deep.equal(before);
    expect(fs.readdirSync(path.join(ctx.config.uploadDir, 'applications')).sort()).to.deep.equal(files);
    expect(lastMailTo(ctx.db, 'CAMILLE.Martin@exemple.test').template).to.equal('applications.reapply');
    const other = publishedPosting(ctx.db, world.bureauA.id, world.orgA.id, { template: 'case_manager' });
    await apply(anonymous(ctx.app), other.slug);
    expect(footprint(ctx)).to.include({ candidates: 2, applications: 2 });
    expect((ctx.db.prepare('SELECT COUNT(DISTINCT candidate_id) AS n FROM applications').get() as Row).n).to.equal(2);
  });

  describe('bad input: a French message on the form, the other fields kept, nothing written', () => {
    async function expectRefused(fields: Record<string, string>, files: Parameters<typeof postApplication>[4], status: number, message: string) {
      const before = footprint(ctx);
      const agent = anonymous(ctx.app);
      const res = await postApplication(agent, posting.slug, await applyToken(agent, posting.slug), fields, files);
      expect(res.status, pageText(res.text).slice(0, 400)).to.equal(status);
      expect(pageText(res.text)).to.contain(message);
      expect(footprint(ctx)).to.deep.equal(before);
      return res;
    }

    it('when required fields are missing then each is named', async () => {
      const res = await expectRefused({ first_name: '', last_name: '', email: '', source: '' }, [], 422, 'Ce champ est obligatoire.');
      const text = pageText(res.text);
      expect(text).to.contain('Joignez votre CV');
      expect(text).to.contain('Indiquez comment vous avez connu cette offre.');
      expect(res.text).to.contain('class="error-summary"');
    });

    it('when the e-mail is invalid then it says so and keeps the other values', async () => {
      const res = await expectRefused({ ...VALID_FIELDS, email: 'camille@' }, [cv()], 422, 'Saisissez une adresse e-mail valide');
      expect(res.text).to.contain('value="Camille"');
      expect(res.text).to.contain('Je souhaite rejoindre votre CPTS.');
      expect(res.text).to.match(/<option value="board" selected>/);
    });

    it('when a .pdf is really an executable, HTML, a plain ZIP, or empty then the file is refused', async () => {
      await expectRefused(VALID_FIELDS, [cv(exeAsPdf(), 'cv.pdf')], 422, 'n’est pas un document PDF, DOCX ou ODT valide');
      await expectRefused(VALID_FIELDS, [cv(htmlAsPdf(), 'cv.pdf')], 422, 'n’est pas un document PDF, DOCX ou ODT valide');
      await expectRefused(VALID_FIELDS, [cv(await odtFile('application/zip'), 'cv.odt')], 422, 'n’est pas un document PDF, DOCX ou ODT valide');
      await expectRefused(VALID_FIELDS, [cv(emptyFile(), 'cv.pdf')], 422, 'Ce fichier est vide.');
      await expectRefused(VALID_FIELDS, [cv(), { field: 'other_document', data: exeAsPdf(), filename: 'lettre.pdf' }], 422, 'n’est pas un document PDF, DOCX ou ODT valide');
    });

    it('when a file is over the limit then 413 with a message on the form, never a 500', async () => {
      const big = Buffer.concat([pdfFile(), Buffer.alloc(ctx.config.uploadMaxBytes + 10, 0x20)]);
      const res = await expectRefused(VALID_FIELDS, [cv(big)], 413, 'Ce fichier dépasse la taille autorisée.');
      expect(res.text).to.contain('value="Martin"');
    });

    it('when too many files or an unexpected file field are sent then 422 with a message', async () => {
      await expectRefused(VALID_FIELDS, [cv(), cv()], 422, 'Trop de fichiers');
      await expectRefused(VALID_FIELDS, [cv(), { field: 'photo', data: pdfFile(), filename: 'photo.pdf' }], 422, 'Trop de fichiers');
    });

    it('when the name is 10,000 characters long then it is refused with the limit', async () => {
      await expectRefused({ ...VALID_FIELDS, first_name: 'A'.repeat(10_000) }, [cv()], 422, 'Ce nom est trop long (100 caractères au plus).');
      await expectRefused({ ...VALID_FIELDS, message: 'm'.repeat(10_001) }, [cv()], 422, 'Le message est trop long');
      await expectRefused({ ...VALID_FIELDS, phone: 'appelez-moi' }, [cv()], 422, 'numéro de téléphone valide');
      await expectRefused({ ...VALID_FIELDS, source: 'tv' }, [cv()], 422, 'Indiquez comment vous avez connu cette offre.');
    });

    it('when the posting closed between page load and submit then the form says so, keeps the values, writes nothing', async () => {
      const agent = anonymous(ctx.app);
      const token = await applyToken(agent, posting.slug);
      ctx.db.prepare("UPDATE postings SET status = 'closed' WHERE id = ?").run(posting.id);
      const before = footprint(ctx);
      const res = await postApplication(agent, posting.slug, token, VALID_FIELDS, [cv()]);
      expect(res.status).to.equal(409);
      expect(pageText(res.text)).to.contain('Cette offre vient d’être close');
      expect(res.text).to.contain('value="camille.martin@exemple.test"');
      expect(footprint(ctx)).to.deep.equal(before);
    });

    it('when the CSRF token is missing or forged then 403 and nothing is written', async () => {
      const before = footprint(ctx);
      const agent = anonymous(ctx.app);
      await applyToken(agent, posting.slug);
      expect((await postApplication(agent, posting.slug, undefined, VALID_FIELDS, [cv()])).status).to.equal(403);
      expect((await postApplication(agent, posting.slug, 'forged-token', VALID_FIELDS, [cv()])).status).to.equal(403);
      // A token from another session is forged too.
      const other = anonymous(ctx.app);
      const token = await applyToken(other, posting.slug);
      expect((await postApplication(anonymous(ctx.app), posting.slug, token, VALID_FIELDS, [cv()])).status).to.equal(403);
      expect(footprint(ctx)).to.deep.equal(before);
    });

    it('when the file name tries a path traversal then only a safe name is stored and nothing lands outside the upload folder', async () => {
      // A NUL byte in the part header is a malformed upload: a form error, not a 500.
      await expectRefused(VALID_FIELDS, [cv(pdfFile(), '../../evil\u0000.pdf')], 400, 'L’envoi n’a pas abouti');
      const res = await apply(anonymous(ctx.app), posting.slug, VALID_FIELDS, [cv(pdfFile(), '../../../../tmp/evil.pdf')]);
      expect(res.status).to.equal(303);
      const doc = ctx.db.prepare('SELECT original_name, stored_name FROM application_documents').get() as Row;
      expect(doc.original_name).to.equal('evil.pdf');
      expect(fs.existsSync(path.join(ctx.config.uploadDir, 'applications', String(doc.stored_name)))).to.equal(true);
      expect(fs.existsSync('/tmp/evil.pdf')).to.equal(false);
    });
  });

  it('when every text field holds HTML or a script then it is escaped on every page and mail', async () => {
    const evil = '<script>alert("x")</script><img src=x onerror=alert(1)>';
    const res = await apply(anonymous(ctx.app), posting.slug, { ...VALID_FIELDS, first_name: evil, last_name: evil, message: evil }, [cv()]);
    expect(res.status).to.equal(303);
    const bureau = lastMailTo(ctx.db, world.bureauA.email);
    expect(bureau.html_body).not.to.contain('<script>');
    expect(bureau.html_body).to.contain('&lt;script&gt;');
    const ack = lastMailTo(ctx.db, VALID_FIELDS.email);
    expect(ack.html_body).not.to.contain('<script>');
    const { login } = await import('../helpers/agent.js');
    const agent = await login(ctx.app, world.bureauA.email, world.bureauA.password);
    const appId = (ctx.db.prepare('SELECT id FROM applications').get() as { id: number }).id;
    for (const page of [`/recrutement/offres/${posting.id}/liste`, `/recrutement/candidatures/${appId}`]) {
      const res = await agent.get(page);
      expect(res.status, page).to.equal(200);
      expect(res.text).not.to.contain('<script>alert');
      expect(res.text).not.to.contain('<img src=x');
      expect(res.text).to.contain('&lt;script&gt;');
    }
    const candidate = await anonymous(ctx.app).get(linkIn(ack, '/candidature/'));
    expect(candidate.text).not.to.contain('<script>alert');
    expect(candidate.text).to.contain('&lt;script&gt;');
    // An invalid submission re-renders the values escaped too.
    const invalid = await apply(anonymous(ctx.app), posting.slug, { ...VALID_FIELDS, email: evil, phone: evil }, [cv()]);
    expect(invalid.status).to.equal(422);
    expect(invalid.text).not.to.contain('<script>alert');
  });

  it('when the honeypot is filled then the answer looks like success but nothing is written', async () => {
    const before = footprint(ctx);
    const agent = anonymous(ctx.app);
    const res = await apply(agent, posting.slug, { ...VALID_FIELDS, website: 'http://spam.example' }, [cv()]);
    expect(res.status).to.equal(303);
    expect(res.headers.location).to.equal(sentLocation(posting.slug));
    expect(pageText((await agent.get(res.headers.location)).text)).to.contain('Candidature envoyée');
    expect(footprint(ctx)).to.deep.equal(before);
  });

  it('when one address sends too many applications then it is rate limited with 429 and nothing more is written', async () => {
    const agent = anonymous(ctx.app);
    for (let n = 0; n < 10; n++) {
      const res = await apply(agent, posting.slug, { ...VALID_FIELDS, website: 'spam' }, [cv()]);
      expect(res.status).to.equal(303);
    }
    const before = footprint(ctx);
    const limited = await apply(agent, posting.slug, VALID_FIELDS, [cv()]);
    expect(limited.status).to.equal(429);
    expect(pageText(limited.text)).to.contain('Trop de tentatives');
    expect(footprint(ctx)).to.deep.equal(before);
  });

  it('when the CPTS chose the daily digest then no mail per application, and the digest job sends one summary once a day', async () => {
    ctx.db.prepare("INSERT INTO recruitment_settings (organisation_id, notify_mode, updated_at) VALUES (?, 'digest', ?)").run(world.orgA.id, new Date().toISOString());
    await apply(anonymous(ctx.app), posting.slug);
    await apply(anonymous(ctx.app), posting.slug, { ...VALID_FIELDS, email: 'dominique@exemple.test', first_name: 'Dominique' }, [cv()]);
    expect(mailsTo(ctx.db, world.bureauA.email)).to.have.length(0);
    const { applicationsDigestJob } = await import('../../server/jobs/applications-digest.js');
    const job = applicationsDigestJob(ctx.db, ctx.config);
    await job.run();
    const digest = mailsTo(ctx.db, world.bureauA.email);
    expect(digest).to.have.length(1);
    expect(digest[0].subject).to.contain('2 nouvelles candidatures');
    expect(digest[0].text_body).to.contain('Camille Martin').and.contain('Dominique Martin');
    await job.run();
    expect(mailsTo(ctx.db, world.bureauA.email)).to.have.length(1);
    expect((ctx.db.prepare('SELECT COUNT(*) AS n FROM applications WHERE notified_at IS NULL').get() as Row).n).to.equal(0);
  });
});
