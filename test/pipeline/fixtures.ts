/**
 * Postings and applications for the pipeline tests, written straight to the tables of the
 * jobs/applications features (the pipeline's triggers then add stages and cards).
 */
import fs from 'node:fs';
import path from 'node:path';
import crypto from 'node:crypto';
import type { DB } from '../../server/core/db.js';
import { nowIso } from '../../server/core/db.js';

let seq = 0;

export type PostingFixture = { id: number; organisation_id: number; title: string };

export function createPosting(db: DB, organisationId: number, overrides: Partial<{ title: string; status: string; anonymised: boolean }> = {}): PostingFixture {
  const n = ++seq;
  const title = overrides.title ?? `Coordinateur·rice de CPTS ${n}`;
  const now = nowIso();
  const id = Number(
    db
      .prepare(
        `INSERT INTO postings (organisation_id, slug, kind, title, location, contract_type, status, contact_name, contact_email, created_at, updated_at)
         VALUES (?, ?, 'coordinator', ?, 'Nantes', 'CDI', ?, 'Dr Contact', 'contact@cpts.test', ?, ?)`,
      )
      .run(organisationId, `poste-${n}-${crypto.randomBytes(3).toString('hex')}`, title, overrides.status ?? 'published', now, now).lastInsertRowid,
  );
  if (overrides.anonymised) {
    db.prepare('INSERT INTO pipeline_settings (posting_id, organisation_id, anonymised, updated_at) VALUES (?, ?, 1, ?)').run(id, organisationId, now);
  }
  return { id, organisation_id: organisationId, title };
}

export type ApplicationFixture = { id: number; candidateId: number; email: string; name: string; postingId: number };

export function createApplication(
  db: DB,
  posting: PostingFixture,
  o: Partial<{ firstName: string; lastName: string; email: string; message: string; status: string; createdAt: string; document: { uploadDir: string; type?: 'pdf' | 'docx' } }> = {},
): ApplicationFixture {
  const n = ++seq;
  const firstName = o.firstName ?? 'Camille';
  const lastName = o.lastName ?? `Candidat${n}`;
  const email = o.email ?? `candidat${n}@example.test`;
  const at = o.createdAt ?? nowIso();
  // One candidate row per application, in its CPTS (migration 015), as the apply form writes it.
  const candidateId = Number(
    db
      .prepare('INSERT INTO candidates (organisation_id, email, first_name, last_name, phone, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)')
      .run(posting.organisation_id, email, firstName, lastName, '06 12 34 56 78', at, at).lastInsertRowid,
  );
  const id = Number(
    db
      .prepare(
        `INSERT INTO applications (posting_id, organisation_id, candidate_id, status, message, last_contact_at, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(posting.id, posting.organisation_id, candidateId, o.status ?? 'received', o.message ?? 'Je souhaite rejoindre votre CPTS.', at, at, at).lastInsertRowid,
  );
  if (o.document) {
    const storedName = crypto.randomBytes(24).toString('hex');
    const dir = path.join(o.document.uploadDir, 'applications');
    fs.mkdirSync(dir, { recursive: true });
    const type = o.document.type ?? 'pdf';
    const content = type === 'pdf' ? Buffer.from('%PDF-1.4\n%test\n') : Buffer.from('PK\u0003\u0004docx');
    fs.writeFileSync(path.join(dir, storedName), content);
    db.prepare(
      `INSERT INTO application_documents (application_id, organisation_id, kind, stored_name, original_name, file_type, size_bytes, sha256, created_at)
       VALUES (?, ?, 'cv', ?, ?, ?, ?, ?, ?)`,
    ).run(id, posting.organisation_id, storedName, `CV ${firstName} ${lastName}.${type}`, type, content.length, crypto.createHash('sha256').update(content).digest('hex'), at);
  }
  return { id, candidateId, email, name: `${firstName} ${lastName}`, postingId: posting.id };
}

export type StageRow = { id: number; name: string; kind: string; stage_key: string | null; position: number };

export const stagesOf = (db: DB, postingId: number) =>
  db.prepare('SELECT id, name, kind, stage_key, position FROM pipeline_stages WHERE posting_id = ? ORDER BY position').all(postingId) as StageRow[];

export const stageByKey = (db: DB, postingId: number, key: string) => stagesOf(db, postingId).find((s) => s.stage_key === key)!;

export const cardOf = (db: DB, applicationId: number) =>
  db.prepare('SELECT * FROM pipeline_cards WHERE application_id = ?').get(applicationId) as { stage_id: number; anon_number: number; identity_open: number; rejection_reason: string | null };
