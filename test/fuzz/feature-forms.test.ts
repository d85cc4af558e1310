/**
 * Fuzzing the authenticated forms of postings, pipeline (moves, notes, rejection, bulk),
 * onboarding, network and evaluation with random and hostile input (unicode, control
 * characters, long strings, SQL/HTML payloads, wrong types, missing and repeated fields).
 * Never a 5xx; a refused form writes no row; every page that shows the data escapes it.
 */
import { expect } from 'chai';
import fc from 'fast-check';
import { loadActor } from '../../server/core/auth.js';
import { nowIso } from '../../server/core/db.js';
import { createPlanForHire, ensureRegionTemplates } from '../../server/features/onboarding/service.js';
import { csrfOf, login, type Agent } from '../helpers/agent.js';
import { createTestContext, type TestContext } from '../helpers/app.js';
import { rowCounts } from '../helpers/db-snapshot.js';
import { hasUnescapedPayload, hostileForm } from '../helpers/fuzz.js';
import { criteriaIds, evaluationWorld, seatPanel } from '../evaluation/fixtures.js';

type World = Awaited<ReturnType<typeof evaluationWorld>>;
/** `warm`: the form's page, opened first when it sets things up lazily (the scorecard from its template). */
type Form = { name: string; who: 'bureau' | 'charge' | 'coordinator'; path: () => string; fields: () => Record<string, fc.Arbitrary<unknown>>; warm?: () => string };

describe('fuzz: authenticated feature forms never answer 5xx, never half-write, always escape', function () {
  this.timeout(120_000);
  let ctx: TestContext;
  let w: World;
  let agents: Record<Form['who'], Agent>;
  let tokens: Record<Form['who'], string>;
  let planId: number;
  let stepId: number;
  let templateId: number;
  let eventId: number;

  before(async () => {
    ctx = createTestContext();
    w = await evaluationWorld(ctx.db, ctx.config.uploadDir);
    seatPanel(ctx.db, w.posting.id, w.orgA.id, [{ id: w.bureauA.id, chair: true }]);
    ensureRegionTemplates(ctx.db, w.regionA.id);
    const bureau = loadActor(ctx.db, w.bureauA.id)!;
    planId = createPlanForHire(ctx.db, bureau, { organisationId: w.orgA.id, userId: w.coordinatorA.id, kind: 'coordinator', startDate: '2026-03-02' }).planId;
    stepId = (ctx.db.prepare('SELECT id FROM onboarding_plan_steps WHERE plan_id = ? ORDER BY id LIMIT 1').get(planId) as { id: number }).id;
    templateId = (ctx.db.prepare('SELECT id FROM onboarding_templates WHERE region_id = ? ORDER BY id LIMIT 1').get(w.regionA.id) as { id: number }).id;
    eventId = Number(
      ctx.db
        .prepare(
          `INSERT INTO network_events (region_id, kind, title, starts_at, duration_minutes, place, agenda, uid, created_by, created_at, updated_at)
           VALUES (?, 'meeting', 'Réunion', ?, 120, 'Nantes', 'Ordre du jour', 'uid-fuzz@coordo', ?, ?, ?)`,
        )
        .run(w.regionA.id, '2099-01-15T09:00:00.000Z', w.chargeA.id, nowIso(), nowIso()).lastInsertRowid,
    );
    agents = {
      bureau: await login(ctx.app, w.bureauA.email, w.bureauA.password),
      charge: await login(ctx.app, w.chargeA.email, w.chargeA.password),
      coordinator: await login(ctx.app, w.coordinatorA.email, w.coordinatorA.password),
    };
    tokens = {
      bureau: await csrfOf(agents.bureau, '/compte'),
      charge: await csrfOf(agents.charge, '/compte'),
      coordinator: await csrfOf(agents.coordinator, '/compte'),
    };
  });
  after(() => ctx.close());

  const text = fc.string({ minLength: 1, maxLength: 40 });
  const date = fc.date({ min: new Date('2020-01-01'), max: new Date('2030-12-31'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10));
  const ids = (list: () => number[]) => fc.constant(null).chain(() => fc.constantFrom(...list().map(String)));
  const stageIds = () => ids(() => w.stages.map((s) => s.id));
  const seriesDate = () => (ctx.db.prepare('SELECT first_date FROM exchange_series').get() as { first_date: string } | undefined)?.first_date ?? '2099-01-05';

  const forms: Form[] = [
    // ---- postings
    { name: 'new posting', who: 'bureau', path: () => `/organisations/${w.orgA.id}/offres`, fields: () => ({ template: fc.constantFrom('coordinator', 'case_manager', 'blank'), title: text }) },
    {
      name: 'posting edit',
      who: 'bureau',
      path: () => `/gestion/offres/${w.other.id}/modifier`,
      fields: () => ({
        kind: fc.constantFrom('coordinator', 'case_manager', 'other'),
        title: text,
        location: text,
        contract_type: fc.constantFrom('CDI', 'CDD', 'other'),
        contract_duration_months: fc.integer({ min: -5, max: 100 }).map(String),
        contract_details: text,
        working_time_unit: fc.constantFrom('fte', 'hours'),
        working_time_value: fc.integer({ min: 0, max: 120 }).map(String),
        salary_min: fc.integer({ min: -1, max: 600_000 }).map(String),
        salary_max: fc.integer({ min: -1, max: 600_000 }).map(String),
        start_date: date,
        deadline: date,
        summary: text,
        description_md: fc.constantFrom('# Titre\n\n<script>alert(1)</script>', '[lien](javascript:alert(1))', '**gras**'),
        contact_name: text,
        contact_email: fc.emailAddress(),
      }),
    },
    { name: 'posting status', who: 'bureau', path: () => `/gestion/offres/${w.other.id}/statut`, fields: () => ({ action: fc.constantFrom('publish', 'close', 'fill', 'reopen') }) },
    { name: 'recruitment settings', who: 'bureau', path: () => `/organisations/${w.orgA.id}/offres/reglages`, fields: () => ({ notify_mode: fc.constantFrom('each', 'digest') }) },
    // ---- pipeline
    {
      name: 'pipeline move',
      who: 'bureau',
      path: () => `/recrutement/candidatures/${w.early.id}/deplacer`,
      fields: () => ({ stage_id: stageIds(), expected_stage_id: stageIds(), comment: text, send_mail: fc.constantFrom('1', 'on'), back: fc.constantFrom('board', 'list', 'candidate', 'all') }),
    },
    {
      name: 'pipeline rejection',
      who: 'bureau',
      path: () => `/recrutement/candidatures/${w.b1.id}/refuser`,
      fields: () => ({
        expected_stage_id: ids(() => (ctx.db.prepare('SELECT id FROM pipeline_stages WHERE posting_id = ?').pluck().all(w.other.id) as number[])),
        reason: fc.constantFrom('profile', 'experience', 'other_candidate', 'availability', 'after_interview', 'cancelled', 'other'),
        reason_text: text,
        mail: fc.constantFrom('none', 'auto', 'rejection', 'rejection_after_interview'),
        back: fc.constantFrom('board', 'list', 'candidate'),
      }),
    },
    { name: 'pipeline note', who: 'bureau', path: () => `/recrutement/candidatures/${w.a1.id}/notes`, fields: () => ({ body: text, mentions: ids(() => [w.coordinatorA.id, w.bureauA.id, w.bureauB.id]) }) },
    {
      name: 'pipeline bulk',
      who: 'bureau',
      path: () => `/recrutement/organisations/${w.orgA.id}/candidatures/lot`,
      fields: () => ({ ids: ids(() => [w.a1.id, w.a2.id, w.early.id, w.c1.id]), action: fc.constantFrom('move', 'reject'), stage: text, reason: fc.constantFrom('', 'profile'), reason_text: text, mail: fc.constantFrom('none', 'auto') }),
    },
    { name: 'pipeline stage', who: 'bureau', path: () => `/recrutement/offres/${w.posting.id}/etapes`, fields: () => ({ name: text, anonymised: fc.constantFrom('1', 'on') }) },
    {
      name: 'candidate mail template',
      who: 'bureau',
      path: () => `/recrutement/organisations/${w.orgA.id}/modeles/receipt`,
      fields: () => ({ subject: text, body: fc.constantFrom('Bonjour {candidat}', '{{lien}} <b>x</b>', '{inconnu}'), intent: fc.constantFrom('save', 'preview', 'reset') }),
    },
    // ---- onboarding
    {
      name: 'onboarding plan',
      who: 'bureau',
      path: () => `/organisations/${w.orgA.id}/integration`,
      fields: () => ({ user_id: ids(() => [w.coordinatorA.id, w.bureauB.id]), template_id: ids(() => [templateId]), start_date: date }),
    },
    { name: 'onboarding step status', who: 'bureau', path: () => `/integration/${planId}/etapes/${stepId}/statut`, fields: () => ({ status: fc.constantFrom('todo', 'done', 'not_applicable'), reason: text }) },
    { name: 'onboarding comment', who: 'coordinator', path: () => `/integration/${planId}/etapes/${stepId}/commentaires`, fields: () => ({ body: text }) },
    {
      name: 'onboarding template step',
      who: 'charge',
      path: () => `/modeles-integration/${templateId}/etapes`,
      fields: () => ({
        phase: text,
        title: text,
        description: text,
        owner_role: fc.constantFrom('coordinator', 'bureau', 'charge_de_mission', 'mentor'),
        due_offset_days: fc.integer({ min: -400, max: 800 }).map(String),
        recurring_every_days: fc.integer({ min: 0, max: 1000 }).map(String),
        recurring_label: text,
      }),
    },
    // ---- network
    {
      name: 'network correspondent',
      who: 'charge',
      path: () => `/reseau/${w.regionA.id}/correspondants`,
      fields: () => ({ department: text, institution: fc.constantFrom('ars', 'cpam', 'dac', 'cls', 'ght', 'other'), institution_other: text, name: text, role: text, email: fc.emailAddress(), phone: fc.constantFrom('02 43 11 22 33') }),
    },
    { name: 'network mentor pairing', who: 'charge', path: () => `/reseau/${w.regionA.id}/binomes`, fields: () => ({ mentee: ids(() => [w.coordinatorA.id]), mentor: ids(() => [w.coordinatorA.id, w.bureauA.id]) }) },
    {
      name: 'network event',
      who: 'charge',
      path: () => `/reseau/${w.regionA.id}/evenements`,
      fields: () => ({ kind: fc.constantFrom('meeting', 'training'), title: text, date, time: fc.constantFrom('09:30', '25:00', '14:00'), end_time: fc.constantFrom('10:30', '08:00', '', '99:99'), place: text, video_url: fc.constantFrom('', 'https://visio.example/abc', 'javascript:alert(1)'), agenda: text, audience: fc.constantFrom('region', 'organisations', 'x'), organisation_ids: fc.constantFrom('', '1', 'abc') }),
    },
    { name: 'network RSVP', who: 'coordinator', path: () => `/reseau/evenements/${eventId}/reponse`, fields: () => ({ response: fc.constantFrom('yes', 'no', 'maybe') }) },
    { name: 'network profile', who: 'coordinator', path: () => '/reseau/profil/coordonnees', fields: () => ({ phone: fc.constantFrom('02 43 11 22 33', 'appelez-moi', '') }) },
    // ---- onboarding owners and reminders
    { name: 'step assignment', who: 'bureau', path: () => `/integration/${planId}/etapes/${stepId}/responsable`, fields: () => ({ owner_user_id: ids(() => [w.coordinatorA.id, w.bureauA.id, w.bureauB.id]) }) },
    { name: 'digest preference', who: 'coordinator', path: () => '/integration/rappels', fields: () => ({ digest: fc.constantFrom('daily', 'weekly', 'off'), back: text }) },
    // ---- the coordinator–bureau exchange
    {
      name: 'exchange series',
      who: 'bureau',
      path: () => `/organisations/${w.orgA.id}/echange/parametres`,
      fields: () => ({
        frequency: fc.constantFrom('weekly', 'biweekly', 'monthly', 'daily'),
        weekday: fc.constantFrom('1', '3', '8'),
        start_time: fc.constantFrom('18:30', '25:00'),
        duration_minutes: fc.constantFrom('60', '0', '9999'),
        start_date: fc.constantFrom('2099-01-05', '2020-01-01', '2099-02-30'),
        place: text,
        video_url: fc.constantFrom('', 'https://visio.example/x', 'javascript:alert(1)'),
        participant_ids: fc.constantFrom([String(w.coordinatorA.id), String(w.bureauA.id)], [String(w.bureauB.id)], String(w.coordinatorA.id)),
      }),
    },
    { name: 'exchange agenda point', who: 'coordinator', path: () => `/organisations/${w.orgA.id}/echange/${seriesDate()}/points`, fields: () => ({ body: text }) },
    { name: 'exchange minutes', who: 'bureau', path: () => `/organisations/${w.orgA.id}/echange/${seriesDate()}/compte-rendu`, fields: () => ({ minutes: text, decisions: text }) },
    { name: 'exchange action', who: 'coordinator', path: () => `/organisations/${w.orgA.id}/echange/${seriesDate()}/actions`, fields: () => ({ title: text, owner_user_id: ids(() => [w.coordinatorA.id, w.bureauB.id]), due_date: date }) },
    // ---- evaluation
    {
      name: 'scorecard criterion',
      who: 'bureau',
      path: () => `/recrutement/offres/${w.posting.id}/grille/criteres`,
      warm: () => `/recrutement/offres/${w.posting.id}/grille`,
      fields: () => ({
        group: fc.constantFrom('savoir_etre', 'savoirs', 'savoir_faire'),
        label: text,
        description: text,
        weight: fc.integer({ min: 0, max: 4 }).map(String),
        must_have: fc.constantFrom('1', 'on'),
        level_1: text,
        level_2: text,
        level_3: text,
        level_4: text,
        questions: text,
      }),
    },
    { name: 'panel member', who: 'bureau', path: () => `/recrutement/offres/${w.posting.id}/jury/membres`, fields: () => ({ user_id: ids(() => [w.chargeA.id, w.coordinatorA.id, w.bureauB.id]) }) },
    { name: 'panel invitation', who: 'bureau', path: () => `/recrutement/offres/${w.posting.id}/jury/invitations`, fields: () => ({ name: text, email: fc.emailAddress() }) },
    {
      name: 'evaluation kit',
      who: 'bureau',
      path: () => `/recrutement/candidatures/${w.a1.id}/evaluation`,
      fields: () => {
        const fields: Record<string, fc.Arbitrary<unknown>> = {
          intent: fc.constantFrom('save', 'submit'),
          version: fc.constantFrom('1', '2'),
          recommendation: fc.constantFrom('strong_no', 'no', 'yes', 'strong_yes', ''),
          summary: text,
        };
        for (const id of criteriaIds(ctx.db, w.posting.id).slice(0, 4)) {
          fields[`rating_${id}`] = fc.constantFrom('1', '2', '3', '4', '5', '0');
          fields[`comment_${id}`] = text;
        }
        return fields;
      },
    },
    {
      name: 'decision',
      who: 'bureau',
      path: () => `/recrutement/candidatures/${w.a2.id}/decision`,
      fields: () => ({ outcome: fc.constantFrom('offer', 'hired', 'rejected'), rationale: fc.string({ minLength: 25, maxLength: 80 }), expected_stage_id: stageIds(), send_mail: fc.constantFrom('1') }),
    },
    // ---- funding
    {
      name: 'funding contract',
      who: 'bureau',
      path: () => `/organisations/${w.orgA.id}/financement/contrat`,
      fields: () => ({ aci_size: fc.integer({ min: -1, max: 6 }).map(String), aci_start_year: fc.integer({ min: 1900, max: 2200 }).map(String), new_post_rate_percent: fc.integer({ min: -10, max: 200 }).map(String) }),
    },
    {
      name: 'funding committed cost',
      who: 'bureau',
      path: () => `/organisations/${w.orgA.id}/financement/charges`,
      fields: () => ({
        kind: fc.constantFrom('post', 'other', 'bonus'),
        label: text,
        gross_salary: fc.integer({ min: -1_000, max: 2_000_000 }).map(String),
        fte_percent: fc.integer({ min: -5, max: 300 }).map(String),
        employer_rate_percent: fc.integer({ min: -5, max: 300 }).map(String),
        amount: fc.integer({ min: -1_000, max: 20_000_000 }).map(String),
      }),
    },
    {
      name: 'funding region amount',
      who: 'charge',
      path: () => `/regions/${w.regionA.id}/financement`,
      fields: () => ({ size_class: fc.integer({ min: 0, max: 5 }).map(String), year: fc.integer({ min: 1990, max: 2200 }).map(String), amount: fc.integer({ min: -1_000, max: 20_000_000 }).map(String), source: text, source_date: date }),
    },
  ];

  for (const form of forms) {
    it(`when the ${form.name} form gets random and hostile input then no 5xx, escaped output, and writes only on success`, async () => {
      const agent = agents[form.who];
      if (form.warm) expect((await agent.get(form.warm())).status).to.equal(200);
      await fc.assert(
        fc.asyncProperty(hostileForm(form.fields()), async (body) => {
          const before = rowCounts(ctx.db);
          const res = await agent.post(form.path()).type('form').send({ ...body, _csrf: tokens[form.who] });
          expect(res.status, JSON.stringify(body).slice(0, 300)).to.be.below(500);
          expect(hasUnescapedPayload(res.text)).to.equal(false);
          if (res.status >= 400) expect(rowCounts(ctx.db)).to.deep.equal(before);
        }),
        { numRuns: 40, seed: 20261125 },
      );
    });
  }

  it('when the fuzzing is over then the data still holds together (no half-written aggregate)', () => {
    const none = (sql: string) => expect((ctx.db.prepare(sql).get() as { n: number }).n, sql).to.equal(0);
    none('SELECT COUNT(*) AS n FROM applications a LEFT JOIN pipeline_cards c ON c.application_id = a.id WHERE c.application_id IS NULL');
    none('SELECT COUNT(*) AS n FROM pipeline_cards c JOIN pipeline_stages s ON s.id = c.stage_id WHERE s.posting_id <> c.posting_id');
    none(`SELECT COUNT(*) AS n FROM evaluations e WHERE e.status = 'submitted' AND NOT EXISTS (SELECT 1 FROM evaluation_ratings r WHERE r.evaluation_id = e.id)`);
    none('SELECT COUNT(*) AS n FROM onboarding_plans p WHERE NOT EXISTS (SELECT 1 FROM onboarding_plan_steps s WHERE s.plan_id = p.id)');
    none('SELECT COUNT(*) AS n FROM postings p WHERE (SELECT COUNT(*) FROM pipeline_stages s WHERE s.posting_id = p.id) = 0');
    const fk = ctx.db.pragma('foreign_key_check') as unknown[];
    expect(fk, 'foreign keys').to.deep.equal([]);
  });

  it('when the fuzzed data is shown on the pages that list it then it is escaped everywhere', async () => {
    const pages: [Form['who'], string][] = [
      ['bureau', `/recrutement/offres/${w.posting.id}`],
      ['bureau', `/recrutement/offres/${w.posting.id}/liste`],
      ['bureau', `/recrutement/candidatures/${w.a1.id}`],
      ['bureau', `/recrutement/offres/${w.posting.id}/grille`],
      ['bureau', `/recrutement/offres/${w.posting.id}/jury`],
      ['bureau', `/recrutement/offres/${w.posting.id}/classement`],
      ['bureau', `/organisations/${w.orgA.id}/offres`],
      ['bureau', `/integration/${planId}`],
      ['bureau', `/organisations/${w.orgA.id}/echange`],
      ['bureau', `/organisations/${w.orgA.id}/echange/${seriesDate()}`],
      ['charge', `/reseau/${w.regionA.id}`],
      ['charge', `/modeles-integration/${templateId}`],
      ['coordinator', `/reseau/${w.regionA.id}`],
      ['bureau', `/organisations/${w.orgA.id}/financement`],
      ['bureau', `/organisations/${w.orgA.id}/tableau-de-bord`],
      ['charge', `/regions/${w.regionA.id}/financement`],
    ];
    for (const [who, path] of pages) {
      const res = await agents[who].get(path);
      expect(res.status, path).to.be.below(500);
      expect(hasUnescapedPayload(res.text), path).to.equal(false);
    }
  });
});
