import type { DB } from '../../server/core/db.js';
import { nowIso } from '../../server/core/db.js';
import { hashPassword } from '../../server/core/password.js';
import { sizeClass } from '../../server/features/organisations/schemas.js';

let seq = 0;
const next = () => ++seq;
export const TEST_PASSWORD = 'correct horse battery staple';

export function createRegion(db: DB, name = `Région ${next()}`): { id: number; name: string } {
  const slug = name.toLowerCase().replace(/[^a-z0-9]+/g, '-') + '-' + next();
  const id = Number(db.prepare('INSERT INTO regions (name, slug, created_at) VALUES (?, ?, ?)').run(name, slug, nowIso()).lastInsertRowid);
  return { id, name };
}

export type OrgFixture = { id: number; region_id: number; name: string; slug: string };

export function createOrganisation(db: DB, regionId: number, overrides: Partial<{ name: string; population: number; department: string }> = {}): OrgFixture {
  const n = next();
  const name = overrides.name ?? `CPTS Test ${n}`;
  const slug = `cpts-test-${n}`;
  const population = overrides.population ?? 60_000;
  const id = Number(
    db
      .prepare(
        `INSERT INTO organisations (region_id, name, slug, department, territory, population, size_class, presentation, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(regionId, name, slug, overrides.department ?? 'Sarthe (72)', 'Le Mans et alentours', population, sizeClass(population), 'Présentation de test.', nowIso(), nowIso())
      .lastInsertRowid,
  );
  return { id, region_id: regionId, name, slug };
}

export type MembershipSpec =
  | { organisationId: number; role: 'bureau' | 'coordinator' | 'case_manager'; title?: string }
  | { regionId: number; role: 'charge_de_mission'; title?: string };

export type UserFixture = { id: number; email: string; name: string; password: string };

export async function createUser(
  db: DB,
  opts: { email?: string; name?: string; password?: string; isAdmin?: boolean; locale?: 'fr' | 'en'; memberships?: MembershipSpec[] } = {},
): Promise<UserFixture> {
  const n = next();
  const email = opts.email ?? `user${n}@example.test`;
  const name = opts.name ?? `Utilisateur ${n}`;
  const password = opts.password ?? TEST_PASSWORD;
  const hash = await hashPassword(password, 2 ** 10);
  const id = Number(
    db
      .prepare('INSERT INTO users (email, name, password_hash, locale, is_admin, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)')
      .run(email, name, hash, opts.locale ?? 'fr', opts.isAdmin ? 1 : 0, nowIso(), nowIso()).lastInsertRowid,
  );
  for (const m of opts.memberships ?? []) {
    db.prepare('INSERT INTO memberships (user_id, organisation_id, region_id, role, title, created_at) VALUES (?, ?, ?, ?, ?, ?)').run(
      id,
      'organisationId' in m ? m.organisationId : null,
      'regionId' in m ? m.regionId : null,
      m.role,
      m.title ?? '',
      nowIso(),
    );
  }
  return { id, email, name, password };
}

/** Two regions, a CPTS in each (plus a second in region A), and one user per role. */
export async function createWorld(db: DB) {
  const regionA = createRegion(db, 'Pays de la Loire');
  const regionB = createRegion(db, 'Bretagne');
  const orgA = createOrganisation(db, regionA.id, { name: 'CPTS Alpha' });
  const orgA2 = createOrganisation(db, regionA.id, { name: 'CPTS Alpha Deux' });
  const orgB = createOrganisation(db, regionB.id, { name: 'CPTS Bravo' });
  const admin = await createUser(db, { isAdmin: true, name: 'Admin Test' });
  const chargeA = await createUser(db, { name: 'Chargée A', memberships: [{ regionId: regionA.id, role: 'charge_de_mission' }] });
  const chargeB = await createUser(db, { name: 'Chargé B', memberships: [{ regionId: regionB.id, role: 'charge_de_mission' }] });
  const bureauA = await createUser(db, { name: 'Bureau A', memberships: [{ organisationId: orgA.id, role: 'bureau', title: 'Présidente' }] });
  const bureauB = await createUser(db, { name: 'Bureau B', memberships: [{ organisationId: orgB.id, role: 'bureau' }] });
  const coordinatorA = await createUser(db, { name: 'Coord A', memberships: [{ organisationId: orgA.id, role: 'coordinator' }] });
  const nobody = await createUser(db, { name: 'Sans rôle' });
  return { regionA, regionB, orgA, orgA2, orgB, admin, chargeA, chargeB, bureauA, bureauB, coordinatorA, nobody };
}
