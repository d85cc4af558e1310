import type { DB } from '../../core/db.js';

export type RegionRow = { id: number; name: string; slug: string };
export type OrganisationRow = {
  id: number;
  region_id: number;
  region_name: string;
  name: string;
  slug: string;
  department: string;
  territory: string;
  population: number;
  size_class: number;
  presentation: string;
  email: string | null;
  street_address: string;
  postal_code: string;
  city: string;
  website_url: string;
  logo_url: string;
};
export type OrganisationSummary = OrganisationRow & { member_count: number; coordinator_names: string | null };
export type MemberRow = { user_id: number; name: string; email: string; role: string; title: string; created_at: string };

const ORG_COLUMNS = `o.id, o.region_id, r.name AS region_name, o.name, o.slug, o.department, o.territory, o.population,
  o.size_class, o.presentation, o.email, o.street_address, o.postal_code, o.city, o.website_url, o.logo_url`;

// Members and coordinators in post, counted in one pass (no query per row).
const SUMMARY_COLUMNS = `${ORG_COLUMNS},
  (SELECT COUNT(*) FROM memberships m WHERE m.organisation_id = o.id) AS member_count,
  (SELECT group_concat(u.name, ', ') FROM memberships m JOIN users u ON u.id = m.user_id
     WHERE m.organisation_id = o.id AND m.role = 'coordinator') AS coordinator_names`;

export const allRegions = (db: DB) => db.prepare('SELECT id, name, slug FROM regions ORDER BY name').all() as RegionRow[];

export const regionById = (db: DB, id: number) => db.prepare('SELECT id, name, slug FROM regions WHERE id = ?').get(id) as RegionRow | undefined;

export const regionSlugTaken = (db: DB, slug: string) => Boolean(db.prepare('SELECT 1 FROM regions WHERE slug = ?').get(slug));
export const regionNameTaken = (db: DB, name: string) => Boolean(db.prepare('SELECT 1 FROM regions WHERE name = ? COLLATE NOCASE').get(name));

export const insertRegion = (db: DB, name: string, slug: string, now: string) =>
  Number(db.prepare('INSERT INTO regions (name, slug, created_at) VALUES (?, ?, ?)').run(name, slug, now).lastInsertRowid);

export const organisationById = (db: DB, id: number) =>
  db.prepare(`SELECT ${ORG_COLUMNS} FROM organisations o JOIN regions r ON r.id = o.region_id WHERE o.id = ?`).get(id) as OrganisationRow | undefined;

export const organisationSlugTaken = (db: DB, slug: string) => Boolean(db.prepare('SELECT 1 FROM organisations WHERE slug = ?').get(slug));

export const organisationsSummary = (db: DB) =>
  db.prepare(`SELECT ${SUMMARY_COLUMNS} FROM organisations o JOIN regions r ON r.id = o.region_id ORDER BY r.name, o.name`).all() as OrganisationSummary[];

export const organisationsOfRegions = (db: DB, regionIds: number[]) =>
  regionIds.length === 0
    ? []
    : (db
        .prepare(
          `SELECT ${SUMMARY_COLUMNS} FROM organisations o JOIN regions r ON r.id = o.region_id
           WHERE o.region_id IN (SELECT value FROM json_each(?)) ORDER BY r.name, o.department, o.name`,
        )
        .all(JSON.stringify(regionIds)) as OrganisationSummary[]);

export const organisationsByIds = (db: DB, ids: number[]) =>
  ids.length === 0
    ? []
    : (db
        .prepare(
          `SELECT ${SUMMARY_COLUMNS} FROM organisations o JOIN regions r ON r.id = o.region_id
           WHERE o.id IN (SELECT value FROM json_each(?)) ORDER BY o.name`,
        )
        .all(JSON.stringify(ids)) as OrganisationSummary[]);

export const insertOrganisation = (
  db: DB,
  o: { regionId: number; name: string; slug: string; department: string; territory: string; population: number; sizeClass: number; presentation: string; email: string | null } & Partial<OrganisationPlace>,
  now: string,
) =>
  Number(
    db
      .prepare(
        `INSERT INTO organisations (region_id, name, slug, department, territory, population, size_class, presentation, email,
           street_address, postal_code, city, website_url, logo_url, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(o.regionId, o.name, o.slug, o.department, o.territory, o.population, o.sizeClass, o.presentation, o.email,
        o.street_address ?? '', o.postal_code ?? '', o.city ?? '', o.website_url ?? '', o.logo_url ?? '', now, now).lastInsertRowid,
  );

/** Where the CPTS is and where it is on the web, as public pages and structured data show it. */
export type OrganisationPlace = { street_address: string; postal_code: string; city: string; website_url: string; logo_url: string };

export const updateOrganisation = (
  db: DB,
  id: number,
  o: { name: string; department: string; territory: string; population: number; sizeClass: number; presentation: string; email: string | null } & OrganisationPlace,
  now: string,
) =>
  db
    .prepare(
      `UPDATE organisations SET name = ?, department = ?, territory = ?, population = ?, size_class = ?, presentation = ?, email = ?,
         street_address = ?, postal_code = ?, city = ?, website_url = ?, logo_url = ?, updated_at = ?
       WHERE id = ?`,
    )
    .run(o.name, o.department, o.territory, o.population, o.sizeClass, o.presentation, o.email,
      o.street_address, o.postal_code, o.city, o.website_url, o.logo_url, now, id);

export const membersOfOrganisation = (db: DB, organisationId: number) =>
  db
    .prepare(
      `SELECT u.id AS user_id, u.name, u.email, m.role, m.title, m.created_at
       FROM memberships m JOIN users u ON u.id = m.user_id
       WHERE m.organisation_id = ? ORDER BY CASE m.role WHEN 'bureau' THEN 0 WHEN 'coordinator' THEN 1 ELSE 2 END, u.name`,
    )
    .all(organisationId) as MemberRow[];

export const chargesOfRegion = (db: DB, regionId: number) =>
  db
    .prepare(
      `SELECT u.id AS user_id, u.name, u.email, m.role, m.title, m.created_at
       FROM memberships m JOIN users u ON u.id = m.user_id
       WHERE m.region_id = ? AND m.role = 'charge_de_mission' ORDER BY u.name`,
    )
    .all(regionId) as MemberRow[];

export const counts = (db: DB) =>
  db
    .prepare(
      `SELECT (SELECT COUNT(*) FROM regions) AS regions, (SELECT COUNT(*) FROM organisations) AS organisations,
              (SELECT COUNT(*) FROM users) AS users,
              (SELECT COUNT(*) FROM outbox WHERE status IN ('pending', 'sending')) AS pending_mail`,
    )
    .get() as { regions: number; organisations: number; users: number; pending_mail: number };

export const deleteMembership = (db: DB, organisationId: number, userId: number, role: string) =>
  db.prepare('DELETE FROM memberships WHERE organisation_id = ? AND user_id = ? AND role = ?').run(organisationId, userId, role);

export const countBureau = (db: DB, organisationId: number) =>
  (db.prepare("SELECT COUNT(*) AS n FROM memberships WHERE organisation_id = ? AND role = 'bureau'").get(organisationId) as { n: number }).n;

export const revokeInvitation = (db: DB, organisationId: number, invitationId: number, now: string) =>
  db
    .prepare('UPDATE invitations SET revoked_at = ? WHERE id = ? AND organisation_id = ? AND accepted_at IS NULL AND revoked_at IS NULL')
    .run(now, invitationId, organisationId);
