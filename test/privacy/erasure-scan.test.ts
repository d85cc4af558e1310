/**
 * "Erasure leaves nothing": a candidate goes through everything the app does with a person
 * (application with documents, notifications, digest, stage moves with mails, notes with
 * mentions, panel evaluations with comments, an interview with its invitations, a decision and
 * an offer mail, document downloads, the bureau's export), some mails sent and some pending;
 * then they are erased, from their private link or by the bureau, and the raw bytes of the
 * database file, its WAL and shared-memory files and every file of the data folder are searched
 * for their name, e-mail, phone and private link.
 */
import fs from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import { deliverDueMail } from '../../server/core/mailer.js';
import { createI18n } from '../../server/core/i18n.js';
import { sendApplicationDigests } from '../../server/features/applications/service.js';
import { messages as applicationMessages } from '../../server/features/applications/routes.js';
import { anonymous, csrfFrom, pageText, type Agent } from '../helpers/agent.js';
import { createTestContext, type TestContext } from '../helpers/app.js';
import { createWorld } from '../helpers/factories.js';
import { docxFile, pdfFile } from '../fixtures/documents.js';
import { minimalPdf } from '../../server/demo/pdf.js';
import { publishedPosting } from '../fixtures/postings.js';
import { apply, cv } from '../applications/support.js';
import { as, criteriaIds, fullForm, post, seatPanel } from '../evaluation/fixtures.js';
import { binary } from '../helpers/zip.js';

const PERSON = {
  first_name: 'Zéphyrine',
  last_name: 'Quarkowska-Lheureux',
  email: 'Zephyrine.Quarkowska@exemple-unique.test',
  phone: '07 98 76 54 32',
  message: 'Zéphyrine Quarkowska-Lheureux, joignable au 07 98 76 54 32, souhaite rejoindre la CPTS.',
  source: 'board',
  talent_pool: '1',
  region_pool: '1',
};
/** A word only the person's CV holds: the regional pool's index and the extracted text carry it. */
const CV_WORD = 'Zorbavillienne';
const BYSTANDER = { ...PERSON, first_name: 'Barnabé', last_name: 'Témoin-Durable', email: 'barnabe.temoin@exemple-unique.test', phone: '06 11 22 33 44', message: 'Bonjour.' };

function filesUnder(dir: string): string[] {
  return fs.readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => path.join(e.parentPath, e.name));
}

/** Every needle found in the raw bytes of every file under the data folder (database, WAL, uploads...). */
function scan(dir: string, needles: string[]): string[] {
  const found: string[] = [];
  for (const file of filesUnder(dir)) {
    const bytes = fs.readFileSync(file);
    for (const needle of needles) {
      for (const variant of [needle, needle.toLowerCase()]) {
        if (bytes.includes(Buffer.from(variant, 'utf8')) || bytes.includes(Buffer.from(variant, 'utf16le'))) found.push(`${path.relative(dir, file)}: ${variant}`);
      }
    }
  }
  return [...new Set(found)];
}

const future = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
const fakeSmtp = { sendMail: async () => ({}) };

describe('privacy: erasure leaves nothing in the database file, its WAL or the data folder', function () {
  this.timeout(60_000);
  let ctx: TestContext;
  let world: Awaited<ReturnType<typeof createWorld>>;
  let applicationId: number;
  let token: string;
  let bureau: Agent;

  beforeEach(async () => {
    ctx = createTestContext();
    const db = ctx.db;
    world = await createWorld(db);
    const posting = publishedPosting(db, world.bureauA.id, world.orgA.id);
    const second = publishedPosting(db, world.bureauA.id, world.orgA.id, { template: 'case_manager' });
    seatPanel(db, posting.id, world.orgA.id, [{ id: world.chargeA.id, kind: 'charge', chair: true }, { id: world.bureauA.id }]);
    const t = createI18n([applicationMessages]).translator('fr');

    // The posting asks a question, which the person answers naming themselves.
    const question = db
      .prepare("INSERT INTO posting_questions (organisation_id, posting_id, position, kind, label, created_at, updated_at) VALUES (?, ?, 1, 'short_text', 'Vos outils ?', ?, ?)")
      .run(world.orgA.id, posting.id, new Date().toISOString(), new Date().toISOString()).lastInsertRowid;
    // The person applies to two postings of the CPTS (CV naming them, and a letter); a bystander applies too.
    expect((await apply(anonymous(ctx.app), posting.slug, { ...PERSON, [`q_${question}`]: `${PERSON.last_name} connaît MSSanté` }, [cv(minimalPdf([`${PERSON.first_name} ${PERSON.last_name}`, `Coordinatrice ${CV_WORD}`])), { field: 'other_document', data: await docxFile(), filename: `Lettre ${PERSON.last_name}.docx` }])).status).to.equal(303);
    expect((await apply(anonymous(ctx.app), second.slug, PERSON)).status).to.equal(303);
    expect((await apply(anonymous(ctx.app), posting.slug, BYSTANDER, [cv(pdfFile(`${BYSTANDER.first_name} ${BYSTANDER.last_name}`))])).status).to.equal(303);
    applicationId = db.prepare('SELECT a.id FROM applications a JOIN candidates c ON c.id = a.candidate_id WHERE c.email = ? AND a.posting_id = ?').pluck().get(PERSON.email, posting.id) as number;
    const ack = db.prepare("SELECT text_body FROM outbox WHERE template = 'applications.ack' AND to_address = ? ORDER BY id DESC LIMIT 1").pluck().get(PERSON.email) as string;
    token = /\/candidature\/([A-Za-z0-9_-]{43})/.exec(ack)![1]!;

    // A digest naming both candidates (a CPTS that chose the daily digest).
    db.prepare("INSERT INTO recruitment_settings (organisation_id, notify_mode, updated_at) VALUES (?, 'digest', ?)").run(world.orgA.id, new Date().toISOString());
    db.prepare('UPDATE applications SET notified_at = NULL').run();
    expect(sendApplicationDigests(db, { baseUrl: ctx.config.baseUrl, translator: () => t })).to.equal(1);
    // Everything so far leaves the outbox; what follows stays pending.
    await deliverDueMail(db, fakeSmtp as never, { from: 'Coordo <no-reply@cpts.test>' });

    bureau = await as(ctx.app, world.bureauA.email);
    const charge = await as(ctx.app, world.chargeA.email);
    const stage = (key: string) => db.prepare('SELECT id FROM pipeline_stages WHERE posting_id = ? AND stage_key = ?').pluck().get(posting.id, key) as number;
    const move = (to: string, from: string) =>
      post(bureau, `/recrutement/candidatures/${applicationId}/deplacer`, { stage_id: stage(to), expected_stage_id: stage(from), comment: `${PERSON.first_name} ${PERSON.last_name} passe à l’étape suivante`, send_mail: '1' });
    expect((await move('screening', 'new')).status).to.be.oneOf([302, 303]);
    expect((await move('interview', 'screening')).status).to.be.oneOf([302, 303]);
    const note = await post(bureau, `/recrutement/candidatures/${applicationId}/notes`, { body: `Rappeler ${PERSON.first_name} ${PERSON.last_name} au ${PERSON.phone} (${PERSON.email})`, mentions: [String(world.chargeA.id)] });
    expect(note.status).to.equal(303);

    // Both panel members evaluate, naming the person in comments and summaries.
    for (const agent of [charge, bureau]) {
      expect((await agent.get(`/recrutement/candidatures/${applicationId}/evaluation`)).status).to.equal(200);
      const form = fullForm(criteriaIds(db, posting.id), '3', { comment: `${PERSON.first_name} convaincante`, summary: `${PERSON.last_name} : bon profil` });
      expect((await post(agent, `/recrutement/candidatures/${applicationId}/evaluation`, form)).status).to.equal(303);
    }
    const interview = await post(bureau, `/recrutement/candidatures/${applicationId}/entretiens`, {
      date: future(10),
      start_time: '10:00',
      end_time: '11:00',
      mode: 'place',
      location: 'Maison de santé',
      attendees: [String(world.chargeA.id), String(world.bureauA.id)],
    });
    expect(interview.status).to.equal(303);
    const decision = await post(bureau, `/recrutement/candidatures/${applicationId}/decision`, {
      outcome: 'offer',
      rationale: `${PERSON.first_name} ${PERSON.last_name} remplit les critères attendus, notamment la gestion de projet et la connaissance du territoire.`,
      expected_stage_id: stage('interview'),
      send_mail: '1',
    });
    expect(decision.status).to.be.oneOf([302, 303]);
    // The bureau opens a document and exports the data (both audited).
    const docId = db.prepare('SELECT id FROM application_documents WHERE application_id = ? ORDER BY id LIMIT 1').pluck().get(applicationId) as number;
    expect((await bureau.get(`/recrutement/candidatures/${applicationId}/documents/${docId}`)).status).to.equal(200);
    expect((await bureau.get(`/recrutement/candidatures/${applicationId}/donnees.zip`).buffer(true).parse(binary)).status).to.equal(200);

    // The second recruitment closes; the region's chargée proposes the person for another CPTS's posting.
    db.prepare("UPDATE postings SET status = 'closed', closed_at = ? WHERE id = ?").run(new Date().toISOString(), second.id);
    const elsewhere = publishedPosting(db, world.chargeA.id, world.orgA2.id);
    const secondId = db.prepare('SELECT a.id FROM applications a JOIN candidates c ON c.id = a.candidate_id WHERE c.email = ? AND a.posting_id = ?').pluck().get(PERSON.email, second.id) as number;
    expect((await post(charge, `/regions/${world.regionA.id}/vivier/candidatures/${secondId}/propositions`, { posting_id: String(elsewhere.id) }, `/regions/${world.regionA.id}/vivier`)).status).to.equal(303);
    expect(db.prepare('SELECT COUNT(*) FROM pool_proposals').pluck().get()).to.equal(1);
    expect(db.prepare('SELECT COUNT(*) FROM region_pool_fts WHERE region_pool_fts MATCH ?').pluck().get(CV_WORD)).to.equal(1);

    // The arrangement reached every copy: the person is in the mails, notes, evaluations, files...
    const before = scan(ctx.dir, [PERSON.last_name]);
    expect(before.some((f) => f.startsWith('uploads'))).to.equal(true);
    expect(scan(ctx.dir, [CV_WORD]).length).to.be.greaterThan(0);
    for (const table of ['document_texts', 'pool_proposals', 'pipeline_notes', 'pipeline_moves', 'evaluations', 'evaluation_ratings', 'interviews', 'decisions', 'outbox_applications', 'application_answers']) {
      expect((db.prepare(`SELECT COUNT(*) FROM ${table}`).pluck().get() as number) > 0, table).to.equal(true);
    }
    expect(db.prepare("SELECT COUNT(*) FROM outbox WHERE status = 'pending' AND (text_body LIKE ? OR to_address = ?)").pluck().get(`%${PERSON.last_name}%`, PERSON.email)).to.be.greaterThan(3);
    expect(db.prepare("SELECT COUNT(*) FROM outbox WHERE status = 'sent' AND text_body LIKE ?").pluck().get(`%${PERSON.last_name}%`)).to.be.greaterThan(1);
  });
  afterEach(() => ctx.close());

  const needles = () => [PERSON.first_name, PERSON.last_name, PERSON.email, PERSON.phone, PERSON.phone.replace(/ /g, ''), token, CV_WORD];

  function expectNothingLeft() {
    expect(scan(ctx.dir, needles())).to.deep.equal([]);
    // Not too much either: the bystander, the postings and the audit trail of the erasure stay.
    expect(scan(ctx.dir, [BYSTANDER.last_name])).to.not.deep.equal([]);
    expect(ctx.db.prepare("SELECT COUNT(*) FROM outbox WHERE template = 'applications.digest' AND text_body LIKE ?").pluck().get(`%${BYSTANDER.last_name}%`)).to.equal(1);
    expect(ctx.db.prepare('SELECT COUNT(*) FROM applications').pluck().get()).to.equal(1);
  }

  it('when the candidate erases from their private link then none of their data is found anywhere on disk', async () => {
    const candidate = anonymous(ctx.app);
    const page = await candidate.get(`/candidature/${token}/supprimer`);
    expect(page.status).to.equal(200);
    const res = await candidate.post(`/candidature/${token}/supprimer`).type('form').send({ _csrf: csrfFrom(page.text), confirm: '1' });
    expect(res.status).to.equal(200);
    expect(pageText(res.text)).to.contain('Données supprimées');
    expectNothingLeft();
    const entries = ctx.db.prepare("SELECT ip, actor_user_id FROM audit_log WHERE action = 'application.erased_by_candidate'").all();
    expect(entries).to.deep.equal([
      { ip: null, actor_user_id: null },
      { ip: null, actor_user_id: null },
    ]);
  });

  it('when the bureau erases at the person’s request then none of their data is found anywhere on disk', async () => {
    const form = `/recrutement/candidatures/${applicationId}/effacer`;
    const page = await bureau.get(form);
    expect(pageText(page.text)).to.contain('L’effacement porte sur toutes les candidatures de cette personne');
    const res = await bureau.post(form).type('form').send({ _csrf: csrfFrom(page.text), confirm: '1' });
    expect(res.status).to.equal(302);
    await bureau.get(res.headers.location as string);
    expectNothingLeft();
    expect(ctx.db.prepare("SELECT COUNT(*) FROM audit_log WHERE action = 'application.erased_by_bureau' AND actor_user_id = ?").pluck().get(world.bureauA.id)).to.equal(2);
  });
});
