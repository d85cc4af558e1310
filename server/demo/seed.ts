import type { DB } from '../core/db.js';
import { nowIso } from '../core/db.js';
import { hashPassword } from '../core/password.js';
import { sizeClass } from '../features/organisations/schemas.js';
import { seedHiringDemo } from './hiring.js';
import { seedDashboardsDemo } from './dashboards.js';
import { seedCalibrationDemo } from './calibration.js';
import { seedEvaluationDemo } from './evaluation.js';
import { seedFundingDemo } from './funding.js';
import { seedJobsDemo } from './jobs.js';
import { seedPipelineDemo } from './pipeline.js';
import { seedOnboardingDemo } from './onboarding.js';

export const DEMO_PASSWORD = 'demo-coordo-2026';

export type DemoLogin = { email: string; role: string };

type DemoOrg = { key: string; name: string; slug: string; department: string; territory: string; population: number; presentation: string; email: string; postalCode: string; city: string };

const ORGS: DemoOrg[] = [
  {
    key: 'sud-loire',
    name: 'CPTS Sud-Loire Vignoble',
    slug: 'cpts-sud-loire-vignoble',
    department: 'Loire-Atlantique (44)',
    territory: 'Vertou, Clisson, Le Loroux-Bottereau, Vallet et 14 communes du vignoble nantais',
    population: 98_400,
    postalCode: '44190',
    city: 'Clisson',
    email: 'contact@sud-loire-vignoble.demo.coordo.test',
    presentation:
      'La CPTS Sud-Loire Vignoble réunit près de 180 professionnels de santé libéraux du sud-est nantais : médecins généralistes, pharmaciens, infirmiers, masseurs-kinésithérapeutes, sages-femmes et orthophonistes.\n\nSignataire de l’ACI depuis 2022, elle porte des actions sur l’accès à un médecin traitant, les soins non programmés, le parcours des personnes âgées à domicile et la prévention des chutes.',
  },
  {
    key: 'baugeois',
    name: 'CPTS Baugeois-Vallée',
    slug: 'cpts-baugeois-vallee',
    department: 'Maine-et-Loire (49)',
    territory: 'Baugé-en-Anjou, Beaufort-en-Anjou, Longué-Jumelles, Mazé-Milon et communes voisines',
    population: 52_300,
    postalCode: '49150',
    city: 'Baugé-en-Anjou',
    email: 'contact@baugeois-vallee.demo.coordo.test',
    presentation:
      'Territoire rural entre Loire et Baugeois, la CPTS Baugeois-Vallée fédère les maisons de santé et les professionnels isolés autour de l’accès aux soins et de la coordination avec l’hôpital local.',
  },
  {
    key: 'mayenne',
    name: 'CPTS du Pays de Mayenne',
    slug: 'cpts-du-pays-de-mayenne',
    department: 'Mayenne (53)',
    territory: 'Mayenne, Lassay-les-Châteaux, Martigné-sur-Mayenne, Ambrières-les-Vallées',
    population: 36_800,
    postalCode: '53100',
    city: 'Mayenne',
    email: 'contact@pays-de-mayenne.demo.coordo.test',
    presentation:
      'Jeune CPTS du nord Mayenne, en cours de déploiement de ses missions socles, qui prépare le recrutement de sa première coordinatrice ou de son premier coordinateur.',
  },
];

type DemoUser = { email: string; name: string; admin?: boolean; org?: string; region?: true; role?: 'bureau' | 'coordinator' | 'case_manager' | 'charge_de_mission'; title?: string; label: string };

const USERS: DemoUser[] = [
  { email: 'admin@demo.coordo.test', name: 'Camille Roussel', admin: true, label: 'administratrice de l’instance' },
  { email: 'mission@demo.coordo.test', name: 'Anne-Sophie Le Goff', region: true, role: 'charge_de_mission', title: 'Chargée de mission CPTS', label: 'chargée de mission Pays de la Loire' },
  { email: 'bureau@demo.coordo.test', name: 'Dr Hélène Moreau', org: 'sud-loire', role: 'bureau', title: 'Présidente', label: 'présidente de la CPTS Sud-Loire Vignoble' },
  { email: 'coordination@demo.coordo.test', name: 'Julien Péan', org: 'sud-loire', role: 'coordinator', title: 'Coordinateur', label: 'coordinateur de la CPTS Sud-Loire Vignoble' },
  { email: 'tresorier.sudloire@demo.coordo.test', name: 'Marc Guérin', org: 'sud-loire', role: 'bureau', title: 'Trésorier', label: 'trésorier, Sud-Loire Vignoble' },
  { email: 'bureau.baugeois@demo.coordo.test', name: 'Isabelle Chauvin', org: 'baugeois', role: 'bureau', title: 'Présidente', label: 'présidente, Baugeois-Vallée' },
  { email: 'bureau.mayenne@demo.coordo.test', name: 'Dr Thomas Lemaître', org: 'mayenne', role: 'bureau', title: 'Président', label: 'président, Pays de Mayenne' },
  { email: 'coordination.baugeois@demo.coordo.test', name: 'Sandrine Hervé', org: 'baugeois', role: 'coordinator', title: 'Coordinatrice', label: 'coordinatrice expérimentée, Baugeois-Vallée (pair référente)' },
];

/** The four accounts the README and the console name. */
export const DEMO_LOGINS: DemoLogin[] = USERS.slice(0, 4).map((u) => ({ email: u.email, role: u.label }));

export function isEmpty(db: DB): boolean {
  return (db.prepare('SELECT COUNT(*) AS n FROM users').get() as { n: number }).n === 0;
}

/** Pays de la Loire with three CPTS, their bureaux, a chargée de mission and a coordinator in post. */
/** `uploadDir` (and `baseUrl` for the mailed links) adds demo applications with small PDF CVs. */
export async function seedDemo(db: DB, opts: { passwordCost: number; now?: Date; uploadDir?: string; baseUrl?: string }): Promise<DemoLogin[]> {
  const now = nowIso(opts.now ?? new Date());
  const hashes = await Promise.all(USERS.map(() => hashPassword(DEMO_PASSWORD, opts.passwordCost)));
  db.transaction(() => {
    const regionId = Number(
      db.prepare('INSERT INTO regions (name, slug, created_at) VALUES (?, ?, ?)').run('Pays de la Loire', 'pays-de-la-loire', now).lastInsertRowid,
    );
    const orgIds = new Map<string, number>();
    const insertOrg = db.prepare(
      `INSERT INTO organisations (region_id, name, slug, department, territory, population, size_class, presentation, email, postal_code, city, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    for (const o of ORGS) {
      const id = insertOrg.run(regionId, o.name, o.slug, o.department, o.territory, o.population, sizeClass(o.population), o.presentation, o.email, o.postalCode, o.city, now, now).lastInsertRowid;
      orgIds.set(o.key, Number(id));
    }
    const insertUser = db.prepare('INSERT INTO users (email, name, password_hash, locale, is_admin, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)');
    const insertMembership = db.prepare('INSERT INTO memberships (user_id, organisation_id, region_id, role, title, created_at) VALUES (?, ?, ?, ?, ?, ?)');
    USERS.forEach((u, i) => {
      const userId = Number(insertUser.run(u.email, u.name, hashes[i], 'fr', u.admin ? 1 : 0, now, now).lastInsertRowid);
      if (u.role) {
        insertMembership.run(userId, u.org ? orgIds.get(u.org) : null, u.region ? regionId : null, u.role, u.title ?? '', now);
      }
    });
  })();
  const region = db.prepare('SELECT id FROM regions WHERE slug = ?').get('pays-de-la-loire') as { id: number };
  seedOnboardingDemo(
    db,
    { regionId: region.id, chargeEmail: 'mission@demo.coordo.test', bureauEmail: 'bureau@demo.coordo.test', coordinatorEmail: 'coordination@demo.coordo.test', mentorEmail: 'coordination.baugeois@demo.coordo.test' },
    opts.now,
  );
  seedJobsDemo(db, { uploadDir: opts.uploadDir, baseUrl: opts.baseUrl, now: opts.now });
  seedPipelineDemo(db, { uploadDir: opts.uploadDir, now: opts.now });
  seedEvaluationDemo(db, { now: opts.now });
  seedHiringDemo(db, { now: opts.now });
  seedDashboardsDemo(db, { now: opts.now });
  seedCalibrationDemo(db, { now: opts.now });
  seedFundingDemo(db, { chargeEmail: 'mission@demo.coordo.test', baugeoisCoordinatorEmail: 'coordination.baugeois@demo.coordo.test' }, opts.now);
  return DEMO_LOGINS;
}
