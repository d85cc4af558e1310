/**
 * Runs one background job once, under its lease, then exits:
 *   npx tsx server/jobs/cli.ts <job-name>      (e.g. outbox.send, sessions.prune)
 *   npx tsx server/jobs/cli.ts --list
 */
import { loadConfig } from '../core/config.js';
import { migrate, openDatabase } from '../core/db.js';
import { createLogger } from '../core/logger.js';
import { runExclusive } from '../core/scheduler.js';
import { allJobs } from './index.js';

async function main() {
  const name = process.argv[2];
  const config = loadConfig();
  const logger = createLogger(config.logLevel);
  const db = openDatabase(config.databasePath);
  migrate(db);
  const jobs = allJobs(db, config, logger);
  if (!name || name === '--list') {
    console.log(jobs.map((j) => j.name).join('\n'));
    db.close();
    return;
  }
  const job = jobs.find((j) => j.name === name);
  if (!job) {
    console.error(`Unknown job "${name}". Known: ${jobs.map((j) => j.name).join(', ')}`);
    db.close();
    process.exit(2);
  }
  const ran = await runExclusive(db, job, `cli-${process.pid}`, { logger });
  db.close();
  logger.flush();
  if (!ran) {
    console.error(`Job "${name}" is already running in another process.`);
    process.exit(3);
  }
  console.log(`Job "${name}" done.`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
