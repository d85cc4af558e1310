/**
 * Demo evaluation for the Sud-Loire Vignoble coordinator posting: a panel of three (the
 * president, who chairs, the regional chargée de mission and the treasurer), submitted
 * evaluations on the candidates at Entretien / Jury / Proposition, one interview scheduled,
 * and the rationale of the offer already made. The chargée de mission has not yet rated the
 * two candidates at Entretien, so she can try the kit and its independence rule.
 */
import { loadActor } from '../core/auth.js';
import type { DB } from '../core/db.js';
import { nowIso } from '../core/db.js';
import { createI18n } from '../core/i18n.js';
import { commonMessages } from '../core/messages.js';
import type { Actor } from '../core/policy.js';
import { messages as evaluationMessages } from '../features/evaluation/messages.js';
import * as eq from '../features/evaluation/queries.js';
import { addPanelMember, criteriaOfPosting, postingAccess, postingResults, saveEvaluation, setPanelChair } from '../features/evaluation/service.js';
import { messages as interviewMessages } from '../features/interviews/messages.js';
import { scheduleInterview } from '../features/interviews/service.js';
import { parisToUtc, utcToParis } from '../features/interviews/time.js';
import { messages as schedulingMessages } from '../features/scheduling/messages.js';
import * as sq from '../features/scheduling/queries.js';
import { SlotBatchSchema } from '../features/scheduling/schemas.js';
import { addSlots, inviteCandidates, saveAnswers } from '../features/scheduling/service.js';

type Rec = 'strong_no' | 'no' | 'yes' | 'strong_yes';

/** Levels per candidate (cycled over the criteria) and each panelist's overall view. */
const PLANS: Record<string, { levels: Record<string, number[]>; recs: Record<string, Rec>; summary: string }> = {
  'Rousseau': {
    levels: { president: [3, 4, 3, 3, 4, 3], treasurer: [3, 3, 4, 3, 3, 2] },
    recs: { president: 'strong_yes', treasurer: 'yes' },
    summary: 'Expérience réelle de coordination de CPTS, très à l’aise avec l’ACI ; à confirmer sur la gestion budgétaire.',
  },
  'Diallo': {
    levels: { president: [3, 2, 3, 2, 3, 3], treasurer: [2, 3, 3, 4, 3, 2] },
    recs: { president: 'yes', treasurer: 'yes' },
    summary: 'Solide sur l’administratif et le budget (formation PACTE) ; moins d’expérience de l’animation de réseau.',
  },
  'Marchal': {
    levels: { president: [2, 3, 2, 3, 2, 3], treasurer: [4, 2, 3, 2, 2, 3], mission: [2, 2, 3, 3, 1, 2] },
    recs: { president: 'no', treasurer: 'yes', mission: 'no' },
    summary: 'Très bon profil outils numériques ; connaissance du terrain libéral encore limitée.',
  },
  'Girard': {
    levels: { president: [4, 3, 4, 3, 4, 4], treasurer: [3, 4, 4, 3, 3, 4], mission: [4, 4, 3, 4, 3, 4] },
    recs: { president: 'strong_yes', treasurer: 'strong_yes', mission: 'yes' },
    summary: 'Connaît les réseaux de santé du territoire, convaincante sur le rôle de la CPTS, disponible rapidement.',
  },
};

export function seedEvaluationDemo(db: DB, opts: { now?: Date } = {}): void {
  const now = opts.now ?? new Date();
  const actorOf = (email: string) => {
    const row = db.prepare('SELECT id FROM users WHERE email = ?').get(email) as { id: number } | undefined;
    return row ? loadActor(db, row.id) : undefined;
  };
  const president = actorOf('bureau@demo.coordo.test');
  const mission = actorOf('mission@demo.coordo.test');
  const treasurer = actorOf('tresorier.sudloire@demo.coordo.test');
  const posting = db
    .prepare(
      `SELECT p.id FROM postings p JOIN organisations o ON o.id = p.organisation_id
       WHERE o.slug = 'cpts-sud-loire-vignoble' AND p.kind = 'coordinator' ORDER BY p.id LIMIT 1`,
    )
    .get() as { id: number } | undefined;
  if (!president || !mission || !treasurer || !posting) return;
  const panelists: Record<string, Actor> = { president, treasurer, mission };

  db.transaction(() => {
    for (const member of [president, mission, treasurer]) addPanelMember(db, president, posting.id, member.id, {}, undefined, now);
    setPanelChair(db, president, posting.id, president.id);
    const access = postingAccess(db, president, posting.id);
    const { criteria } = criteriaOfPosting(db, access.posting);
    const apps = eq.evaluatedApplications(db, posting.id, access.startPosition);
    const byName = (last: string) => apps.find((a) => a.last_name === last);

    for (const [last, plan] of Object.entries(PLANS)) {
      const app = byName(last);
      if (!app) continue;
      for (const [who, levels] of Object.entries(plan.levels)) {
        saveEvaluation(
          db,
          panelists[who],
          app.application_id,
          {
            intent: 'submit',
            version: 1,
            recommendation: plan.recs[who],
            summary: plan.summary,
            ratings: criteria.map((c, i) => ({ criterionId: c.id, level: i === 7 && who === 'treasurer' ? null : levels[i % levels.length], comment: '' })),
          },
          undefined,
          now,
        );
      }
    }

    // One interview to come, for the second candidate at Entretien (Thursday next week, 10:00 in Paris).
    const diallo = byName('Diallo');
    if (diallo) {
      const day = new Date(now.getTime() + 7 * 86_400_000);
      const date = utcToParis(day).date;
      const start = parisToUtc(date, '10:00') as Date;
      const t = createI18n([commonMessages, evaluationMessages, interviewMessages]).translator('fr');
      scheduleInterview(
        db,
        president,
        diallo.application_id,
        { date, start_time: '10:00', end_time: '11:00', mode: 'place', location: 'Maison de santé pluriprofessionnelle, 12 rue de la Sèvre, 44120 Vertou', video_url: '', attendees: [president.id, mission.id], start, end: new Date(start.getTime() + 3_600_000) },
        { translator: () => t, baseUrl: 'http://localhost:3000' },
        {},
        now,
      );
    }

    // The panel's availability poll for the next interviews: an afternoon in nine days, the three
    // members available, and one candidate at Entretien invited to choose their slot (their mail
    // waits in the outbox with its private link).
    const mailT = createI18n([commonMessages, evaluationMessages, interviewMessages, schedulingMessages]).translator('fr');
    const pollDay = utcToParis(new Date(now.getTime() + 9 * 86_400_000)).date;
    const added = addSlots(
      db,
      president,
      posting.id,
      SlotBatchSchema.parse({ dates: [pollDay], from: '14:00', to: '16:45', duration: '45', gap: '15', mode: 'place', location: 'Maison de santé pluriprofessionnelle, 12 rue de la Sèvre, 44120 Vertou' }),
      {},
      now,
    );
    const slots = sq.openSlotsOf(db, posting.id);
    if (added && slots.length) {
      for (const member of [president, mission, treasurer]) saveAnswers(db, member, posting.id, new Map(slots.map((sl, i) => [sl.id, member === treasurer && i === 0 ? 'no' : 'yes'])), {}, undefined, now);
      const invited = apps.find((a) => a.stage_key === 'interview' && a.last_name !== 'Diallo');
      if (invited) inviteCandidates(db, president, posting.id, [invited.application_id], { translator: () => mailT, baseUrl: 'http://localhost:3000' }, {}, now);
    }

    // The offer already made: its written rationale, with the panel's scores.
    const girard = byName('Girard');
    if (girard && girard.stage_key === 'offer') {
      const results = postingResults(db, { ...access, member: undefined, orgView: true }, president.id);
      const row = results.ranked.find((r) => r.application_id === girard.application_id);
      eq.insertDecision(
        db,
        {
          organisationId: access.posting.organisation_id,
          postingId: posting.id,
          applicationId: girard.application_id,
          outcome: 'offer',
          from: 'Jury',
          to: girard.stage_name,
          rationale:
            'Meilleur score pondéré du jury, aucun critère indispensable manqué. Connaissance fine des acteurs du territoire (CLS, hôpital local) et conviction sur le projet de santé ; disponibilité rapide, ce qui permet de lancer les missions socles dans les délais de l’ACI.',
          snapshot: {
            rank: row?.rank ?? null,
            of: results.ranked.length,
            weightedScore: row?.aggregate?.weightedScore ?? null,
            evaluations: row?.aggregate?.evaluations ?? 0,
            recommendations: row?.aggregate?.recommendations ?? null,
            disagreement: row?.aggregate?.disagreement ?? false,
            mustHaveFailures: [],
            criteria: criteria.map((c) => {
              const a = row?.aggregate?.criteria.find((x) => x.criterionId === c.id);
              return { label: c.label, weight: c.weight, mean: a?.mean ?? null, spread: a?.spread ?? null };
            }),
            panel: results.members.map((m) => m.name),
          },
          userId: president.id,
          name: president.name,
        },
        nowIso(new Date(now.getTime() - 2 * 86_400_000)),
      );
    }
  })();
}
