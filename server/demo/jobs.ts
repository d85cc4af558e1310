/**
 * Demo postings and applications: a published coordinator posting (Pays de Mayenne), a
 * published case-manager posting (Sud-Loire Vignoble), a draft (Baugeois-Vallée), and a few
 * applications with small real PDF CVs when an upload folder is given.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { loadActor } from '../core/auth.js';
import type { DB } from '../core/db.js';
import { createI18n } from '../core/i18n.js';
import { commonMessages } from '../core/messages.js';
import { tempRoot } from '../features/applications/files.js';
import { messages as applicationMessages } from '../features/applications/messages.js';
// The pipeline names applications under anonymised screening ("Candidat·e n°5").
import { messages as pipelineMessages } from '../features/pipeline/messages.js';
import { submitApplication } from '../features/applications/service.js';
import { createPostingFromTemplate, todayInParis, transitionPosting } from '../features/jobs/service.js';
import { addQuestion, questionsOf } from '../features/questions/service.js';
import { minimalPdf } from './pdf.js';

function addDays(day: string, n: number): string {
  const d = new Date(`${day}T12:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

const CANDIDATES = [
  { posting: 'mayenne', first_name: 'Claire', last_name: 'Bouvier', email: 'claire.bouvier@exemple.test', source: 'network', message: 'Infirmière de formation, j’ai coordonné pendant quatre ans une maison de santé du nord Mayenne.', answers: ['yes', 'Dans un à deux mois'] },
  { posting: 'mayenne', first_name: 'Yanis', last_name: 'Haddad', email: 'yanis.haddad@exemple.test', source: 'board', message: 'Chef de projet en santé publique, je souhaite rejoindre une CPTS en déploiement.', answers: ['yes', 'Dès que possible'] },
  // Flagged for the bureau (no licence), never rejected by the tool.
  { posting: 'mayenne', first_name: 'Élodie', last_name: 'Marchand', email: 'elodie.marchand@exemple.test', source: 'job_site', message: '', answers: ['no', 'Dès que possible'] },
  { posting: 'sud-loire', first_name: 'Claire', last_name: 'Bouvier', email: 'claire.bouvier@exemple.test', source: 'network', message: 'Je postule aussi à ce poste de coordination de parcours.' },
  { posting: 'sud-loire', first_name: 'Mathieu', last_name: 'Le Roux', email: 'mathieu.leroux@exemple.test', source: 'word_of_mouth', message: 'Assistant social, DIU de coordination de parcours en cours.' },
] as const;

export function seedJobsDemo(db: DB, opts: { uploadDir?: string; baseUrl?: string; now?: Date }): void {
  const now = opts.now ?? new Date();
  const today = todayInParis(now);
  const userId = (email: string) => (db.prepare('SELECT id FROM users WHERE email = ?').get(email) as { id: number }).id;
  const orgId = (slug: string) => (db.prepare('SELECT id FROM organisations WHERE slug = ?').get(slug) as { id: number }).id;
  const mayenneBureau = loadActor(db, userId('bureau.mayenne@demo.coordo.test'));
  const sudLoireBureau = loadActor(db, userId('bureau@demo.coordo.test'));
  const baugeoisBureau = loadActor(db, userId('bureau.baugeois@demo.coordo.test'));
  if (!mayenneBureau || !sudLoireBureau || !baugeoisBureau) return;

  const publish = (actor: NonNullable<typeof mayenneBureau>, id: number, deadlineInDays: number, startInDays: number, location: string) => {
    db.prepare('UPDATE postings SET deadline = ?, start_date = ?, location = ? WHERE id = ?').run(addDays(today, deadlineInDays), addDays(today, startInDays), location, id);
    transitionPosting(db, actor, id, 'publish', () => ({}), now);
  };
  const mayenne = createPostingFromTemplate(db, mayenneBureau, orgId('cpts-du-pays-de-mayenne'), 'coordinator', now);
  // The post covers the whole department: the licence is a knock-out stated before applying.
  addQuestion(db, mayenneBureau, mayenne.id, {
    kind: 'yes_no',
    label: 'Êtes-vous titulaire du permis B ?',
    hint: 'Le poste demande des déplacements réguliers sur tout le territoire de la CPTS, où les transports en commun manquent.',
    required: true,
    options: [],
    expected: 'yes',
  }, {}, now);
  addQuestion(db, mayenneBureau, mayenne.id, {
    kind: 'choice',
    label: 'Quand pourriez-vous prendre le poste ?',
    hint: '',
    required: true,
    options: ['Dès que possible', 'Dans un à deux mois', 'Dans plus de deux mois'],
    expected: null,
  }, {}, now);
  publish(mayenneBureau, mayenne.id, 30, 75, 'Mayenne (53)');
  const sudLoire = createPostingFromTemplate(db, sudLoireBureau, orgId('cpts-sud-loire-vignoble'), 'case_manager', now);
  publish(sudLoireBureau, sudLoire.id, 21, 60, 'Vertou (44)');
  createPostingFromTemplate(db, baugeoisBureau, orgId('cpts-baugeois-vallee'), 'coordinator', now);

  if (!opts.uploadDir) return;
  const t = createI18n([commonMessages, applicationMessages, pipelineMessages]).translator('fr');
  const postings = {
    mayenne: { id: mayenne.id, organisation_id: orgId('cpts-du-pays-de-mayenne'), title: '', reference: null as string | null, org_name: 'CPTS du Pays de Mayenne' },
    'sud-loire': { id: sudLoire.id, organisation_id: orgId('cpts-sud-loire-vignoble'), title: '', reference: null as string | null, org_name: 'CPTS Sud-Loire Vignoble' },
  };
  // The posting as the apply route reads it: its title with what tells it apart (reference, dates).
  for (const p of Object.values(postings)) Object.assign(p, db.prepare('SELECT title, reference, status, published_at, deadline, closed_at FROM postings WHERE id = ?').get(p.id));
  const tmp = tempRoot(opts.uploadDir);
  fs.mkdirSync(tmp, { recursive: true });
  const mayenneQuestions = questionsOf(db, mayenne.id);
  for (const c of CANDIDATES) {
    const answers = 'answers' in c ? { questions: mayenneQuestions, values: Object.fromEntries(mayenneQuestions.map((q, i) => [q.field, c.answers[i] ?? ''])) } : undefined;
    const file = path.join(tmp, `demo-${crypto.randomBytes(8).toString('hex')}`);
    const pdf = minimalPdf([`${c.first_name} ${c.last_name}`, c.email, 'Curriculum vitae (document de demonstration)']);
    fs.writeFileSync(file, pdf);
    submitApplication(
      db,
      postings[c.posting],
      { first_name: c.first_name, last_name: c.last_name, email: c.email, phone: '', message: c.message, source: c.source, talent_pool: c.first_name === 'Claire', region_pool: c.first_name === 'Claire' },
      [{ field: 'cv', path: file, originalName: `CV ${c.first_name} ${c.last_name}.pdf`, size: pdf.length, type: 'pdf', displayName: `CV ${c.first_name} ${c.last_name}.pdf`, text: `${c.first_name} ${c.last_name} ${c.email} Curriculum vitae ${c.message}` }],
      { baseUrl: opts.baseUrl ?? 'http://localhost:3000', uploadDir: opts.uploadDir, translator: () => t, locale: 'fr', now },
      answers,
    );
  }
}
