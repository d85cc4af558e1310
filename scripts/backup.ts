/**
 * Consistent online backup of the database and the uploads, safe while the app runs:
 *   npm run backup -- [destination folder]     (default ./backups/coordo-<timestamp>)
 * Restore into an empty data folder (app stopped):
 *   npm run restore -- <backup folder> [data folder]   (default DATA_DIR; --force to overwrite)
 */
import path from 'node:path';
import { createBackup, restoreBackup } from '../server/core/backup.js';
import { loadConfig } from '../server/core/config.js';
import { openDatabase } from '../server/core/db.js';

async function main() {
  const [command, ...args] = process.argv.slice(2);
  const config = loadConfig();
  if (command === 'backup') {
    const dest = path.resolve(args[0] ?? path.join('backups', `coordo-${new Date().toISOString().replace(/[:.]/g, '-')}`));
    const db = openDatabase(config.databasePath);
    const manifest = await createBackup(db, config.uploadDir, dest);
    db.close();
    console.log(`Backup written to ${dest}: ${Object.values(manifest.tables).reduce((a, b) => a + b, 0)} rows, ${manifest.files.length} files.`);
  } else if (command === 'restore') {
    const positional = args.filter((a) => !a.startsWith('--'));
    if (!positional[0]) throw new Error('usage: npm run restore -- <backup folder> [data folder] [--force]');
    const dataDir = path.resolve(positional[1] ?? config.dataDir);
    const manifest = restoreBackup(path.resolve(positional[0]), dataDir, { force: args.includes('--force') });
    console.log(`Restored the backup of ${manifest.createdAt} into ${dataDir}: ${manifest.files.length} files, schema version ${manifest.schemaVersion}.`);
  } else {
    throw new Error('usage: backup.ts backup [dest] | restore <backup> [data dir] [--force]');
  }
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
