/**
 * Each mail in its recipient's language, through HTTP: a candidate reads the language they
 * applied in (chosen with the language link), a member their account's, whatever the language
 * of the person whose action sent the mail.
 */
import { expect } from 'chai';
import { formatDate } from '../../server/core/i18n.js';
import { DEFAULT_TEMPLATES } from '../../server/features/pipeline/templates.js';
import { anonymous, csrfFrom, pageText } from '../helpers/agent.js';
import { createTestContext, type TestContext } from '../helpers/app.js';
import { createUser, createWorld } from '../helpers/factories.js';
import { mailsTo } from '../helpers/mail.js';
import { publishedPosting } from '../fixtures/postings.js';
import { apply, VALID_FIELDS } from './support.js';
import { as, post, seatPanel } from '../evaluation/fixtures.js';
import { createApplication, createPosting, stageByKey } from '../pipeline/fixtures.js';
import { inDays } from '../scheduling/fixtures.js';

type Row = { template: string; subject: string; text_body: string; html_body: string; attachments: string };
const rowsTo = (ctx: TestContext, to: string) => ctx.db.prepare('SELECT template, subject, text_body, html_body, attachments FROM outbox WHERE to_address = ? ORDER BY id').all(to) as Row[];
const summaryOf = (row: Row) => /SUMMARY:([^\r\n]*)/.exec((JSON.parse(row.attachments) as { content: string }[])[0].content.replace(/\r\n[ \t]/g, ''))?.[1] ?? '';
const uidOf = (row: Row) => /UID:([^\r\n]*)/.exec((JSON.parse(row.attachments) as { content: string }[])[0].content)?.[1] ?? '';

describe('mail language: every mail is written in its recipient’s language', function () {
  this.timeout(60_000);
  let ctx: TestContext;
  let world: Awaited<ReturnType<typeof createWorld>>;
  beforeEach(async () => {
    ctx = createTestContext();
    world = await createWorld(ctx.db);
  });
  afterEach(() => ctx.close());

  it('when a visitor who chose English applies then the application keeps English, the acknowledgement is in English, and their interview invitation has an English date', async () => {
    const posting = publishedPosting(ctx.db, world.bureauA.id, world.orgA.id);
    const visitor = anonymous(ctx.app);
    await visitor.get('/langue?locale=en&retour=%2Foffres');
    expect((await apply(visitor, posting.slug)).status).to.equal(303);
    const app = ctx.db.prepare('SELECT a.id, a.locale FROM applications a JOIN candidates c ON c.id = a.candidate_id WHERE c.email = ?').get(VALID_FIELDS.email) as { id: number; locale: string };
    expect(app.locale).to.equal('en');
    const [ack] = rowsTo(ctx, VALID_FIELDS.email);
    expect(ack.template).to.equal('applications.ack');
    expect(ack.subject).to.match(/^We have received your application for “Coordinateur/);
    expect(ack.text_body).to.contain('Dear Camille Martin,').and.to.contain('Kind regards,').and.not.to.contain('Bonjour');
    expect(ack.html_body).to.contain('<html lang="en">');
    // The bureau (French accounts) hears of it in French.
    expect(mailsTo(ctx.db, world.bureauA.email).at(-1)!.subject).to.match(/^Nouvelle candidature/);

    // The shipped acknowledgement carries no date: the interview invitation does, in English.
    const interview = stageByKey(ctx.db, posting.id, 'interview');
    seatPanel(ctx.db, posting.id, world.orgA.id, [{ id: world.bureauA.id, chair: true }]);
    const bureau = await as(ctx.app, world.bureauA.email);
    expect((await post(bureau, `/recrutement/candidatures/${app.id}/deplacer`, { stage_id: interview.id, expected_stage_id: stageByKey(ctx.db, posting.id, 'new').id, back: 'candidate' })).status).to.equal(303);
    const day = inDays(12);
    expect((await post(bureau, `/recrutement/candidatures/${app.id}/entretiens`, { date: day, start_time: '10:00', end_time: '11:00', mode: 'place', location: 'Maison de santé', attendees: [String(world.bureauA.id)] })).status).to.equal(303);
    const startsAt = (ctx.db.prepare('SELECT starts_at FROM interviews WHERE application_id = ?').get(app.id) as { starts_at: string }).starts_at;
    const invitation = rowsTo(ctx, VALID_FIELDS.email).find((r) => r.template === 'interviews.scheduled')!;
    const english = formatDate(startsAt, 'en', true);
    expect(english).to.match(/^\d{1,2} [A-Z][a-z]+ \d{4} at 10:00$/);
    expect(invitation.subject).to.contain(english);
    expect(invitation.text_body).to.contain(english).and.not.to.contain(formatDate(startsAt, 'fr', true));
    expect(summaryOf(invitation)).to.match(/^Interview – /);
    expect((JSON.parse(invitation.attachments) as { filename: string }[])[0].filename).to.equal('interview.ics');
  });

  it('when a French member and an English member sit on the same panel then each gets the same interview in their own language, calendar file included', async () => {
    const english = await createUser(ctx.db, { name: 'Jane Panel', email: 'jane@example.test', locale: 'en', memberships: [{ organisationId: world.orgA.id, role: 'bureau' }] });
    const posting = createPosting(ctx.db, world.orgA.id, { title: 'Coordination Alpha' });
    const app = createApplication(ctx.db, posting, { firstName: 'Élodie', lastName: 'Martin', status: 'interview' });
    seatPanel(ctx.db, posting.id, world.orgA.id, [{ id: world.bureauA.id, chair: true }, { id: english.id }]);
    const bureau = await as(ctx.app, world.bureauA.email);
    const res = await post(bureau, `/recrutement/candidatures/${app.id}/entretiens`, { date: inDays(15), start_time: '14:00', end_time: '15:00', mode: 'place', location: 'Maison de santé', attendees: [String(world.bureauA.id), String(english.id)] });
    expect(res.status).to.equal(303);
    const startsAt = (ctx.db.prepare('SELECT starts_at FROM interviews WHERE application_id = ?').get(app.id) as { starts_at: string }).starts_at;
    const fr = rowsTo(ctx, world.bureauA.email).find((r) => r.template === 'interviews.scheduled')!;
    const en = rowsTo(ctx, english.email).find((r) => r.template === 'interviews.scheduled')!;
    expect(fr.subject).to.contain(formatDate(startsAt, 'fr', true));
    expect(fr.text_body).to.match(/^Bonjour Bureau A,/);
    expect(summaryOf(fr)).to.match(/^Entretien – /);
    expect(fr.html_body).to.contain('<html lang="fr">');
    expect(en.subject).to.contain(formatDate(startsAt, 'en', true));
    expect(en.text_body).to.match(/^Hello Jane Panel,/);
    expect(en.text_body).not.to.contain('Bonjour');
    expect(summaryOf(en)).to.match(/^Interview – /);
    expect(en.html_body).to.contain('<html lang="en">');
    // The same event in both calendars.
    expect(uidOf(en)).to.equal(uidOf(fr)).and.not.to.equal('');
  });

  it('when the bureau reads the site in English and rejects a candidate who applied in French then the page is English and the mail, its preview included, French', async () => {
    ctx.db.prepare('UPDATE users SET locale = ? WHERE id = ?').run('en', world.bureauA.id);
    const posting = createPosting(ctx.db, world.orgA.id, { title: 'Coordination Alpha' });
    const app = createApplication(ctx.db, posting, { firstName: 'Élodie', lastName: 'Martin', email: 'elodie@exemple.test', status: 'received' });
    const bureau = await as(ctx.app, world.bureauA.email);
    const page = await bureau.get(`/recrutement/candidatures/${app.id}/refuser`);
    expect(page.status).to.equal(200);
    expect(page.text).to.contain('<html lang="en">');
    // The preview shows the mail the candidate will read: French.
    expect(pageText(page.text)).to.contain('Bonjour');
    const res = await bureau
      .post(`/recrutement/candidatures/${app.id}/refuser`)
      .type('form')
      .send({ _csrf: csrfFrom(page.text), expected_stage_id: stageByKey(ctx.db, posting.id, 'new').id, reason: 'profile', mail: 'rejection' });
    expect(res.status).to.equal(303);
    const [mail] = rowsTo(ctx, 'elodie@exemple.test');
    expect(mail.template).to.equal('candidate.rejection');
    expect(mail.subject.startsWith(DEFAULT_TEMPLATES.rejection.subject.split('{offre}')[0])).to.equal(true);
    expect(mail.text_body).to.match(/^Bonjour Élodie Martin,/);
    expect(mail.text_body).to.contain('Bien cordialement,').and.not.to.contain('Kind regards');
    expect(mail.html_body).to.contain('<html lang="fr">');
  });
});
