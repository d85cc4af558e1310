/**
 * Demo data of the funding check: two CPTS whose coordinator is overloaded, one that can
 * afford a case manager and one that cannot. The costs are example figures (a full-time
 * coordinator around €38,000 gross a year, DOMAIN.md), labelled as such; the ACI amounts are the
 * reference rows of migration 020, and the demo region confirms this year's when the
 * reference has none (a demo started in a later year still tells the story).
 */
import { loadActor } from '../core/auth.js';
import type { DB } from '../core/db.js';
import { addDays, todayInParis } from '../features/onboarding/dates.js';
import { createPlanForHire, recordWorkloadReview, setStepStatus } from '../features/onboarding/service.js';
import { addCommitment, currentYear, saveEnvelope, saveProfile } from '../features/funding/service.js';
import type { CommitmentInput } from '../features/funding/schemas.js';

const DAY = 86_400_000;

type DemoFunding = { slug: string; bureauEmail: string; size: 1 | 2 | 3 | 4; startYear: number; rate: number; costs: CommitmentInput[] };

const CPTS: DemoFunding[] = [
  {
    // Taille 3: the envelope pays the coordinator and the running costs with room for a case manager.
    slug: 'cpts-sud-loire-vignoble',
    bureauEmail: 'bureau@demo.coordo.test',
    size: 3,
    startYear: 2022,
    rate: 45,
    costs: [
      { kind: 'post', label: 'Coordination (temps plein)', gross_salary: 38_000, fte_percent: 100, employer_rate_percent: 45 },
      { kind: 'other', label: 'Locaux, expert-comptable, assurance et outils (exemple)', amount: 12_000 },
    ],
  },
  {
    // Taille 2: a coordinator, a half-time assistant and the running costs leave too little.
    slug: 'cpts-baugeois-vallee',
    bureauEmail: 'bureau.baugeois@demo.coordo.test',
    size: 2,
    startYear: 2023,
    rate: 45,
    costs: [
      { kind: 'post', label: 'Coordination (temps plein)', gross_salary: 42_000, fte_percent: 100, employer_rate_percent: 45 },
      { kind: 'post', label: 'Assistanat administratif (mi-temps)', gross_salary: 24_000, fte_percent: 50, employer_rate_percent: 45 },
      { kind: 'other', label: 'Locaux, déplacements et frais de fonctionnement (exemple)', amount: 18_000 },
    ],
  },
];

export function seedFundingDemo(db: DB, ids: { chargeEmail: string; baugeoisCoordinatorEmail: string }, now = new Date()): void {
  const userId = (email: string) => (db.prepare('SELECT id FROM users WHERE email = ?').get(email) as { id: number }).id;
  const actorOf = (email: string) => {
    const a = loadActor(db, userId(email));
    if (!a) throw new Error(`demo account ${email} missing`);
    return a;
  };
  const orgId = (slug: string) => (db.prepare('SELECT id FROM organisations WHERE slug = ?').get(slug) as { id: number }).id;
  const year = currentYear(now);
  db.transaction(() => {
    const charge = actorOf(ids.chargeEmail);
    const regionId = charge.memberships.find((m) => m.role === 'charge_de_mission')?.regionId as number;
    // This year's amounts, when the shipped reference does not reach it: what the chargée would enter.
    for (const size of [1, 2, 3, 4] as const) {
      const known = db.prepare('SELECT 1 FROM funding_envelopes WHERE region_id IS NULL AND size_class = ? AND year = ?').get(size, year);
      if (known) continue;
      const reference = db.prepare('SELECT amount FROM funding_envelopes WHERE region_id IS NULL AND size_class = ? ORDER BY year DESC LIMIT 1').get(size) as { amount: number };
      saveEnvelope(db, charge, regionId, { size_class: size, year, amount: reference.amount, source: 'Exemple de démonstration : montants de l’avenant 2 reconduits par la chargée de mission', source_date: `${year}-01-01` }, now);
    }

    for (const c of CPTS) {
      const bureau = actorOf(c.bureauEmail);
      const id = orgId(c.slug);
      saveProfile(db, bureau, id, { aci_size: c.size, aci_start_year: c.startYear, new_post_rate_percent: c.rate }, now);
      for (const cost of c.costs) addCommitment(db, bureau, id, cost, now);
    }

    // Sud-Loire: the bureau brought the workload review forward and decided to open the post.
    const sudLoireBureau = actorOf('bureau@demo.coordo.test');
    const julienPlan = db
      .prepare("SELECT p.id AS plan_id, s.id AS step_id FROM onboarding_plans p JOIN onboarding_plan_steps s ON s.plan_id = p.id WHERE p.organisation_id = ? AND p.kind = 'coordinator' AND s.tag = 'workload_review' ORDER BY p.id LIMIT 1")
      .get(orgId('cpts-sud-loire-vignoble')) as { plan_id: number; step_id: number } | undefined;
    if (julienPlan) {
      recordWorkloadReview(
        db,
        sudLoireBureau,
        julienPlan.plan_id,
        julienPlan.step_id,
        { decision: 'open_case_manager', notes: 'Bilan avancé : le coordinateur porte seul les parcours de sortie d’hospitalisation en plus des missions socles. Le bureau ouvre un poste de coordination de parcours.' },
        new Date(now.getTime() - 2 * DAY),
      );
    }

    // Baugeois-Vallée: its coordinator's plan, a year and a half ago, and the review that found her overloaded.
    const baugeoisBureau = actorOf('bureau.baugeois@demo.coordo.test');
    const sandrine = userId(ids.baugeoisCoordinatorEmail);
    const start = addDays(todayInParis(now), -540);
    const { planId } = createPlanForHire(db, baugeoisBureau, { organisationId: orgId('cpts-baugeois-vallee'), userId: sandrine, kind: 'coordinator', startDate: start }, new Date(now.getTime() - 545 * DAY));
    const steps = db.prepare('SELECT id, tag FROM onboarding_plan_steps WHERE plan_id = ? ORDER BY position').all(planId) as { id: number; tag: string | null }[];
    const closedAt = new Date(now.getTime() - 420 * DAY);
    for (const s of steps) {
      if (s.tag === 'workload_review') {
        recordWorkloadReview(
          db,
          baugeoisBureau,
          planId,
          s.id,
          { decision: 'open_case_manager', notes: 'La coordinatrice ne peut plus suivre seule les parcours complexes. La marge de fonctionnement ne permet pas encore un second poste : piste de crédits FIR à étudier avec l’ARS.' },
          closedAt,
        );
      } else {
        setStepStatus(db, baugeoisBureau, planId, s.id, { status: 'done', reason: '' }, closedAt);
      }
    }
  })();
}
