import fs from 'node:fs';
import crypto from 'node:crypto';
import path from 'node:path';
import type { Server } from 'node:http';
import { createApp } from './app.js';
import { loadConfig, type Config } from './core/config.js';
import { migrate, openDatabase } from './core/db.js';
import { createLogger } from './core/logger.js';
import { Metrics } from './core/metrics.js';
import { startScheduler } from './core/scheduler.js';
import { allJobs } from './jobs/index.js';
import { DEMO_PASSWORD, isEmpty, seedDemo } from './demo/seed.js';
import { removeOrphanUploads } from './features/applications/cleanup.js';

/** A session secret kept under the data folder when none is configured. */
function sessionSecret(config: Config): string {
  if (config.sessionSecret) return config.sessionSecret;
  const file = path.join(config.dataDir, 'session-secret');
  if (fs.existsSync(file)) return fs.readFileSync(file, 'utf8').trim();
  const secret = crypto.randomBytes(48).toString('base64url');
  fs.writeFileSync(file, secret + '\n', { mode: 0o600 });
  return secret;
}

async function main() {
  const config = loadConfig();
  const logger = createLogger(config.logLevel);
  fs.mkdirSync(config.dataDir, { recursive: true });
  fs.mkdirSync(config.uploadDir, { recursive: true });
  const db = openDatabase(config.databasePath);
  const applied = migrate(db);
  if (applied) logger.info('migrations applied', { count: applied });
  // A killed process can leave temp uploads and files whose row never committed.
  const cleaned = removeOrphanUploads(db, config.uploadDir);
  if (cleaned.removedFiles) logger.warn('orphan upload files removed', cleaned);

  let demoLogins: { email: string; role: string }[] = [];
  if (config.demoSeed && isEmpty(db)) {
    demoLogins = await seedDemo(db, { passwordCost: config.passwordCost, uploadDir: config.uploadDir, baseUrl: config.baseUrl });
    logger.info('demo data seeded');
  }

  const metrics = new Metrics({ processMetrics: true });
  const app = createApp({ config, db, logger, metrics, sessionSecret: sessionSecret(config) });
  const scheduler = config.runJobs ? startScheduler(db, allJobs(db, config, logger), { logger, metrics }) : undefined;

  const server: Server = app.listen(config.port, config.host, () => {
    const lines = [`Coordo écoute sur ${config.baseUrl}`];
    if (demoLogins.length) {
      lines.push('', `Comptes de démonstration (mot de passe : ${DEMO_PASSWORD}) :`, ...demoLogins.map((l) => `  ${l.email.padEnd(32)} ${l.role}`));
    }
    if (!config.smtpUrl) lines.push('', 'Aucun SMTP_URL : les courriels sont lisibles dans Administration → Courriels (/admin/courriels).');
    console.log(lines.join('\n'));
  });

  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info('shutting down', { signal });
    // Stop accepting, let in-flight requests finish, then stop jobs and close the database.
    server.close(async () => {
      logger.info('shutdown: requests done, stopping jobs');
      await scheduler?.stop();
      db.close();
      logger.info('shutdown: jobs stopped, database closed');
      process.exit(0);
    });
    server.closeIdleConnections();
    setTimeout(() => process.exit(1), 10_000).unref();
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
