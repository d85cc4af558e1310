/**
 * Demo pipeline for the CPTS Sud-Loire Vignoble: a second (coordinator) posting, and about
 * twenty more applications spread over the stages of both its postings, with moves, notes
 * and a few mails, so the president can screen, move, note and reject from the first visit.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { loadActor } from '../core/auth.js';
import type { DB } from '../core/db.js';
import { nowIso } from '../core/db.js';
import { createI18n } from '../core/i18n.js';
import { commonMessages } from '../core/messages.js';
import { storeDurably, tempRoot } from '../features/applications/files.js';
import { createPostingFromTemplate, todayInParis, transitionPosting } from '../features/jobs/service.js';
import { messages as pipelineMessages } from '../features/pipeline/messages.js';
import { addNote, moveApplication, rejectApplication, setAnonymisation } from '../features/pipeline/service.js';
import { minimalPdf } from './pdf.js';

type Plan = { first: string; last: string; stage: 'new' | 'screening' | 'interview' | 'jury' | 'offer' | 'rejected' | 'withdrawn'; message: string; note?: string; mail?: boolean; daysAgo: number };

const COORDINATOR: Plan[] = [
  { first: 'Sophie', last: 'Garnier', stage: 'new', daysAgo: 1, message: 'Cadre de santé depuis huit ans, je souhaite me consacrer à la coordination territoriale.' },
  { first: 'Karim', last: 'Benali', stage: 'new', daysAgo: 2, message: 'Chargé de projet dans une mutuelle, j’ai animé des réseaux de professionnels libéraux.' },
  { first: 'Aurélie', last: 'Morin', stage: 'new', daysAgo: 3, message: 'Pharmacienne d’officine, membre active d’une CPTS voisine.' },
  { first: 'Thomas', last: 'Lefèvre', stage: 'new', daysAgo: 4, message: 'Diplômé d’un master de santé publique, premier poste recherché.' },
  { first: 'Nadia', last: 'Cherif', stage: 'new', daysAgo: 5, message: 'Coordinatrice d’une maison de santé pluriprofessionnelle depuis trois ans.' },
  { first: 'Julie', last: 'Perrin', stage: 'screening', daysAgo: 9, message: 'Infirmière libérale, formée à la gestion de projet, je connais bien le vignoble nantais.', note: 'Très bonne connaissance du territoire et des libéraux.' },
  { first: 'Olivier', last: 'Faure', stage: 'screening', daysAgo: 10, message: 'Ancien directeur d’EHPAD, je cherche un poste au plus près des soins de ville.' },
  { first: 'Léa', last: 'Bonnet', stage: 'screening', daysAgo: 11, message: 'Chargée de mission dans une collectivité (contrat local de santé).', note: 'Connaît le CLS de Clisson : atout pour les partenariats.' },
  { first: 'Samuel', last: 'Nguyen', stage: 'screening', daysAgo: 12, message: 'Kinésithérapeute, coordinateur bénévole d’un groupe de travail sur les chutes.' },
  { first: 'Émilie', last: 'Rousseau', stage: 'interview', daysAgo: 15, message: 'Coordinatrice de CPTS en Vendée, je souhaite me rapprocher de Nantes.', note: 'Entretien à fixer avec Marc et Anne-Sophie.' },
  { first: 'Fatou', last: 'Diallo', stage: 'interview', daysAgo: 16, message: 'Formée au programme PACTE, expérience de gestion administrative et budgétaire.' },
  { first: 'Antoine', last: 'Marchal', stage: 'jury', daysAgo: 18, message: 'Chef de projet e-santé, habitué des outils de coordination régionaux.' },
  { first: 'Manon', last: 'Girard', stage: 'offer', daysAgo: 20, message: 'Ancienne coordinatrice de réseau de santé, disponible rapidement.', note: 'Proposition validée par le bureau le mardi.' },
  { first: 'Lucas', last: 'Robin', stage: 'rejected', daysAgo: 13, message: 'Commercial dans l’industrie pharmaceutique.', mail: true },
  { first: 'Chloé', last: 'Henry', stage: 'rejected', daysAgo: 14, message: 'Étudiante en première année de master.', mail: true },
  { first: 'Pierre', last: 'Caron', stage: 'rejected', daysAgo: 17, message: 'Assistant de direction, intéressé par le secteur de la santé.' },
  { first: 'Inès', last: 'Meunier', stage: 'withdrawn', daysAgo: 19, message: 'Coordinatrice de parcours, j’ai accepté un autre poste depuis.' },
];

const CASE_MANAGER: Plan[] = [
  { first: 'Hélène', last: 'Dupuis', stage: 'new', daysAgo: 1, message: 'Infirmière coordinatrice en HAD, DIU de coordination de parcours complexes.' },
  { first: 'Romain', last: 'Lemoine', stage: 'new', daysAgo: 3, message: 'Assistant social en service hospitalier gériatrique.' },
  { first: 'Sarah', last: 'Colin', stage: 'screening', daysAgo: 6, message: 'Ergothérapeute, habituée des situations complexes à domicile.' },
  { first: 'Yann', last: 'Guillou', stage: 'screening', daysAgo: 7, message: 'Conseiller en économie sociale et familiale.' },
  { first: 'Mélanie', last: 'Barbier', stage: 'interview', daysAgo: 8, message: 'Gestionnaire de cas en DAC depuis deux ans.' },
  { first: 'David', last: 'Renaud', stage: 'rejected', daysAgo: 9, message: 'Aide-soignant, souhaite évoluer.', mail: true },
];

const PATH: Record<Plan['stage'], string[]> = {
  new: [],
  screening: ['screening'],
  interview: ['screening', 'interview'],
  jury: ['screening', 'interview', 'jury'],
  offer: ['screening', 'interview', 'jury', 'offer'],
  rejected: ['screening'],
  withdrawn: ['screening', 'withdrawn'],
};

const ascii = (s: string) => s.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase().replace(/[^a-z]+/g, '');

export function seedPipelineDemo(db: DB, opts: { uploadDir?: string; now?: Date }): void {
  const now = opts.now ?? new Date();
  const userId = (email: string) => (db.prepare('SELECT id FROM users WHERE email = ?').get(email) as { id: number } | undefined)?.id;
  const presidentId = userId('bureau@demo.coordo.test');
  const treasurerId = userId('tresorier.sudloire@demo.coordo.test');
  if (!presidentId || !treasurerId) return;
  const president = loadActor(db, presidentId);
  const treasurer = loadActor(db, treasurerId);
  const org = db.prepare("SELECT id FROM organisations WHERE slug = 'cpts-sud-loire-vignoble'").get() as { id: number } | undefined;
  if (!president || !treasurer || !org) return;

  // The coordinator posting: the main one of this demo.
  const today = todayInParis(now);
  const coordinator = createPostingFromTemplate(db, president, org.id, 'coordinator', new Date(now.getTime() - 25 * 86_400_000));
  const inDays = (n: number) => new Date(new Date(`${today}T12:00:00Z`).getTime() + n * 86_400_000).toISOString().slice(0, 10);
  db.prepare('UPDATE postings SET deadline = ?, start_date = ?, location = ? WHERE id = ?').run(inDays(14), inDays(60), 'Vertou (44)', coordinator.id);
  transitionPosting(db, president, coordinator.id, 'publish', () => ({}), now);
  const caseManager = db.prepare("SELECT id FROM postings WHERE organisation_id = ? AND kind = 'case_manager' ORDER BY id LIMIT 1").get(org.id) as { id: number } | undefined;

  const t = createI18n([commonMessages, pipelineMessages]).translator('fr');
  // The demo is written in French.
  const mailCtx = { translator: () => t, baseUrl: 'http://localhost:3000' };
  const stageId = (postingId: number, key: string) =>
    (db.prepare('SELECT id FROM pipeline_stages WHERE posting_id = ? AND stage_key = ?').get(postingId, key) as { id: number }).id;
  const tmp = opts.uploadDir ? tempRoot(opts.uploadDir) : undefined;
  if (tmp) fs.mkdirSync(tmp, { recursive: true });

  const seed = (postingId: number, plans: Plan[]) => {
    for (const p of plans) {
      const at = nowIso(new Date(now.getTime() - p.daysAgo * 86_400_000));
      const email = `${ascii(p.first)}.${ascii(p.last)}@exemple.test`;
      const candidateId = Number(
        db
          .prepare('INSERT INTO candidates (organisation_id, email, first_name, last_name, phone, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)')
          .run(org.id, email, p.first, p.last, '', at, at).lastInsertRowid,
      );
      const applicationId = Number(
        db
          .prepare(
            `INSERT INTO applications (posting_id, organisation_id, candidate_id, message, source, notified_at, last_contact_at, created_at, updated_at)
             VALUES (?, ?, ?, ?, 'board', ?, ?, ?, ?)`,
          )
          .run(postingId, org.id, candidateId, p.message, at, at, at, at).lastInsertRowid,
      );
      db.prepare("INSERT INTO application_events (application_id, organisation_id, action, at) VALUES (?, ?, 'submitted', ?)").run(applicationId, org.id, at);
      if (tmp && opts.uploadDir) {
        const file = path.join(tmp, `demo-${crypto.randomBytes(8).toString('hex')}`);
        fs.writeFileSync(file, minimalPdf([`${p.first} ${p.last}`, email, 'Curriculum vitae (document de demonstration)']));
        const stored = storeDurably(file, opts.uploadDir);
        db.prepare(
          `INSERT INTO application_documents (application_id, organisation_id, kind, stored_name, original_name, file_type, size_bytes, sha256, created_at)
           VALUES (?, ?, 'cv', ?, ?, 'pdf', ?, ?, ?)`,
        ).run(applicationId, org.id, stored.storedName, `CV ${p.first} ${p.last}.pdf`, stored.size, stored.sha256, at);
      }
      let current = stageId(postingId, 'new');
      PATH[p.stage].forEach((key, i) => {
        const moveAt = new Date(new Date(at).getTime() + (i + 1) * 86_400_000 * 0.8);
        // The move to Proposition stands for a bureau decision; its rationale is added by the evaluation demo.
        moveApplication(db, i % 2 ? treasurer : president, { applicationId, stageId: stageId(postingId, key), expectedStageId: current, comment: '', sendMail: key === 'interview', viaDecision: key === 'offer' }, mailCtx, {}, moveAt);
        current = stageId(postingId, key);
      });
      if (p.stage === 'rejected') {
        rejectApplication(db, president, { applicationId, expectedStageId: current, reason: p.mail ? 'profile' : 'experience', reasonText: '', mail: p.mail ? 'auto' : 'none' }, mailCtx, new Date(new Date(at).getTime() + 2 * 86_400_000));
      }
      if (p.note) addNote(db, president, applicationId, { body: p.note, mentions: [] }, mailCtx, {}, new Date(new Date(at).getTime() + 3_600_000));
    }
  };
  db.transaction(() => {
    seed(coordinator.id, COORDINATOR);
    if (caseManager) {
      seed(caseManager.id, CASE_MANAGER);
      // The case-manager posting demonstrates the anonymised first screening.
      setAnonymisation(db, president, caseManager.id, true, undefined, now);
    }
  })();
}
