/**
 * The anonymity rule as a property (DESIGN.md, "Rules that cross features"): while an
 * application is screened anonymously, its name, e-mail and phone reach no one who screens.
 * Every GET route of the app, read from its router, is requested by each screening viewer
 * with every id of the seeded hiring in its parameters (and the lists with searches for the
 * identity); every mail the screening produced for anyone but the candidates is scanned.
 */
import { expect } from 'chai';
import type request from 'supertest';
import { nowIso } from '../../server/core/db.js';
import { setPanelStart } from '../../server/features/evaluation/service.js';
import { TEMPLATE_KEYS } from '../../server/features/pipeline/templates.js';
import { loadActor } from '../../server/core/auth.js';
import { applicationsDigestJob } from '../../server/jobs/applications-digest.js';
import { anonymous, csrfFrom, csrfOf, login, type Agent } from '../helpers/agent.js';
import { createTestContext, type TestContext } from '../helpers/app.js';
import { createUser, createWorld, TEST_PASSWORD } from '../helpers/factories.js';
import { fillPath, listRoutes, routeParams } from '../helpers/routes.js';
import { binary, unzip } from '../helpers/zip.js';
import { pdfFile } from '../fixtures/documents.js';
import { publishedPosting } from '../fixtures/postings.js';
import { postApplication } from '../applications/support.js';
import { createApplication, stageByKey, stagesOf } from './fixtures.js';
import { seatPanel } from '../evaluation/fixtures.js';

/** Two people screened anonymously, each with distinctive identity strings. */
const PEOPLE = [
  { first_name: 'Ysolde', last_name: 'Quarantotti', email: 'ysolde.quarantotti@anonyme.example', phone: '07 98 76 54 32' },
  { first_name: 'Wendelin', last_name: 'Brzezinska', email: 'wendelin.brzezinska@anonyme.example', phone: '+33 6 55 44 33 21' },
] as const;

/** What must never be read: the names, the e-mail and its local part, the phone as typed and as digits. */
const FORBIDDEN = PEOPLE.flatMap((p) => [p.first_name, p.last_name, p.email, p.email.split('@')[0], p.phone, p.phone.replace(/\D/g, '')]).map((s) => s.toLowerCase());

const leaksIn = (text: string) => {
  const lower = text.toLowerCase();
  const digits = lower.replace(/[\s.\-()]/g, '');
  return FORBIDDEN.filter((s) => lower.includes(s) || (/^\+?\d+$/.test(s) && digits.includes(s)));
};

/** Everything a response carries: status line, headers, body, and the entries of a ZIP. */
async function responseText(res: request.Response): Promise<string> {
  const body = Buffer.isBuffer(res.body) ? (res.body as Buffer) : Buffer.from(res.text ?? '');
  let text = `${res.status}\n${JSON.stringify(res.headers)}\n${body.toString('utf8')}`;
  if (body.subarray(0, 2).toString() === 'PK') {
    for (const [name, entry] of await unzip(body)) text += `\n${name}\n${entry.toString('utf8')}`;
  }
  return text;
}

describe('anonymity: no page, file or mail reaches a screener with the identity of an anonymised application', function () {
  this.timeout(240_000);
  let ctx: TestContext;
  let world: Awaited<ReturnType<typeof createWorld>>;
  let viewers: { name: string; agent: Agent }[];
  let pools: Record<string, (string | number)[]>;
  let candidateEmails: Set<string>;

  before(async () => {
    ctx = createTestContext();
    const { db } = ctx;
    world = await createWorld(db);
    const bureau2 = await createUser(db, { name: 'Trésorière A', memberships: [{ organisationId: world.orgA.id, role: 'bureau' }] });
    const panelist = await createUser(db, { name: 'Jurée Externe' });
    const posting = publishedPosting(db, world.bureauA.id, world.orgA.id);
    db.prepare('INSERT INTO pipeline_settings (posting_id, organisation_id, anonymised, updated_at) VALUES (?, ?, 1, ?)').run(posting.id, world.orgA.id, nowIso());
    seatPanel(db, posting.id, world.orgA.id, [{ id: panelist.id }, { id: world.chargeA.id }, { id: world.bureauA.id, chair: true }]);
    // The panel starts at Présélection (anonymised), so the panelist reaches an application being screened.
    setPanelStart(db, loadActor(db, world.bureauA.id)!, posting.id, stageByKey(db, posting.id, 'screening').id, {});

    // Person 0 applies through the public form in "each" mode, person 1 in "digest" mode.
    const visitor = anonymous(ctx.app);
    const applyAs = async (p: (typeof PEOPLE)[number]) => {
      const token = csrfFrom((await visitor.get(`/offres/${posting.slug}/postuler`)).text);
      const message = `Madame, Monsieur, je vous adresse ma candidature. ${p.first_name} ${p.last_name.toUpperCase()}, ${p.email}, ${p.phone}`;
      const res = await postApplication(visitor, posting.slug, token, { ...p, message, source: 'board' }, [{ field: 'cv', data: pdfFile('Curriculum vitae'), filename: `CV ${p.first_name} ${p.last_name}.pdf`, contentType: 'application/pdf' }]);
      expect(res.status, 'application sent').to.be.oneOf([200, 303]);
      return (db.prepare('SELECT a.id FROM applications a JOIN candidates c ON c.id = a.candidate_id WHERE c.email = ?').get(p.email) as { id: number }).id;
    };
    const first = await applyAs(PEOPLE[0]);
    db.prepare("INSERT INTO recruitment_settings (organisation_id, notify_mode, updated_at) VALUES (?, 'digest', ?) ON CONFLICT (organisation_id) DO UPDATE SET notify_mode = 'digest'").run(world.orgA.id, nowIso());
    const second = await applyAs(PEOPLE[1]);
    await applicationsDigestJob(db, ctx.config).run();
    candidateEmails = new Set(PEOPLE.map((p) => p.email));
    // Someone else, hired on the same posting: the closing page lists the others.
    const hired = createApplication(db, { id: posting.id, organisation_id: world.orgA.id, title: '' }, { firstName: 'Hugo', lastName: 'Embauché', status: 'hired' });

    const bureau = await login(ctx.app, world.bureauA.email, TEST_PASSWORD);
    const form = async (agent: Agent, page: string, path: string, fields: Record<string, unknown>) => {
      const res = await agent.post(path).type('form').send({ _csrf: await csrfOf(agent, page), ...fields });
      expect(res.status, `${path} ${res.text.slice(0, 200)}`).to.be.oneOf([200, 303]);
    };
    const candidatePage = (id: number) => `/recrutement/candidatures/${id}`;
    // Screening actions: notes with mentions, a move between screening stages with its mail,
    // a rejection with its mail, a decision, an interview with its calendar for the panel.
    await form(bureau, candidatePage(first), `${candidatePage(first)}/notes`, { body: `Profil solide, @Chargée A et @Trésorière A pouvez-vous lire ?`, mentions: [String(bureau2.id), String(world.chargeA.id)] });
    await form(bureau, candidatePage(first), `${candidatePage(first)}/deplacer`, { stage_id: stageByKey(db, posting.id, 'screening').id, expected_stage_id: stageByKey(db, posting.id, 'new').id, send_mail: '1', back: 'candidate' });
    await form(bureau, candidatePage(second), `${candidatePage(second)}/decision`, { outcome: 'rejected', rationale: 'Le profil ne correspond pas aux missions de coordination attendues.', expected_stage_id: stageByKey(db, posting.id, 'new').id, send_mail: '1' });
    const charge = await login(ctx.app, world.chargeA.email, TEST_PASSWORD);
    await form(charge, candidatePage(second), `${candidatePage(second)}/notes`, { body: 'Vu, @Bureau A.', mentions: [String(world.bureauA.id)] });
    const future = new Date(Date.now() + 20 * 86_400_000).toISOString().slice(0, 10);
    await form(bureau, `${candidatePage(first)}/entretiens`, `${candidatePage(first)}/entretiens`, { date: future, start_time: '10:00', end_time: '11:00', mode: 'place', location: 'Maison de santé', attendees: [String(panelist.id), String(world.chargeA.id)] });
    const interviewId = (db.prepare('SELECT id FROM interviews WHERE application_id = ?').get(first) as { id: number }).id;
    await form(bureau, `/recrutement/entretiens/${interviewId}/modifier`, `/recrutement/entretiens/${interviewId}/modifier`, { date: future, start_time: '14:00', end_time: '15:00', mode: 'place', location: 'Maison de santé', attendees: [String(panelist.id)], expected_sequence: '0' });

    viewers = [
      { name: 'bureau', agent: bureau },
      { name: 'chargée de mission', agent: charge },
      { name: 'panelist', agent: await login(ctx.app, panelist.email, TEST_PASSWORD) },
    ];
    const ids = (sql: string, ...args: unknown[]) => (db.prepare(sql).all(...args) as { id: number }[]).map((r) => r.id);
    const applications = [first, second, hired.id];
    const documents = ids('SELECT id FROM application_documents');
    const general = [world.orgA.id, world.regionA.id, posting.id, ...applications, ...documents, interviewId];
    pools = {
      id: [...new Set(general)],
      applicationId: applications,
      postingId: [posting.id],
      orgId: [world.orgA.id],
      documentId: documents,
      stageId: stagesOf(db, posting.id).map((s) => s.id),
      criterionId: ids('SELECT c.id FROM scorecard_criteria c JOIN scorecards s ON s.id = c.scorecard_id WHERE s.posting_id = ?', posting.id),
      userId: [world.bureauA.id, world.chargeA.id, panelist.id],
      key: [...TEMPLATE_KEYS],
      slug: [posting.slug],
    };
  });
  after(() => ctx.close());

  /** Every concrete URL of a pattern: each parameter takes every value of its pool. */
  const urlsOf = (pattern: string): string[] => {
    let combos: Record<string, string | number>[] = [{}];
    for (const name of routeParams(pattern)) {
      const pool = pools[name] ?? pools.id;
      combos = combos.flatMap((c) => pool.map((v) => ({ ...c, [name]: v })));
    }
    return combos.map((c) => fillPath(pattern, c));
  };

  it('when each screener requests every GET route with the hiring’s ids (and searches the lists for the identity) then no name, e-mail or phone is in any status, header or body', async () => {
    const routes = listRoutes(ctx.app).filter((r) => r.method === 'GET');
    expect(routes.length).to.be.greaterThan(60);
    const leaks: string[] = [];
    let reached = 0;
    for (const viewer of viewers) {
      for (const route of routes) {
        for (const url of urlsOf(route.path)) {
          const res = await viewer.agent.get(url).buffer(true).parse(binary);
          if (res.status === 200) reached++;
          const found = leaksIn(await responseText(res));
          if (found.length) leaks.push(`${viewer.name} GET ${url} (${res.status}): ${found.join(', ')}`);
          // A page with a search field is searched for each identity string.
          const html = Buffer.isBuffer(res.body) ? res.body.toString('utf8') : '';
          if (res.status === 200 && /<form[^>]*method="get"[\s\S]*?name="q"/.test(html)) {
            for (const p of PEOPLE) {
              for (const term of [p.last_name, p.first_name, p.email, p.phone]) {
                const searchUrl = `${url}${url.includes('?') ? '&' : '?'}q=${encodeURIComponent(term)}`;
                // The field shows back what the screener typed (and the page links carry it): that is not the data.
                const echo = [`value="${term}"`, `q=${new URLSearchParams({ q: term }).toString().slice(2)}`];
                const page = echo.reduce((text, e) => text.split(e).join(''), await responseText(await viewer.agent.get(searchUrl).buffer(true).parse(binary)));
                const found = leaksIn(page);
                if (found.length) leaks.push(`${viewer.name} GET ${searchUrl}: ${found.join(', ')}`);
              }
            }
          }
        }
      }
    }
    expect(leaks).to.deep.equal([]);
    // The property is not vacuous: the screeners reach many pages of this hiring.
    expect(reached).to.be.greaterThan(100);
  });

  it('when the screening produced mails (new application each and digest, mentions, moves, rejection, decision, interview) then none to a screener carries the identity, attachments included', () => {
    const rows = ctx.db.prepare('SELECT id, template, to_address, subject, text_body, html_body, attachments FROM outbox ORDER BY id').all() as { id: number; template: string; to_address: string; subject: string; text_body: string; html_body: string; attachments: string }[];
    const toScreeners = rows.filter((r) => !candidateEmails.has(r.to_address));
    const templates = new Set(toScreeners.map((r) => r.template));
    for (const expected of ['applications.bureau', 'applications.digest', 'pipeline.mention', 'interviews.scheduled', 'interviews.rescheduled', 'interviews.removed']) expect(templates, expected).to.include(expected);
    const leaks = toScreeners.flatMap((r) => {
      // Calendar files are kept as JSON text with the message (migration 005).
      const found = leaksIn([r.subject, r.text_body, r.html_body, r.attachments].join('\n'));
      return found.length ? [`${r.template} to ${r.to_address}: ${found.join(', ')}`] : [];
    });
    expect(leaks).to.deep.equal([]);
    // The candidates' own mails do carry their name: the scan reads what it should.
    expect(leaksIn(rows.filter((r) => candidateEmails.has(r.to_address)).map((r) => r.text_body).join('\n'))).not.to.deep.equal([]);
  });
});
