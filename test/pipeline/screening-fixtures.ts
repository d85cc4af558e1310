/**
 * A posting with applications that carry real documents (PDF, DOCX, ODT), for the screening
 * view's tests: files stored as the upload does (random name under the upload folder).
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { DB } from '../../server/core/db.js';
import { docxFile, odtFile, pdfFile } from '../fixtures/documents.js';
import { createApplication, createPosting, type ApplicationFixture, type PostingFixture } from './fixtures.js';

export type DocumentType = 'pdf' | 'docx' | 'odt';

export function attachDocument(db: DB, uploadDir: string, app: ApplicationFixture, organisationId: number, type: DocumentType, content: Buffer, kind: 'cv' | 'other' = 'cv'): number {
  const storedName = crypto.randomBytes(24).toString('hex');
  const dir = path.join(uploadDir, 'applications');
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, storedName), content);
  return Number(
    db
      .prepare(
        `INSERT INTO application_documents (application_id, organisation_id, kind, stored_name, original_name, file_type, size_bytes, sha256, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(app.id, organisationId, kind, storedName, `CV ${app.name}.${type}`, type, content.length, crypto.createHash('sha256').update(content).digest('hex'), new Date().toISOString()).lastInsertRowid,
  );
}

/** The text each candidate's CV holds, so a test can see it on the page. */
export const cvLine = (name: string) => `Parcours de ${name} en coordination territoriale`;

export async function documentFor(type: DocumentType, name: string): Promise<Buffer> {
  const lines = [name, cvLine(name)];
  if (type === 'pdf') return pdfFile(lines.join(' - '));
  if (type === 'docx') return docxFile(lines);
  return odtFile(undefined, lines);
}

/** A posting of the CPTS with `count` new applications, one minute apart, documents cycling PDF, DOCX, ODT. */
export async function screeningPosting(db: DB, uploadDir: string, organisationId: number, count: number, opts: { anonymised?: boolean; title?: string } = {}) {
  const posting: PostingFixture = createPosting(db, organisationId, { anonymised: opts.anonymised, title: opts.title });
  const types: DocumentType[] = ['pdf', 'docx', 'odt'];
  const apps: (ApplicationFixture & { type: DocumentType })[] = [];
  const start = Date.parse('2026-11-02T08:00:00.000Z');
  for (let i = 0; i < count; i++) {
    const app = createApplication(db, posting, { firstName: 'Alix', lastName: `Tri${String.fromCharCode(65 + i)}`, createdAt: new Date(start + i * 60_000).toISOString() });
    const type = types[i % types.length];
    attachDocument(db, uploadDir, app, organisationId, type, await documentFor(type, app.name));
    apps.push({ ...app, type });
  }
  return { posting, apps };
}
