/**
 * Start-up clean-up of upload leftovers. A process killed mid-request can leave a temp folder
 * (multer wrote it, the request never finished) or a stored document whose transaction never
 * committed (the file is made durable before the row, by design). Neither is reachable from a
 * row, so both are removed before the app listens. Runs only at start, when no request is in
 * flight, so a file that is being written cannot be mistaken for an orphan. That assumes one web
 * process per data folder (stop, then start): a second process started beside a live one would
 * take the live one's in-flight uploads for leftovers.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { DB } from '../../core/db.js';
import { documentsDir, tempRoot } from './files.js';

export function removeOrphanUploads(db: DB, uploadDir: string): { removedFiles: number; removedTemp: boolean } {
  const tmp = tempRoot(uploadDir);
  const removedTemp = fs.existsSync(tmp);
  fs.rmSync(tmp, { recursive: true, force: true });

  const dir = documentsDir(uploadDir);
  if (!fs.existsSync(dir)) return { removedFiles: 0, removedTemp };
  const referenced = new Set((db.prepare('SELECT stored_name FROM application_documents').pluck().all() as string[]));
  let removedFiles = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (!entry.isFile() || referenced.has(entry.name)) continue;
    fs.rmSync(path.join(dir, entry.name), { force: true });
    removedFiles++;
  }
  return { removedFiles, removedTemp };
}
