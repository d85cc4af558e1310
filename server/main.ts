import cluster, { type Worker } from 'node:cluster';
import fs from 'node:fs';
import crypto from 'node:crypto';
import path from 'node:path';
import type { Server } from 'node:http';
import { createApp } from './app.js';
import { loadConfig, type Config } from './core/config.js';
import { migrate, openDatabase, type DB } from './core/db.js';
import { createLogger, type RootLogger } from './core/logger.js';
import { Metrics, serveClusterMetrics } from './core/metrics.js';
import { startScheduler } from './core/scheduler.js';
import { allJobs } from './jobs/index.js';
import { DEMO_PASSWORD, isEmpty, seedDemo } from './demo/seed.js';
import { removeOrphanUploads } from './features/applications/cleanup.js';

/**
 * The process. With WORKERS=1 (development, tests) the app runs here. With more, this
 * process is the primary: it prepares the data folder (migrations, clean-up, demo seed,
 * session secret) once, then forks the workers, which share the port (node:cluster hands
 * the connections round-robin), each with its own SQLite connection and job scheduler;
 * everything they share lives in SQLite (sessions, rate limits, job leases, revisions).
 */

/** A session secret kept under the data folder when none is configured. */
function sessionSecret(config: Config): string {
  if (config.sessionSecret) return config.sessionSecret;
  const file = path.join(config.dataDir, 'session-secret');
  if (fs.existsSync(file)) return fs.readFileSync(file, 'utf8').trim();
  const secret = crypto.randomBytes(48).toString('base64url');
  fs.writeFileSync(file, secret + '\n', { mode: 0o600 });
  return secret;
}

type Prepared = { db: DB; demoLogins: { email: string; role: string }[] };

/** Once per start, before any request: the data folder as the app expects it. */
async function prepare(config: Config, logger: RootLogger): Promise<Prepared> {
  fs.mkdirSync(config.dataDir, { recursive: true });
  fs.mkdirSync(config.uploadDir, { recursive: true });
  const db = openDatabase(config.databasePath);
  const applied = migrate(db);
  if (applied) logger.info('migrations applied', { count: applied });
  // A killed process can leave temp uploads and files whose row never committed.
  const cleaned = removeOrphanUploads(db, config.uploadDir);
  if (cleaned.removedFiles) logger.warn('orphan upload files removed', cleaned);
  let demoLogins: Prepared['demoLogins'] = [];
  if (config.demoSeed && isEmpty(db)) {
    demoLogins = await seedDemo(db, { passwordCost: config.passwordCost, uploadDir: config.uploadDir, baseUrl: config.baseUrl });
    logger.info('demo data seeded');
  }
  sessionSecret(config);
  return { db, demoLogins };
}

function banner(config: Config, demoLogins: Prepared['demoLogins']): string {
  const lines = [`Coordo écoute sur ${config.baseUrl}`];
  if (demoLogins.length) {
    lines.push('', `Comptes de démonstration (mot de passe : ${DEMO_PASSWORD}) :`, ...demoLogins.map((l) => `  ${l.email.padEnd(32)} ${l.role}`));
  }
  if (!config.smtpUrl) lines.push('', 'Aucun SMTP_URL : les courriels sont lisibles dans Administration → Courriels (/admin/courriels).');
  return lines.join('\n');
}

/** The app on one process: listens, runs the jobs; `stop()` is the graceful shutdown. */
async function serve(config: Config, db: DB, logger: RootLogger, metrics: Metrics) {
  const app = createApp({ config, db, logger, metrics, sessionSecret: sessionSecret(config) });
  const scheduler = config.runJobs ? startScheduler(db, allJobs(db, config, logger), { logger, metrics }) : undefined;
  const server: Server = await new Promise((resolve, reject) => {
    const s = app.listen(config.port, config.host, () => resolve(s));
    s.once('error', reject);
  });
  return {
    async stop() {
      // Stop accepting, let in-flight requests finish, then stop jobs and close the database.
      logger.info('shutdown: closing the listener, waiting for requests in flight');
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      await closed;
      logger.info('shutdown: requests done, stopping jobs');
      await scheduler?.stop();
      db.close();
      logger.info('shutdown: jobs stopped, database closed');
    },
  };
}

function onSignals(handler: (signal: string) => void) {
  let stopping = false;
  const once = (signal: string) => {
    if (stopping) return;
    stopping = true;
    handler(signal);
  };
  process.on('SIGTERM', () => once('SIGTERM'));
  process.on('SIGINT', () => once('SIGINT'));
}

/** One process does everything (WORKERS=1). */
async function single(config: Config, logger: RootLogger) {
  const { db, demoLogins } = await prepare(config, logger);
  const running = await serve(config, db, logger, new Metrics({ processMetrics: true }));
  console.log(banner(config, demoLogins));
  onSignals((signal) => {
    logger.info('shutdown: signal received', { signal });
    setTimeout(() => process.exit(1), 10_000).unref();
    void running.stop().then(() => process.exit(0));
  });
}

/** A worker of the cluster: its own connection, app and scheduler; the primary prepared the rest. */
async function worker(config: Config) {
  const logger = createLogger(config.logLevel, { bindings: { worker: cluster.worker?.id } });
  const metrics = new Metrics({ processMetrics: true });
  metrics.shareWithPrimary();
  const running = await serve(config, openDatabase(config.databasePath), logger, metrics);
  let stopping = false;
  const stop = (reason: string) => {
    if (stopping) return;
    stopping = true;
    logger.info('shutdown: worker stopping', { reason });
    setTimeout(() => process.exit(1), 10_000).unref();
    void running.stop().then(() => process.exit(0));
  };
  onSignals(stop);
  // The primary went away (killed): do not linger on the port.
  process.on('disconnect', () => stop('primary gone'));
}

const RESTARTS_ALLOWED = 5;
const RESTART_WINDOW_MS = 60_000;

/** The primary of WORKERS > 1: prepares, forks, replaces a worker that dies, stops them all. */
async function primary(config: Config, logger: RootLogger) {
  const { db, demoLogins } = await prepare(config, logger);
  db.close();
  serveClusterMetrics();
  let stopping = false;
  let exitCode = 0;
  const restarts: number[] = [];
  let listening = 0;
  const fork = () => cluster.fork();

  cluster.on('listening', () => {
    if (++listening === config.workers) {
      logger.info('workers listening', { workers: config.workers });
      console.log(banner(config, demoLogins));
    }
  });
  cluster.on('exit', (w: Worker, code, signal) => {
    if (stopping) {
      logger.info('shutdown: worker exited', { worker: w.id, code, signal });
      if (!Object.values(cluster.workers ?? {}).some((other) => other && other !== w && !other.isDead())) {
        logger.info('shutdown: every worker stopped');
        process.exit(exitCode);
      }
      return;
    }
    const now = Date.now();
    restarts.push(now);
    while (restarts.length && restarts[0] < now - RESTART_WINDOW_MS) restarts.shift();
    if (restarts.length > RESTARTS_ALLOWED) {
      logger.error('workers keep dying, stopping', { worker: w.id, code, signal, restarts: restarts.length });
      stopAll('crash loop', 1);
      return;
    }
    logger.error('worker died, starting another', { worker: w.id, code, signal });
    fork();
  });

  const stopAll = (reason: string, code = 0) => {
    stopping = true;
    exitCode = code;
    const workers = Object.values(cluster.workers ?? {}).filter((w): w is Worker => w !== undefined);
    logger.info('shutdown: stopping workers', { reason, workers: workers.length });
    for (const w of workers) w.process.kill('SIGTERM');
    setTimeout(() => {
      logger.error('shutdown: workers still running after 15 s, killing them');
      for (const w of Object.values(cluster.workers ?? {})) w?.process.kill('SIGKILL');
      process.exit(1);
    }, 15_000).unref();
    if (!workers.length) process.exit(code);
  };
  onSignals((signal) => stopAll(signal));
  for (let i = 0; i < config.workers; i++) fork();
}

async function main() {
  const config = loadConfig();
  if (cluster.isWorker) return worker(config);
  const logger = createLogger(config.logLevel, { bindings: config.workers > 1 ? { role: 'primary' } : {} });
  return config.workers > 1 ? primary(config, logger) : single(config, logger);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
