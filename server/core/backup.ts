import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { DB } from './db.js';

export type BackupManifest = {
  createdAt: string;
  database: string;
  schemaVersion: number;
  tables: Record<string, number>;
  files: { path: string; size: number; sha256: string }[];
};

function sha256(file: string): string {
  return crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');
}

function listFiles(root: string, skip: Set<string>): string[] {
  if (!fs.existsSync(root)) return [];
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      const rel = path.relative(root, full);
      if (skip.has(rel.split(path.sep)[0])) continue;
      if (entry.isDirectory()) walk(full);
      else if (entry.isFile()) out.push(rel);
    }
  };
  walk(root);
  return out.sort();
}

function tableCounts(db: DB): Record<string, number> {
  const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").all() as { name: string }[];
  return Object.fromEntries(tables.map((t) => [t.name, (db.prepare(`SELECT COUNT(*) AS n FROM "${t.name}"`).get() as { n: number }).n]));
}

/**
 * Online backup while the app runs: SQLite's backup API gives a consistent snapshot, then the
 * uploads are copied. Files are written before the rows that point to them, so every file the
 * snapshot references is already on disk when it is copied.
 */
export async function createBackup(db: DB, uploadDir: string, destDir: string, now = new Date()): Promise<BackupManifest> {
  fs.mkdirSync(destDir, { recursive: true });
  if (fs.readdirSync(destDir).length > 0) throw new Error(`backup folder ${destDir} is not empty`);
  const dbFile = path.join(destDir, 'coordo.db');
  await db.backup(dbFile);
  const snapshot = new Database(dbFile, { readonly: true });
  const manifest: BackupManifest = {
    createdAt: now.toISOString(),
    database: 'coordo.db',
    schemaVersion: snapshot.pragma('user_version', { simple: true }) as number,
    tables: tableCounts(snapshot),
    files: [],
  };
  snapshot.close();
  const uploadsDest = path.join(destDir, 'uploads');
  for (const rel of listFiles(uploadDir, new Set(['tmp']))) {
    const target = path.join(uploadsDest, rel);
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.copyFileSync(path.join(uploadDir, rel), target);
    manifest.files.push({ path: rel, size: fs.statSync(target).size, sha256: sha256(target) });
  }
  fs.writeFileSync(path.join(destDir, 'manifest.json'), JSON.stringify(manifest, null, 2));
  return manifest;
}

/** Restores a backup into an empty data folder, checking the database and every file's hash. */
export function restoreBackup(backupDir: string, dataDir: string, opts: { force?: boolean } = {}): BackupManifest {
  const manifest = JSON.parse(fs.readFileSync(path.join(backupDir, 'manifest.json'), 'utf8')) as BackupManifest;
  const dbTarget = path.join(dataDir, 'coordo.db');
  if (fs.existsSync(dbTarget) && !opts.force) throw new Error(`${dbTarget} exists; restore into an empty data folder (or pass --force)`);
  const source = new Database(path.join(backupDir, manifest.database), { readonly: true });
  const integrity = source.pragma('integrity_check', { simple: true });
  source.close();
  if (integrity !== 'ok') throw new Error(`backup database fails its integrity check: ${String(integrity)}`);
  for (const f of manifest.files) {
    if (sha256(path.join(backupDir, 'uploads', f.path)) !== f.sha256) throw new Error(`file ${f.path} does not match its hash`);
  }
  fs.mkdirSync(dataDir, { recursive: true });
  for (const suffix of ['', '-wal', '-shm']) fs.rmSync(dbTarget + suffix, { force: true });
  fs.copyFileSync(path.join(backupDir, manifest.database), dbTarget);
  for (const f of manifest.files) {
    const target = path.join(dataDir, 'uploads', f.path);
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.copyFileSync(path.join(backupDir, 'uploads', f.path), target);
  }
  return manifest;
}
