/**
 * The language of mail as a property: every mail is written in its recipient's language (a
 * member's account language, the language a candidate applied in), never in a default one.
 * With every member and every candidate reading one language, the flows of the recruitment
 * side that send mail are driven through the app (applications, digest, mentions, moves with
 * mail, decision, rejection, interviews, availability poll and booking, reminders, panel and
 * CPTS invitations, regional pool, offer and hire), and then no queued mail (subject, text,
 * HTML, calendar files) may contain a word of the other language.
 *
 * The words come from the app, not from a kept list: the tokens of six letters or more of the
 * other language's catalogue (and, for French, the shipped candidate mail templates) that
 * appear nowhere in this language's catalogue, minus every word of the data the test wrote
 * (names, titles, places, messages), which a mail may quote whatever its language; plus the
 * month names the app's date formatter writes.
 */
import { expect } from 'chai';
import { CATALOGUES } from '../../server/app.js';
import { formatDate, type Locale } from '../../server/core/i18n.js';
import { DEFAULT_TEMPLATES } from '../../server/features/pipeline/templates.js';
import { interviewRemindersJob } from '../../server/jobs/interview-reminders.js';
import { applicationsDigestJob } from '../../server/jobs/applications-digest.js';
import { nowIso } from '../../server/core/db.js';
import { anonymous, csrfFrom, csrfOf, submitForm, type Agent } from '../helpers/agent.js';
import { createTestContext, type TestContext } from '../helpers/app.js';
import { createUser } from '../helpers/factories.js';
import { linkIn, lastMailTo } from '../helpers/mail.js';
import { pdfFile } from '../fixtures/documents.js';
import { publishedPosting } from '../fixtures/postings.js';
import { postApplication } from '../applications/support.js';
import { createApplication, createPosting, stageByKey } from '../pipeline/fixtures.js';
import { as, post, seatPanel } from '../evaluation/fixtures.js';
import { inDays, schedulingWorld } from '../scheduling/fixtures.js';

type OutboxRow = { id: number; template: string; to_address: string; subject: string; text_body: string; html_body: string; attachments: string };

const WORD = /\p{L}+/gu;
const tokens = (text: string, min = 1) => new Set([...text.toLowerCase().matchAll(WORD)].map((m) => m[0]).filter((w) => w.length >= min));

function catalogueText(locale: Locale): string {
  const messages = CATALOGUES.flatMap((c) => Object.values(c[locale]));
  const templates = locale === 'fr' ? Object.values(DEFAULT_TEMPLATES).flatMap((t) => [t.subject, t.body]) : [];
  return [...messages, ...templates].join('\n');
}

/** The month names (and any other word) the app's date formatter writes in a language. */
function dateWords(locale: Locale): Set<string> {
  const words = new Set<string>();
  for (let m = 0; m < 12; m++) for (const w of tokens(formatDate(new Date(Date.UTC(2030, m, 12, 9, 30)).toISOString(), locale, true), 4)) words.add(w);
  return words;
}

/** Every word of the data written in the database (not the mails themselves): a mail may quote it in any language. */
function dataWords(ctx: TestContext): Set<string> {
  const words = new Set<string>();
  const tables = (ctx.db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '%_fts%'").all() as { name: string }[])
    .map((t) => t.name)
    .filter((t) => !/^(outbox|outbox_applications|candidate_mails|sessions|audit_log)$/.test(t));
  for (const table of tables) {
    for (const row of ctx.db.prepare(`SELECT * FROM "${table}"`).all() as Record<string, unknown>[]) {
      for (const v of Object.values(row)) if (typeof v === 'string') for (const w of tokens(v)) words.add(w);
    }
  }
  return words;
}

/** What a reader reads of a queued mail: subject, text, HTML without its markup, and the texts and names of its calendar files. */
function readable(row: OutboxRow): string {
  const html = row.html_body
    .replace(/<[^>]*>/g, ' ')
    .replace(/&nbsp;|&#160;/g, ' ')
    .replace(/&[a-z]+;|&#\d+;/g, ' ');
  const calendars = (JSON.parse(row.attachments) as { filename: string; content: string }[]).flatMap((a) => {
    const unfolded = a.content.replace(/\r\n[ \t]/g, '');
    const texts = unfolded
      .split(/\r\n/)
      .filter((l) => /^(SUMMARY|DESCRIPTION|LOCATION|COMMENT|X-WR-CALNAME)[;:]/.test(l))
      .map((l) => l.slice(l.indexOf(':') + 1).replace(/\\n/g, ' ').replace(/\\([,;\\])/g, '$1'));
    return [a.filename.replace(/\.ics$/, ''), ...texts];
  });
  // Links and addresses are not words of a language (their paths are French whatever the reader).
  return [row.subject, row.text_body, html, ...calendars].join('\n').replace(/https?:\/\/\S+/g, ' ').replace(/\S+@\S+/g, ' ');
}

for (const language of ['en', 'fr'] as const) {
  const other: Locale = language === 'en' ? 'fr' : 'en';

  describe(`mail language: with every member and candidate reading ${language === 'en' ? 'English' : 'French'}, no queued mail has a word of ${other === 'en' ? 'English' : 'French'}`, function () {
    this.timeout(300_000);
    let ctx: TestContext;
    let rows: OutboxRow[];
    let forbidden: Set<string>;

    before(async () => {
      ctx = createTestContext();
      const { db } = ctx;
      const w = await schedulingWorld(db);
      const treasurer = await createUser(db, { name: 'Trésorière A', memberships: [{ organisationId: w.orgA.id, role: 'bureau' }] });
      const published = publishedPosting(db, w.bureauA.id, w.orgA.id);
      seatPanel(db, published.id, w.orgA.id, [{ id: w.chargeA.id }, { id: w.bureauA.id, chair: true }, { id: treasurer.id }]);
      const source = publishedPosting(db, w.bureauA.id, w.orgA.id);
      const elsewhere = publishedPosting(db, w.chargeA.id, w.orgA2.id);
      const hiring = createPosting(db, w.orgA.id, { title: 'Coordination Alpha' });
      const chosen = createApplication(db, hiring, { firstName: 'Noémie', lastName: 'Choisie', email: 'noemie@exemple.test', status: 'offer' });
      const runnerUp = createApplication(db, hiring, { firstName: 'Paul', lastName: 'Second', status: 'interview' });
      // Everyone reads `language`: the accounts, and the applications already there.
      db.prepare('UPDATE users SET locale = ?').run(language);
      const everyApplication = () => db.prepare('UPDATE applications SET locale = ?').run(language);
      everyApplication();

      // Visitors read the site in `language` (the language link), and apply in it.
      const visitor = async () => {
        const agent = anonymous(ctx.app);
        await agent.get(`/langue?locale=${language}&retour=%2Foffres`);
        return agent;
      };
      const applyTo = async (agent: Agent, slug: string, p: { first_name: string; last_name: string; email: string }, extra: Record<string, string> = {}) => {
        const token = csrfFrom((await agent.get(`/offres/${slug}/postuler`)).text);
        const res = await postApplication(agent, slug, token, { ...p, phone: '06 12 34 56 78', message: 'Madame, Monsieur, je vous adresse ma candidature.', source: 'board', ...extra }, [
          { field: 'cv', data: pdfFile('Curriculum vitae'), filename: `CV ${p.last_name}.pdf`, contentType: 'application/pdf' },
        ]);
        expect(res.status, 'application sent').to.be.oneOf([200, 303]);
        return (db.prepare('SELECT a.id FROM applications a JOIN candidates c ON c.id = a.candidate_id WHERE c.email = ? ORDER BY a.id DESC').get(p.email) as { id: number }).id;
      };
      const ok = (res: { status: number; text: string }, what: string) => expect(res.status, `${what}: ${res.text.slice(0, 300)}`).to.be.oneOf([200, 302, 303]);
      const formFrom = async (agent: Agent, page: string, path: string, fields: Record<string, unknown>) => {
        const res = await agent.post(path).type('form').send({ _csrf: await csrfOf(agent, page), ...fields });
        ok(res, path);
        return res;
      };

      // New applications: the bureau is mailed at each one, then by the daily digest; the same address again gets its link.
      const ysolde = { first_name: 'Ysolde', last_name: 'Quarantotti', email: 'ysolde@exemple.test' };
      const first = await applyTo(await visitor(), published.slug, ysolde);
      await applyTo(await visitor(), published.slug, ysolde);
      db.prepare("INSERT INTO recruitment_settings (organisation_id, notify_mode, updated_at) VALUES (?, 'digest', ?) ON CONFLICT (organisation_id) DO UPDATE SET notify_mode = 'digest'").run(w.orgA.id, nowIso());
      const second = await applyTo(await visitor(), published.slug, { first_name: 'Wendelin', last_name: 'Brzezinska', email: 'wendelin@exemple.test' });
      await applicationsDigestJob(db, ctx.config).run();

      // Screening: a note with mentions, a move with its mail, a decision to reject with its mail.
      const bureau = await as(ctx.app, w.bureauA.email);
      const candidatePage = (id: number) => `/recrutement/candidatures/${id}`;
      await formFrom(bureau, candidatePage(first), `${candidatePage(first)}/notes`, { body: 'Profil solide, pouvez-vous lire ?', mentions: [String(treasurer.id), String(w.chargeA.id)] });
      await formFrom(bureau, candidatePage(first), `${candidatePage(first)}/deplacer`, { stage_id: stageByKey(db, published.id, 'interview').id, expected_stage_id: stageByKey(db, published.id, 'new').id, send_mail: '1', back: 'candidate' });
      await formFrom(bureau, candidatePage(second), `${candidatePage(second)}/decision`, { outcome: 'rejected', rationale: 'Le profil ne correspond pas aux missions de coordination attendues.', expected_stage_id: stageByKey(db, published.id, 'new').id, send_mail: '1' });

      // An interview planned by the bureau: scheduled, moved (one member taken off), cancelled with a reason.
      const future = inDays(20);
      await formFrom(bureau, `${candidatePage(first)}/entretiens`, `${candidatePage(first)}/entretiens`, { date: future, start_time: '10:00', end_time: '11:00', mode: 'place', location: 'Maison de santé', attendees: [String(treasurer.id), String(w.chargeA.id)] });
      const interviewId = (db.prepare('SELECT id FROM interviews WHERE application_id = ?').get(first) as { id: number }).id;
      const edit = `/recrutement/entretiens/${interviewId}/modifier`;
      await formFrom(bureau, edit, edit, { date: future, start_time: '14:00', end_time: '15:00', mode: 'video', video_url: 'https://visio.exemple.test/salle', attendees: [String(treasurer.id)], expected_sequence: '0' });
      await post(bureau, `/recrutement/entretiens/${interviewId}/annuler`, { reason: 'Un membre du jury est empêché ; nous vous proposons une autre date.' });

      // The availability poll: slots, the panel's answers and links, invitations, bookings, a slot removed, a member who leaves.
      const poll = `/recrutement/offres/${w.posting.id}/disponibilites`;
      ok(await post(bureau, `${poll}/creneaux`, { dates: [inDays(10)], from: '14:00', to: '16:45', duration: '45', gap: '15', mode: 'place', location: 'Maison de santé de Vertou' }), 'slots');
      const slots = db.prepare("SELECT id, starts_at FROM scheduling_slots WHERE status = 'open' ORDER BY starts_at").all() as { id: number; starts_at: string }[];
      for (const who of [w.chargeA.email, w.bureauA.email, w.external.email]) {
        ok(await post(await as(ctx.app, who), `${poll}/reponses`, Object.fromEntries(slots.map((s) => [`answer_${s.id}`, 'yes']))), 'answers');
      }
      ok(await post(bureau, `${poll}/envoyer`, {}), 'poll links');
      ok(await post(bureau, `${poll}/candidats`, { applications: [String(w.a1.id), String(w.a2.id)] }), 'invitations');
      const book = async (applicationId: number, email: string, slotId: number) => {
        const link = linkIn(lastMailTo(db, email), '/candidature/');
        const candidate = anonymous(ctx.app);
        const csrf = csrfFrom((await candidate.get(link)).text);
        ok(await candidate.post(link).type('form').send({ _csrf: csrf, slot_id: String(slotId) }), `booking of ${applicationId}`);
      };
      await book(w.a1.id, w.a1.email, slots[0].id);
      await book(w.a2.id, w.a2.email, slots[1].id);
      ok(await post(bureau, `${poll}/creneaux/${slots[0].id}/retirer`, {}), 'slot removed');
      ok(await post(await as(ctx.app, w.external.email), `${poll}/reponses`, { [`answer_${slots[1].id}`]: 'no' }), 'member leaves');
      // The day-before reminders of the booked interview.
      await interviewRemindersJob(db, ctx.config, undefined, () => new Date(new Date(slots[1].starts_at).getTime() - 86_400_000)).run();

      // Invitations: an outside evaluator to a panel, a member to the CPTS (addresses without an account).
      ok(await post(bureau, `/recrutement/offres/${published.id}/jury/invitations`, { name: 'Paul Externe', email: 'paul@externe.test' }), 'panelist');
      ok(await submitForm(bureau, `/organisations/${w.orgA.id}/invitations`, { name: 'Zoé Nouvelle', email: 'zoe@exemple.test', role: 'coordinator' }, `/organisations/${w.orgA.id}/invitations/nouvelle`), 'member');

      // The regional pool: shared with the region, proposed to another CPTS, accepted.
      const pooled = await applyTo(await visitor(), source.slug, { first_name: 'Camille', last_name: 'Vivier', email: 'camille@exemple.test' }, { region_pool: '1' });
      db.prepare("UPDATE postings SET status = 'closed', closed_at = ? WHERE id = ?").run(nowIso(), source.id);
      const charge = await as(ctx.app, w.chargeA.email);
      const poolPage = await charge.get(`/regions/${w.regionA.id}/vivier`);
      ok(await charge.post(`/regions/${w.regionA.id}/vivier/candidatures/${pooled}/propositions`).type('form').send({ _csrf: csrfFrom(poolPage.text), posting_id: String(elsewhere.id) }), 'proposal');
      const proposal = linkIn(lastMailTo(db, 'camille@exemple.test'), '/vivier/');
      const accepting = await visitor();
      const acceptCsrf = csrfFrom((await accepting.get(proposal)).text);
      ok(await accepting.post(`${proposal}/accepter`).type('form').send({ _csrf: acceptCsrf, message: 'Ce poste m’intéresse.' }), 'acceptance');

      // An offer accepted: the hire (an account and its invitation, the onboarding), the others closed with their mail.
      const offer = `/recrutement/candidatures/${chosen.id}/offre`;
      ok(await submitForm(bureau, offer, { start_date: inDays(60), contract_type: 'CDI', fte_percent: '100', salary_gross_yearly: '38000' }, offer), 'offer');
      const offerId = (db.prepare("SELECT id FROM offers WHERE status = 'pending'").get() as { id: number }).id;
      ok(await submitForm(bureau, `${offer}/reponse`, { offer_id: String(offerId), outcome: 'accepted', rationale: 'Meilleur score du jury sur la prise d’initiative et la connaissance du territoire.' }, offer), 'hire');
      const token = await csrfOf(bureau, `/recrutement/candidatures/${chosen.id}/cloture`);
      ok(await bureau.post(`/recrutement/candidatures/${chosen.id}/cloture`).type('form').send(`_csrf=${encodeURIComponent(token)}&ids=${runnerUp.id}&send_mail=1`), 'closing');

      rows = db.prepare('SELECT id, template, to_address, subject, text_body, html_body, attachments FROM outbox ORDER BY id').all() as OutboxRow[];
      const own = tokens(catalogueText(language));
      for (const wd of dateWords(language)) own.add(wd);
      const data = dataWords(ctx);
      // Dates are written by the formatter only (the data may hold the same month names, as text the CPTS typed).
      forbidden = new Set([...[...tokens(catalogueText(other), 6)].filter((wd) => !data.has(wd)), ...dateWords(other)].filter((wd) => !own.has(wd)));
    });
    after(() => ctx.close());

    it('when the flows that send mail ran then they queued the mails of every kind the test means to read', () => {
      const templates = new Set(rows.map((r) => r.template));
      for (const expected of [
        'applications.ack',
        'applications.reapply',
        'applications.bureau',
        'applications.digest',
        'pipeline.mention',
        'candidate.interview',
        'candidate.rejection',
        'interviews.scheduled',
        'interviews.rescheduled',
        'interviews.removed',
        'interviews.cancelled',
        'scheduling.poll',
        'scheduling.invite',
        'scheduling.slot_removed',
        'scheduling.reminder',
        'auth.invitation',
        'pool.proposal',
      ]) {
        expect(templates, expected).to.include(expected);
      }
      // The words looked for are many (the property is not vacuous).
      expect(forbidden.size).to.be.greaterThan(300);
    });

    it(`when every queued mail is read (subject, text, HTML, calendar files) then none has a word of ${other === 'en' ? 'English' : 'French'}`, () => {
      const found = rows.flatMap((r) => {
        const words = [...tokens(readable(r))].filter((wd) => forbidden.has(wd));
        return words.length ? [`${r.template} to ${r.to_address}: ${words.slice(0, 8).join(', ')}`] : [];
      });
      expect(found).to.deep.equal([]);
    });

    it(`when every queued mail's HTML is read then it declares ${language === 'en' ? 'English' : 'French'} (lang), for screen readers and translators`, () => {
      const wrong = rows.filter((r) => !r.html_body.includes(`<html lang="${language}">`)).map((r) => `${r.template} to ${r.to_address}`);
      expect(wrong).to.deep.equal([]);
    });
  });
}
