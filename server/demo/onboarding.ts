/**
 * Demo data of the onboarding and network features: the region's templates, the institutional
 * correspondents of three departments, the next network meetings, a peer mentor, and the plan
 * of the demo coordinator started three weeks ago with its first steps done, the invitations to
 * the next meeting, and the coordinator–bureau series with two past meetings.
 */
import { loadActor } from '../core/auth.js';
import type { DB } from '../core/db.js';
import { nowIso } from '../core/db.js';
import { addDays, todayInParis } from '../features/onboarding/dates.js';
import { createPlanForHire, ensureRegionTemplates, setStepStatus } from '../features/onboarding/service.js';
import { parisToUtc } from '../features/network/time.js';
import { seedExchangeDemo } from './exchange.js';

type Correspondent = { department: string; institution: 'ars' | 'cpam' | 'dac'; name: string; role: string; email: string; phone: string };

const CORRESPONDENTS: Correspondent[] = [
  { department: 'Loire-Atlantique (44)', institution: 'ars', name: 'Claire Bouvier', role: 'Chargée de mission soins de proximité, délégation départementale', email: 'claire.bouvier@ars44.demo.coordo.test', phone: '02 40 11 22 33' },
  { department: 'Loire-Atlantique (44)', institution: 'cpam', name: 'Yann Le Bihan', role: 'Conseiller CPTS, service exercice coordonné', email: 'yann.lebihan@cpam44.demo.coordo.test', phone: '02 40 44 55 66' },
  { department: 'Loire-Atlantique (44)', institution: 'dac', name: 'Sophie Garnier', role: 'Responsable du DAC 44 Sud', email: 'sophie.garnier@dac44.demo.coordo.test', phone: '02 40 77 88 99' },
  { department: 'Maine-et-Loire (49)', institution: 'ars', name: 'Nathalie Poirier', role: 'Référente CPTS, délégation départementale', email: 'nathalie.poirier@ars49.demo.coordo.test', phone: '02 41 12 34 56' },
  { department: 'Maine-et-Loire (49)', institution: 'cpam', name: 'Olivier Mabit', role: 'Consultant territorial CPTS', email: 'olivier.mabit@cpam49.demo.coordo.test', phone: '02 41 65 43 21' },
  { department: 'Maine-et-Loire (49)', institution: 'dac', name: 'Laure Fontaine', role: 'Coordinatrice du DAC 49', email: 'laure.fontaine@dac49.demo.coordo.test', phone: '02 41 98 76 54' },
  { department: 'Mayenne (53)', institution: 'ars', name: 'Pierre Durand', role: 'Chargé de mission offre de soins de premier recours', email: 'pierre.durand@ars53.demo.coordo.test', phone: '02 43 10 20 30' },
  { department: 'Mayenne (53)', institution: 'cpam', name: 'Émilie Rousseau', role: 'Conseillère CPTS', email: 'emilie.rousseau@cpam53.demo.coordo.test', phone: '02 43 40 50 60' },
  { department: 'Mayenne (53)', institution: 'dac', name: 'Hugo Marchand', role: 'Responsable du DAC 53', email: 'hugo.marchand@dac53.demo.coordo.test', phone: '02 43 70 80 90' },
];

export function seedOnboardingDemo(db: DB, ids: { regionId: number; chargeEmail: string; bureauEmail: string; coordinatorEmail: string; mentorEmail: string }, now = new Date()): void {
  const userId = (email: string) => (db.prepare('SELECT id FROM users WHERE email = ?').get(email) as { id: number }).id;
  const orgOf = (uid: number) => (db.prepare("SELECT organisation_id FROM memberships WHERE user_id = ? AND role = 'coordinator'").get(uid) as { organisation_id: number }).organisation_id;
  const at = nowIso(now);
  const today = todayInParis(now);
  db.transaction(() => {
    ensureRegionTemplates(db, ids.regionId, now);
    const insertCorrespondent = db.prepare(
      `INSERT INTO network_correspondents (region_id, department, institution, name, role, email, phone, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    for (const c of CORRESPONDENTS) insertCorrespondent.run(ids.regionId, c.department, c.institution, c.name, c.role, c.email, c.phone, at, at);

    const chargeId = userId(ids.chargeEmail);
    const insertEvent = db.prepare(
      `INSERT INTO network_events (region_id, kind, title, starts_at, duration_minutes, place, agenda, uid, created_by, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    const meeting = parisToUtc(addDays(today, 24), '14:00') as Date;
    insertEvent.run(
      ids.regionId, 'meeting', 'Réunion du réseau régional des coordinateurs de CPTS', nowIso(meeting), 180,
      'Maison régionale de la santé, 2 rue de la Loire, Nantes',
      'Tour de table des CPTS et accueil des nouveaux coordinateurs.\n\nRetour sur les indicateurs ACI de l’année et préparation du dialogue de gestion avec la CPAM.\n\nAtelier : organiser les soins non programmés l’été.',
      `demo-meeting-${meeting.getTime()}@coordo`, chargeId, at, at,
    );
    const training = parisToUtc(addDays(today, 52), '09:30') as Date;
    insertEvent.run(
      ids.regionId, 'training', 'Formation : piloter le budget et les indicateurs de l’ACI', nowIso(training), 360,
      'Angers, salle du Conseil départemental de l’Ordre des infirmiers',
      'Lecture du contrat ACI, construction du budget annuel, tableau de bord des indicateurs.',
      `demo-training-${training.getTime()}@coordo`, chargeId, at, at,
    );

    const coordinatorId = userId(ids.coordinatorEmail);
    const coordinatorOrg = orgOf(coordinatorId);
    const mentorId = userId(ids.mentorEmail);
    db.prepare(
      `INSERT INTO network_mentor_pairings (region_id, mentee_user_id, mentee_organisation_id, mentor_user_id, mentor_organisation_id, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
    ).run(ids.regionId, coordinatorId, coordinatorOrg, mentorId, orgOf(mentorId), chargeId, at);

    const bureau = loadActor(db, userId(ids.bureauEmail));
    if (!bureau) throw new Error('demo bureau member missing');
    const { planId } = createPlanForHire(db, bureau, { organisationId: coordinatorOrg, userId: coordinatorId, kind: 'coordinator', startDate: addDays(today, -21) }, now);
    // What a real plan looks like three weeks in: the preparation and the first week are done.
    const done = db
      .prepare("SELECT id FROM onboarding_plan_steps WHERE plan_id = ? AND phase IN ('before', 'week1') AND owner_role <> 'charge_de_mission' ORDER BY position")
      .all(planId) as { id: number }[];
    for (const s of done) setStepStatus(db, bureau, planId, s.id, { status: 'done', reason: '' }, now);

    // The coordinators of the region were invited to the next meeting; two have answered.
    const eventId = (db.prepare('SELECT id FROM network_events WHERE region_id = ? ORDER BY starts_at LIMIT 1').get(ids.regionId) as { id: number }).id;
    const coordinators = db
      .prepare("SELECT m.user_id FROM memberships m JOIN organisations o ON o.id = m.organisation_id WHERE o.region_id = ? AND m.role = 'coordinator' ORDER BY m.user_id")
      .all(ids.regionId) as { user_id: number }[];
    for (const c of coordinators) db.prepare('INSERT INTO network_event_invitations (event_id, user_id, invited_at) VALUES (?, ?, ?)').run(eventId, c.user_id, at);
    db.prepare("INSERT INTO network_event_rsvps (event_id, user_id, response, updated_at) VALUES (?, ?, 'yes', ?)").run(eventId, mentorId, at);

    const treasurer = db.prepare("SELECT user_id FROM memberships WHERE organisation_id = ? AND role = 'bureau' AND user_id <> ? ORDER BY id").get(coordinatorOrg, bureau.id) as { user_id: number } | undefined;
    seedExchangeDemo(db, { organisationId: coordinatorOrg, coordinatorId, presidentId: bureau.id, treasurerId: treasurer?.user_id ?? bureau.id, planId }, now);
  })();
}
