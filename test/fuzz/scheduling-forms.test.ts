/**
 * Fuzzing the scheduling forms (slots, poll rules, answers from an account and from a signed
 * link, candidate invitations, the candidate's choice) with random and hostile input: never a
 * 5xx, a refused form writes no row, every page escapes what it shows.
 */
import { expect } from 'chai';
import fc from 'fast-check';
import { csrfFrom, csrfOf, login, type Agent } from '../helpers/agent.js';
import { createTestContext, type TestContext } from '../helpers/app.js';
import { rowCounts } from '../helpers/db-snapshot.js';
import { hasUnescapedPayload, hostileForm } from '../helpers/fuzz.js';
import { post } from '../evaluation/fixtures.js';
import { inDays, linkPath, mailsOf, schedulingWorld, visitor } from '../scheduling/fixtures.js';

type World = Awaited<ReturnType<typeof schedulingWorld>>;
type Form = { name: string; agent: () => Agent; token: () => string; path: () => string; fields: () => Record<string, fc.Arbitrary<unknown>> };

describe('fuzz: scheduling forms never answer 5xx, never half-write, always escape', function () {
  this.timeout(120_000);
  let ctx: TestContext;
  let w: World;
  let bureau: Agent;
  let bureauToken: string;
  let guest: Agent;
  let panelLink: string;
  let panelToken: string;
  let candidateLink: string;
  let candidateToken: string;
  let slotIds: number[];

  before(async () => {
    ctx = createTestContext();
    w = await schedulingWorld(ctx.db);
    bureau = await login(ctx.app, w.bureauA.email, w.bureauA.password);
    const poll = `/recrutement/offres/${w.posting.id}/disponibilites`;
    await post(bureau, `${poll}/creneaux`, { dates: [inDays(10)], from: '14:00', to: '16:00', duration: '45', gap: '15', mode: 'place', location: 'Vertou' });
    slotIds = (ctx.db.prepare('SELECT id FROM scheduling_slots').all() as { id: number }[]).map((r) => r.id);
    for (const email of [w.chargeA.email, w.bureauA.email]) await post(await login(ctx.app, email, w.bureauA.password), `${poll}/reponses`, { [`answer_${slotIds[0]}`]: 'yes' });
    await post(bureau, `${poll}/envoyer`, {});
    await post(bureau, `${poll}/candidats`, { applications: [String(w.a1.id)] });
    bureauToken = await csrfOf(bureau, '/compte');
    guest = visitor(ctx.app);
    panelLink = linkPath(mailsOf(ctx.db, 'scheduling.poll').find((m) => m.to_address === w.external.email)!, '/disponibilites/');
    panelToken = csrfFrom((await guest.get(panelLink)).text);
    candidateLink = linkPath(mailsOf(ctx.db, 'scheduling.invite')[0], '/candidature/');
    candidateToken = csrfFrom((await guest.get(candidateLink)).text);
  });
  after(() => ctx.close());

  const text = fc.string({ minLength: 1, maxLength: 40 });
  const time = fc.tuple(fc.integer({ min: 0, max: 25 }), fc.integer({ min: 0, max: 61 })).map(([h, m]) => `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`);
  const day = fc.integer({ min: -400, max: 400 }).map((d) => inDays(d));
  const answer = fc.constantFrom('yes', 'maybe', 'no');
  const slot = () => fc.constantFrom(...slotIds.map(String));
  const answers = () => Object.fromEntries(slotIds.map((id) => [`answer_${id}`, answer]));

  const forms: Form[] = [
    {
      name: 'slots',
      agent: () => bureau,
      token: () => bureauToken,
      path: () => `/recrutement/offres/${w.posting.id}/disponibilites/creneaux`,
      fields: () => ({
        dates: fc.array(day, { maxLength: 4 }),
        from: time,
        to: time,
        duration: fc.integer({ min: -10, max: 600 }).map(String),
        gap: fc.integer({ min: -10, max: 300 }).map(String),
        mode: fc.constantFrom('place', 'video', 'phone'),
        location: text,
        video_url: fc.constantFrom('https://visio.example.test/a', 'javascript:alert(1)', 'ftp://x'),
      }),
    },
    {
      name: 'poll rules',
      agent: () => bureau,
      token: () => bureauToken,
      path: () => `/recrutement/offres/${w.posting.id}/disponibilites/reglages`,
      fields: () => ({ quorum: fc.integer({ min: -2, max: 40 }).map(String), chair_required: fc.constantFrom('1', '', 'oui'), deadline_hours: fc.integer({ min: -5, max: 400 }).map(String) }),
    },
    { name: 'answers', agent: () => bureau, token: () => bureauToken, path: () => `/recrutement/offres/${w.posting.id}/disponibilites/reponses`, fields: () => ({ ...answers(), answer_999999: answer }) },
    { name: 'signed-link answers', agent: () => guest, token: () => panelToken, path: () => panelLink, fields: () => answers() },
    {
      name: 'candidate invitation',
      agent: () => bureau,
      token: () => bureauToken,
      path: () => `/recrutement/offres/${w.posting.id}/disponibilites/candidats`,
      fields: () => ({ applications: fc.array(fc.constantFrom(String(w.a2.id), String(w.early.id), String(w.c1.id), '0'), { maxLength: 3 }) }),
    },
    { name: 'candidate choice', agent: () => guest, token: () => candidateToken, path: () => candidateLink, fields: () => ({ slot_id: slot() }) },
  ];

  for (const form of forms) {
    it(`when the ${form.name} form gets random and hostile input then no 5xx, escaped output, and writes only on success`, async () => {
      await fc.assert(
        fc.asyncProperty(hostileForm(form.fields()), async (body) => {
          const before = rowCounts(ctx.db);
          const res = await form.agent().post(form.path()).type('form').send({ ...body, _csrf: form.token() });
          expect(res.status, JSON.stringify(body).slice(0, 300)).to.be.below(500);
          expect(hasUnescapedPayload(res.text)).to.equal(false);
          if (res.status >= 400) expect(rowCounts(ctx.db)).to.deep.equal(before);
        }),
        { numRuns: 40, seed: 20261201 },
      );
    });
  }

  it('when the fuzzed data is shown on the scheduling pages then it is escaped and the data holds together', async () => {
    for (const [agent, path] of [
      [bureau, `/recrutement/offres/${w.posting.id}/disponibilites`],
      [guest, panelLink],
      [guest, candidateLink],
    ] as const) {
      const res = await agent.get(path);
      expect(res.status, path).to.be.below(500);
      expect(hasUnescapedPayload(res.text), path).to.equal(false);
    }
    expect((ctx.db.prepare('SELECT COUNT(*) AS n FROM scheduling_bookings b LEFT JOIN interviews i ON i.id = b.interview_id WHERE i.id IS NULL').get() as { n: number }).n, 'a booking without its interview').to.equal(0);
    expect(ctx.db.pragma('foreign_key_check'), 'foreign keys').to.deep.equal([]);
  });
});
