/**
 * Demo data of the coordinator–bureau exchange: the Sud-Loire Vignoble series, every two weeks,
 * with two past meetings (agenda from both sides, minutes, decisions, one action done and one
 * carried over) and the next one to prepare.
 */
import type { DB } from '../core/db.js';
import { nowIso } from '../core/db.js';
import { isoWeekday } from '../features/exchange/recurrence.js';
import { addDays, todayInParis } from '../features/onboarding/dates.js';
import { parisToUtc } from '../features/network/time.js';

export function seedExchangeDemo(db: DB, ids: { organisationId: number; coordinatorId: number; presidentId: number; treasurerId: number; planId: number }, now = new Date()): void {
  const today = todayInParis(now);
  const first = addDays(today, -27);
  const second = addDays(first, 14);
  const at = nowIso(now);
  const start = (date: string) => nowIso(parisToUtc(date, '18:30') as Date);
  db.transaction(() => {
    const step = db.prepare("SELECT id FROM onboarding_plan_steps WHERE plan_id = ? AND tag = 'bureau_exchange'").get(ids.planId) as { id: number } | undefined;
    const seriesId = Number(
      db
        .prepare(
          `INSERT INTO exchange_series (organisation_id, frequency, weekday, start_time, duration_minutes, first_date, place, video_url, uid, plan_step_id, created_by, created_at, updated_at)
           VALUES (?, 'biweekly', ?, '18:30', 60, ?, 'Maison de santé pluriprofessionnelle, 12 rue du Vignoble, Vallet', 'https://visio.demo.coordo.test/sud-loire-bureau', ?, ?, ?, ?, ?)`,
        )
        .run(ids.organisationId, isoWeekday(first), first, `demo-exchange-${ids.organisationId}@coordo`, step?.id ?? null, ids.presidentId, at, at).lastInsertRowid,
    );
    const addParticipant = db.prepare('INSERT INTO exchange_participants (series_id, user_id) VALUES (?, ?)');
    for (const id of new Set([ids.coordinatorId, ids.presidentId, ids.treasurerId])) addParticipant.run(seriesId, id);

    const meeting = db.prepare(
      'INSERT INTO exchange_meetings (series_id, organisation_id, starts_at, minutes, decisions, updated_by, updated_at, reminded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
    );
    const m1 = Number(
      meeting.run(
        seriesId, ids.organisationId, start(first),
        'Premier point régulier depuis l’arrivée de Julien. Tour des chantiers en cours : adhésions 2026, préparation du dialogue de gestion avec la CPAM, projet de soins non programmés.\nLa présidente rappelle les orientations votées en AG : priorité à l’accès aux soins et à la prévention.',
        'Le coordinateur prépare un état des adhésions pour le prochain point.\nLe bureau valide le principe d’un groupe de travail « soins non programmés ».',
        ids.coordinatorId, start(first), start(first),
      ).lastInsertRowid,
    );
    const m2 = Number(
      meeting.run(
        seriesId, ids.organisationId, start(second),
        'État des adhésions présenté : 84 professionnels à jour de cotisation. Point sur la charge de travail du coordinateur après un mois.',
        'Relance des adhérents non à jour par courriel avant la fin du mois.',
        ids.presidentId, start(second), start(second),
      ).lastInsertRowid,
    );
    const agenda = db.prepare('INSERT INTO exchange_agenda_items (meeting_id, organisation_id, author_id, body, created_at) VALUES (?, ?, ?, ?, ?)');
    agenda.run(m1, ids.organisationId, ids.presidentId, 'Orientations de l’année votées en AG', start(addDays(first, -2)));
    agenda.run(m1, ids.organisationId, ids.coordinatorId, 'Calendrier des instances et des groupes de travail', start(addDays(first, -1)));
    agenda.run(m2, ids.organisationId, ids.coordinatorId, 'État des adhésions 2026', start(addDays(second, -3)));
    agenda.run(m2, ids.organisationId, ids.treasurerId, 'Budget prévisionnel : crédits ACI de fonctionnement', start(addDays(second, -2)));
    const action = db.prepare(
      'INSERT INTO exchange_actions (series_id, organisation_id, meeting_id, title, owner_user_id, due_date, done_at, done_by, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
    );
    action.run(seriesId, ids.organisationId, m1, 'Préparer un état des adhésions', ids.coordinatorId, addDays(first, 10), start(addDays(first, 9)), ids.coordinatorId, ids.presidentId, start(first));
    action.run(seriesId, ids.organisationId, m1, 'Réunir le groupe de travail « soins non programmés »', ids.coordinatorId, addDays(second, 10), null, null, ids.presidentId, start(first));
    action.run(seriesId, ids.organisationId, m2, 'Chiffrer un poste de coordinateur·rice de parcours pour le bilan de charge', ids.treasurerId, addDays(second, 20), null, null, ids.presidentId, start(second));
    const next = addDays(second, 14);
    const m3 = Number(db.prepare('INSERT INTO exchange_meetings (series_id, organisation_id, starts_at) VALUES (?, ?, ?)').run(seriesId, ids.organisationId, start(next)).lastInsertRowid);
    agenda.run(m3, ids.organisationId, ids.presidentId, 'Retour de la rencontre avec l’ARS', at);
  })();
}
