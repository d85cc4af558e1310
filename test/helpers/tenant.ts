/**
 * A seeded tenant for property tests over every route: the demo data (a region, three CPTS,
 * postings with applications, documents, stages, a scorecard, a panel, an interview, onboarding,
 * network rows) plus an invitation and a reset request, and a way to fill any route pattern's
 * parameters with real rows of the bureau member's CPTS. A parameter nobody knows fails loudly,
 * so a new route with a new kind of resource asks for its row here instead of being skipped.
 */
import type { Express } from 'express';
import { loadActor } from '../../server/core/auth.js';
import { createI18n, parisDay } from '../../server/core/i18n.js';
import { commonMessages } from '../../server/core/messages.js';
import { DEMO_PASSWORD, seedDemo } from '../../server/demo/seed.js';
import { messages as authMessages } from '../../server/features/auth/routes.js';
import { createInvitation, requestPasswordReset } from '../../server/features/auth/service.js';
import { newToken } from '../../server/core/tokens.js';
import { regenerateFeed } from '../../server/features/scheduling/feed.js';
import { anonymous, csrfOf, login, type Agent } from './agent.js';
import type { TestContext } from './app.js';
import { linkIn, type OutboxMail } from './mail.js';
import { formsIn, matchesPattern, type FormField, type HarvestedForm } from './forms.js';
import { fillPath, listRoutes, routeParams, stateChangingRoutes, type AppRoute } from './routes.js';

export const ROLES = {
  admin: 'admin@demo.coordo.test',
  charge: 'mission@demo.coordo.test',
  bureau: 'bureau@demo.coordo.test',
} as const;
export type SignedInRole = keyof typeof ROLES;
/** Who a property test acts as: a signed-in role of the seeded tenant, or a visitor without an account. */
export type Who = SignedInRole | 'visitor';

type Row = Record<string, number | string>;

export type Tenant = {
  login(role: SignedInRole): Promise<Agent>;
  /** A fresh session as `who` (a visitor's has no account), with a CSRF token from one of its form pages. */
  session(who: Who): Promise<{ agent: Agent; token: string }>;
  /** The concrete URL of a route, its parameters taken from real rows. */
  url(route: AppRoute | string): string;
};

export async function seedTenant(ctx: TestContext): Promise<Tenant> {
  const { db } = ctx;
  await seedDemo(db, { passwordCost: ctx.config.passwordCost, uploadDir: ctx.config.uploadDir, baseUrl: ctx.config.baseUrl });
  const one = (sql: string, ...args: unknown[]): Row => {
    const row = db.prepare(sql).get(...args) as Row | undefined;
    if (!row) throw new Error(`seeded tenant lacks a row for: ${sql}`);
    return row;
  };
  const bureau = one('SELECT id FROM users WHERE email = ?', ROLES.bureau);
  const org = one("SELECT o.id, o.slug, o.region_id FROM organisations o JOIN memberships m ON m.organisation_id = o.id WHERE m.user_id = ? AND m.role = 'bureau'", bureau.id);
  // The posting of that CPTS with the most going on: scorecard, panel, interviews.
  const posting = one('SELECT p.id, p.slug FROM postings p JOIN scorecards s ON s.posting_id = p.id WHERE p.organisation_id = ? ORDER BY p.id LIMIT 1', org.id);
  const publicPosting = one("SELECT slug FROM postings WHERE status = 'published' ORDER BY id LIMIT 1");
  const interview = one('SELECT id, application_id FROM interviews WHERE posting_id = ? ORDER BY id LIMIT 1', posting.id);
  const document = one('SELECT id FROM application_documents WHERE application_id = ? ORDER BY id LIMIT 1', interview.application_id);
  const stage = one("SELECT id FROM pipeline_stages WHERE posting_id = ? AND kind = 'middle' ORDER BY position LIMIT 1", posting.id);
  const criterion = one('SELECT c.id FROM scorecard_criteria c JOIN scorecards s ON s.id = c.scorecard_id WHERE s.posting_id = ? ORDER BY c.id LIMIT 1', posting.id);
  const panelist = one('SELECT user_id AS id FROM panel_members WHERE posting_id = ? AND user_id <> ? ORDER BY user_id LIMIT 1', posting.id, bureau.id);
  const member = one('SELECT user_id AS id FROM memberships WHERE organisation_id = ? AND user_id <> ? ORDER BY user_id LIMIT 1', org.id, bureau.id);
  const plan = one('SELECT id FROM onboarding_plans WHERE organisation_id = ? ORDER BY id LIMIT 1', org.id);
  const planStep = one('SELECT id FROM onboarding_plan_steps WHERE plan_id = ? ORDER BY id LIMIT 1', plan.id);
  const template = one('SELECT id FROM onboarding_templates WHERE region_id = ? ORDER BY id LIMIT 1', org.region_id);
  const templateStep = one('SELECT id FROM onboarding_template_steps WHERE template_id = ? ORDER BY id LIMIT 1', template.id);
  const correspondent = one('SELECT id FROM network_correspondents ORDER BY id LIMIT 1');
  const pairing = one('SELECT id FROM network_mentor_pairings ORDER BY id LIMIT 1');
  const event = one('SELECT id FROM network_events ORDER BY id LIMIT 1');
  const mail = one('SELECT id FROM outbox ORDER BY id LIMIT 1');
  // An availability poll of that posting: one slot next week and a panel member's signed link;
  // the bureau member's calendar feed.
  const inAWeek = new Date(Date.now() + 7 * 86_400_000);
  const slot = {
    id: Number(
      db
        .prepare(
          `INSERT INTO scheduling_slots (organisation_id, posting_id, starts_at, ends_at, duration_minutes, mode, location, created_by, created_at)
           VALUES (?, ?, ?, ?, 45, 'place', 'Maison de santé', ?, ?)`,
        )
        .run(org.id, posting.id, inAWeek.toISOString(), new Date(inAWeek.getTime() + 45 * 60_000).toISOString(), bureau.id, new Date().toISOString()).lastInsertRowid,
    ),
  };
  const pollLink = newToken();
  db.prepare('INSERT INTO scheduling_panel_links (organisation_id, posting_id, user_id, token_hash, expires_at, created_at) VALUES (?, ?, ?, ?, ?, ?)').run(
    org.id,
    posting.id,
    bureau.id,
    pollLink.hash,
    new Date(Date.now() + 30 * 86_400_000).toISOString(),
    new Date().toISOString(),
  );
  // A regional pool proposal waiting for its answer: the demo candidate who shared her
  // application with the region, proposed for another CPTS's open posting of the region.
  const pooled = one('SELECT a.id, a.organisation_id, o.region_id FROM applications a JOIN organisations o ON o.id = a.organisation_id WHERE a.region_pool_consent = 1 ORDER BY a.id LIMIT 1');
  const elsewhere = one(
    "SELECT p.id, p.organisation_id FROM postings p JOIN organisations o ON o.id = p.organisation_id WHERE o.region_id = ? AND p.organisation_id <> ? AND p.status = 'published' ORDER BY p.id LIMIT 1",
    pooled.region_id,
    pooled.organisation_id,
  );
  const proposalLink = newToken();
  db.prepare(
    'INSERT INTO pool_proposals (region_id, source_application_id, posting_id, organisation_id, proposed_by, proposer_name, token_hash, expires_at, created_at) VALUES (?, ?, ?, ?, NULL, ?, ?, ?, ?)',
  ).run(pooled.region_id, pooled.id, elsewhere.id, elsewhere.organisation_id, 'Chargée de mission', proposalLink.hash, new Date(Date.now() + 30 * 86_400_000).toISOString(), new Date().toISOString());
  const feedToken = regenerateFeed(db, loadActor(db, Number(bureau.id))!);
  const meeting = one('SELECT starts_at FROM exchange_meetings WHERE organisation_id = ? ORDER BY starts_at LIMIT 1', org.id);
  const action = one('SELECT id FROM exchange_actions WHERE organisation_id = ? ORDER BY id LIMIT 1', org.id);
  // An answer link of a network meeting invitation, as the invitation mail carries it.
  const answerLink = newToken();
  const nextEvent = one('SELECT id FROM network_events WHERE starts_at > ? ORDER BY starts_at LIMIT 1', new Date().toISOString());
  db.prepare('INSERT INTO network_event_answer_tokens (token_hash, event_id, user_id, expires_at, created_at) VALUES (?, ?, ?, ?, ?)').run(
    answerLink.hash,
    nextEvent.id,
    bureau.id,
    new Date(Date.now() + 30 * 86_400_000).toISOString(),
    new Date().toISOString(),
  );
  const commitment = one('SELECT id FROM funding_commitments WHERE organisation_id = ? ORDER BY id LIMIT 1', org.id);
  const envelope = one('SELECT id FROM funding_envelopes ORDER BY region_id IS NULL, id LIMIT 1');
  const candidateMail = one("SELECT * FROM outbox WHERE text_body LIKE '%/candidature/%' ORDER BY id LIMIT 1") as unknown as OutboxMail;
  // A custom question of that posting (the demo's questions are on another CPTS's posting).
  const question = {
    id: Number(
      db
        .prepare("INSERT INTO posting_questions (organisation_id, posting_id, position, kind, label, created_at, updated_at) VALUES (?, ?, 1, 'yes_no', 'Êtes-vous titulaire du permis B ?', ?, ?)")
        .run(org.id, posting.id, new Date().toISOString(), new Date().toISOString()).lastInsertRowid,
    ),
  };

  const t = createI18n([commonMessages, authMessages]).translator('fr');
  const inviter = loadActor(db, Number(bureau.id))!;
  const invitationId = createInvitation(
    db,
    inviter,
    { email: 'invitee@exemple.test', name: 'Personne Invitée', role: 'coordinator', title: '', organisationId: Number(org.id), regionId: null, targetName: 'CPTS' },
    { baseUrl: ctx.config.baseUrl, translator: () => t },
  );
  const invitationMail = one("SELECT * FROM outbox WHERE to_address = 'invitee@exemple.test' ORDER BY id DESC LIMIT 1") as unknown as OutboxMail;
  // A reset for an account nobody logs in with here, so following it closes no test session.
  const spare = one("SELECT email FROM users WHERE email = 'tresorier.sudloire@demo.coordo.test'");
  requestPasswordReset(db, String(spare.email), { baseUrl: ctx.config.baseUrl, translator: () => t });
  const resetMail = one('SELECT * FROM outbox WHERE to_address = ? ORDER BY id DESC LIMIT 1', spare.email) as unknown as OutboxMail;
  const tokenOf = (m: OutboxMail, prefix: string) => linkIn(m, prefix).slice(prefix.length).split('/')[0]!;

  const byIdPrefix: Record<string, number | string> = {
    regions: org.region_id,
    reseau: org.region_id,
    organisations: org.id,
    courriels: mail.id,
    candidatures: interview.application_id,
    'modeles-integration': template.id,
    correspondants: correspondent.id,
    binomes: pairing.id,
    evenements: event.id,
    offres: posting.id,
    entretiens: interview.id,
    documents: document.id,
  };

  function value(pattern: string, name: string): number | string {
    const segments = pattern.split('/');
    const at = segments.findIndex((s) => s === `:${name}` || s.startsWith(`:${name}.`));
    const root = segments[1];
    const before = segments[at - 1] ?? '';
    switch (name) {
      case 'postingId':
        return posting.id;
      case 'orgId':
        return org.id;
      case 'applicationId':
        return interview.application_id;
      case 'documentId':
        return document.id;
      case 'stageId':
        return stage.id;
      case 'criterionId':
        return criterion.id;
      case 'planId':
        return plan.id;
      case 'invitationId':
        return invitationId;
      case 'key':
        return 'receipt';
      case 'date':
        return parisDay(new Date(String(meeting.starts_at)));
      case 'actionId':
        return action.id;
      case 'slotId':
        return slot.id;
      case 'cid':
        return commitment.id;
      case 'eid':
        return envelope.id;
      case 'qid':
        return question.id;
      case 'stepId':
        return root === 'integration' ? planStep.id : templateStep.id;
      case 'userId':
        return root === 'organisations' ? member.id : panelist.id;
      case 'slug':
        return root === 'cpts' ? org.slug : publicPosting.slug;
      case 'token':
        if (root === 'candidature') return tokenOf(candidateMail, '/candidature/');
        if (root === 'reinitialisation') return tokenOf(resetMail, '/reinitialisation/');
        if (root === 'invitation') return tokenOf(invitationMail, '/invitation/');
        if (root === 'disponibilites') return pollLink.token;
        if (root === 'reseau') return answerLink.token;
        if (root === 'agenda') return feedToken;
        if (root === 'vivier') return proposalLink.token;
        break;
      case 'id':
        if (before in byIdPrefix) return byIdPrefix[before]!;
        break;
    }
    throw new Error(`no row of the seeded tenant for :${name} in ${pattern}: add one to test/helpers/tenant.ts`);
  }

  return {
    login: (role) => login(ctx.app as Express, ROLES[role], DEMO_PASSWORD),
    async session(who) {
      const agent = who === 'visitor' ? anonymous(ctx.app as Express) : await login(ctx.app as Express, ROLES[who], DEMO_PASSWORD);
      return { agent, token: await csrfOf(agent, who === 'visitor' ? '/connexion' : '/compte') };
    },
    url(route) {
      const pattern = typeof route === 'string' ? route : route.path;
      return fillPath(pattern, Object.fromEntries(routeParams(pattern).map((p) => [p, value(pattern, p)])));
    },
  };
}

export type Crawled = { route: AppRoute; url: string; status: number; cacheControl: string; download: boolean; forms: HarvestedForm[] };

/** Opens every GET route of the app (parameters from the tenant) with the agent: what it answered and the forms it showed. */
export async function crawl(app: Express, tenant: Tenant, agent: Agent): Promise<Crawled[]> {
  const out: Crawled[] = [];
  for (const route of listRoutes(app).filter((r) => r.method === 'GET')) {
    const url = tenant.url(route);
    const res = await agent.get(url).buffer(true);
    const html = typeof res.text === 'string' && /html/.test(String(res.headers['content-type'] ?? '')) ? res.text : '';
    out.push({
      route,
      url,
      status: res.status,
      cacheControl: String(res.headers['cache-control'] ?? ''),
      download: /attachment/.test(String(res.headers['content-disposition'] ?? '')) || /calendar|zip|csv/.test(String(res.headers['content-type'] ?? '')),
      forms: formsIn(html),
    });
  }
  return out;
}

/** The state-changing routes, each with the fields of the forms that post to it (none when no page shows one). */
export function formsByRoute(app: Express, crawled: Crawled[]): { route: AppRoute; fields: FormField[]; fileFields: string[] }[] {
  const forms = crawled.flatMap((c) => c.forms.filter((f) => f.method === 'post'));
  return stateChangingRoutes(app).map((route) => {
    const mine = forms.filter((f) => matchesPattern(f.action, route.path));
    const fields = new Map<string, FormField>();
    for (const f of mine) for (const field of f.fields) if (!fields.has(field.name)) fields.set(field.name, field);
    const all = [...fields.values()];
    return { route, fields: all.filter((f) => f.type !== 'file' && f.name !== '_csrf'), fileFields: all.filter((f) => f.type === 'file').map((f) => f.name) };
  });
}
