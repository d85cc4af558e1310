/**
 * Migration 015: the candidate rows that several applications (and several CPTS) shared are
 * split, one per application in its CPTS, the first use keeping its id; and the runner's
 * "foreign_keys off" mode that the rebuild needs (dropping a parent table with foreign keys on
 * would cascade to every child).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { MIGRATIONS_DIR, migrate, nowIso, openDatabase, type DB } from '../../server/core/db.js';
import { createOrganisation, createRegion } from '../helpers/factories.js';

type Row = Record<string, unknown>;

describe('applications: migration 015 gives every application its own candidate row in its CPTS', () => {
  let dir: string;
  let db: DB;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'coordo-mig-'));
    db = openDatabase(path.join(dir, 'coordo.db'));
  });
  afterEach(() => {
    db.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  /** The migrations before `upTo` (excluded), as a database of that time had them. */
  function migrateBefore(upTo: string): void {
    const old = path.join(dir, 'migrations');
    fs.mkdirSync(old);
    for (const f of fs.readdirSync(MIGRATIONS_DIR)) if (f < upTo) fs.copyFileSync(path.join(MIGRATIONS_DIR, f), path.join(old, f));
    migrate(db, old);
  }

  it('when a shared candidate row applied at CPTS A twice and at CPTS B then each application gets its own row, the first keeps the id, nothing else is lost', () => {
    migrateBefore('015');
    const region = createRegion(db);
    const orgA = createOrganisation(db, region.id, { name: 'CPTS Alpha' });
    const orgB = createOrganisation(db, region.id, { name: 'CPTS Bravo' });
    const at = nowIso();
    // Plain rows as the schema of the time had them (no service: later migrations may change it).
    const posting = (orgId: number, slug: string) => {
      const id = Number(
        db.prepare("INSERT INTO postings (organisation_id, slug, kind, title, contract_type, status, created_at, updated_at) VALUES (?, ?, 'coordinator', 'Coordination', 'CDI', 'published', ?, ?)").run(orgId, slug, at, at)
          .lastInsertRowid,
      );
      // The default stages come with the posting (a trigger of the time).
      return { id };
    };
    const pA1 = posting(orgA.id, 'a-un');
    const pA2 = posting(orgA.id, 'a-deux');
    const pB = posting(orgB.id, 'b-un');
    const insertCandidate = (email: string, last: string) =>
      Number(
        db.prepare("INSERT INTO candidates (email, first_name, last_name, phone, created_at, updated_at) VALUES (?, 'Camille', ?, '06 12 34 56 78', ?, ?)").run(email, last, at, at)
          .lastInsertRowid,
      );
    const shared = insertCandidate('camille@exemple.test', 'Martin');
    const alone = insertCandidate('dominique@exemple.test', 'Durand');
    const orphan = insertCandidate('orphelin@exemple.test', 'Sans');
    const insertApp = (postingId: number, orgId: number, candidateId: number, message: string) =>
      Number(
        db
          .prepare('INSERT INTO applications (posting_id, organisation_id, candidate_id, message, last_contact_at, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)')
          .run(postingId, orgId, candidateId, message, at, at, at).lastInsertRowid,
      );
    const a1 = insertApp(pA1.id, orgA.id, shared, 'premier');
    const a2 = insertApp(pB.id, orgB.id, shared, 'chez B');
    const a3 = insertApp(pA2.id, orgA.id, shared, 'second chez A');
    const a4 = insertApp(pA1.id, orgA.id, alone, 'seul');
    db.prepare("INSERT INTO application_documents (application_id, organisation_id, kind, stored_name, original_name, file_type, size_bytes, sha256, created_at) VALUES (?, ?, 'cv', ?, 'cv.pdf', 'pdf', 10, 'x', ?)").run(
      a2,
      orgB.id,
      'a'.repeat(48),
      at,
    );
    const appsBefore = db.prepare('SELECT id, posting_id, organisation_id, message, status FROM applications ORDER BY id').all();
    const cardsBefore = db.prepare('SELECT application_id, stage_id FROM pipeline_cards ORDER BY application_id').all();
    expect(cardsBefore).to.have.length(4);

    migrate(db);

    const candidateOf = (appId: number) =>
      db.prepare('SELECT c.* FROM candidates c JOIN applications a ON a.candidate_id = c.id WHERE a.id = ?').get(appId) as Row;
    expect(candidateOf(a1)).to.include({ id: shared, organisation_id: orgA.id, email: 'camille@exemple.test', last_name: 'Martin', phone: '06 12 34 56 78' });
    expect(candidateOf(a4)).to.include({ id: alone, organisation_id: orgA.id, last_name: 'Durand' });
    expect(candidateOf(a2)).to.include({ organisation_id: orgB.id, email: 'camille@exemple.test', first_name: 'Camille', last_name: 'Martin' });
    expect(candidateOf(a3)).to.include({ organisation_id: orgA.id, email: 'camille@exemple.test' });
    const ids = [a1, a2, a3, a4].map((a) => candidateOf(a).id);
    expect(new Set(ids).size).to.equal(4);
    expect(ids.filter((id) => id !== shared && id !== alone).every((id) => Number(id) > orphan)).to.equal(true);
    // A row no application used belongs to no CPTS: gone.
    expect(db.prepare('SELECT 1 FROM candidates WHERE id = ?').get(orphan)).to.equal(undefined);
    expect((db.prepare('SELECT COUNT(*) AS n FROM candidates').get() as Row).n).to.equal(4);
    // Applications, cards and documents are all still there (no cascade from the rebuild).
    expect(db.prepare('SELECT id, posting_id, organisation_id, message, status FROM applications ORDER BY id').all()).to.deep.equal(appsBefore);
    expect(db.prepare('SELECT application_id, stage_id FROM pipeline_cards ORDER BY application_id').all()).to.deep.equal(cardsBefore);
    expect((db.prepare('SELECT COUNT(*) AS n FROM application_documents WHERE application_id = ?').get(a2) as Row).n).to.equal(1);
    expect(db.pragma('foreign_key_check')).to.deep.equal([]);
    expect(db.pragma('foreign_keys', { simple: true })).to.equal(1);
    // The address is no longer unique; one candidate row serves one application only.
    expect(() =>
      db.prepare("INSERT INTO candidates (organisation_id, email, first_name, last_name, created_at, updated_at) VALUES (?, 'CAMILLE@exemple.test', 'X', 'Y', ?, ?)").run(orgA.id, at, at),
    ).not.to.throw();
    expect(() =>
      db.prepare('INSERT INTO applications (posting_id, organisation_id, candidate_id, last_contact_at, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)').run(pA2.id, orgA.id, alone, at, at, at),
    ).to.throw(/UNIQUE/);
    expect(() =>
      db.prepare("INSERT INTO candidates (organisation_id, email, first_name, last_name, created_at, updated_at) VALUES (NULL, 'x@exemple.test', 'X', 'Y', ?, ?)").run(at, at),
    ).to.throw(/NOT NULL/);
  });

  it('when a "foreign_keys off" migration would leave a broken reference then it is rolled back and foreign keys are on again', () => {
    const mig = path.join(dir, 'runner');
    fs.mkdirSync(mig);
    fs.writeFileSync(path.join(mig, '001_parent.sql'), 'CREATE TABLE parent (id INTEGER PRIMARY KEY);\nCREATE TABLE child (id INTEGER PRIMARY KEY, parent_id INTEGER NOT NULL REFERENCES parent(id) ON DELETE CASCADE);\nINSERT INTO parent VALUES (1);\nINSERT INTO child VALUES (1, 1);\n');
    migrate(db, mig);
    // Rebuilding the parent keeps the child (with foreign keys on, DROP would cascade).
    fs.writeFileSync(path.join(mig, '002_rebuild.sql'), '-- migrate: foreign_keys off\nCREATE TABLE parent_new (id INTEGER PRIMARY KEY, name TEXT);\nINSERT INTO parent_new (id) SELECT id FROM parent;\nDROP TABLE parent;\nALTER TABLE parent_new RENAME TO parent;\n');
    migrate(db, mig);
    expect((db.prepare('SELECT COUNT(*) AS n FROM child').get() as Row).n).to.equal(1);
    fs.writeFileSync(path.join(mig, '003_broken.sql'), '-- migrate: foreign_keys off\nDELETE FROM parent;\n');
    expect(() => migrate(db, mig)).to.throw(/003_broken.sql leaves 1 broken foreign key/);
    expect((db.prepare('SELECT COUNT(*) AS n FROM parent').get() as Row).n).to.equal(1);
    expect(db.prepare("SELECT 1 FROM schema_migrations WHERE name = '003_broken.sql'").get()).to.equal(undefined);
    expect(db.pragma('foreign_keys', { simple: true })).to.equal(1);
  });
});
