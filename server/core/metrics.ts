import cluster from 'node:cluster';
import crypto from 'node:crypto';
import fs from 'node:fs';
import type { NextFunction, Request, Response } from 'express';
import { AggregatorRegistry, collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { Config } from './config.js';
import type { DB } from './db.js';

/**
 * Prometheus metrics of one process, and the `/metrics` answer.
 *
 * Each process (worker) counts its own requests and job runs in its own registry; with
 * several workers the one that receives the scrape asks the primary, which gathers every
 * worker's registry over IPC (prom-client's AggregatorRegistry) and sums them. What is read
 * from the database (outbox backlog, database size) is the same for every worker, so it is
 * read once, by the worker answering, and appended.
 */
export class Metrics {
  readonly registry = new Registry();
  readonly httpDuration: Histogram<'method' | 'route' | 'status'>;
  readonly jobRuns: Counter<'job' | 'outcome'>;
  readonly jobDuration: Histogram<'job'>;
  readonly jobItems: Counter<'job' | 'item'>;
  private clustered = false;

  constructor(options: { processMetrics?: boolean } = {}) {
    this.httpDuration = new Histogram({
      name: 'coordo_http_request_duration_seconds',
      help: 'Time from the request to the end of the response, by route pattern.',
      labelNames: ['method', 'route', 'status'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers: [this.registry],
    });
    this.jobRuns = new Counter({ name: 'coordo_job_runs_total', help: 'Background job runs, by outcome (ok, failed).', labelNames: ['job', 'outcome'], registers: [this.registry] });
    this.jobDuration = new Histogram({
      name: 'coordo_job_duration_seconds',
      help: 'Duration of background job runs.',
      labelNames: ['job'],
      buckets: [0.01, 0.1, 1, 10, 60, 300],
      registers: [this.registry],
    });
    this.jobItems = new Counter({
      name: 'coordo_job_items_total',
      help: 'What job runs reported doing (e.g. outbox.send sent / failed).',
      labelNames: ['job', 'item'],
      registers: [this.registry],
    });
    // CPU, memory, event loop lag, handles: only in a real process (tests build many apps).
    if (options.processMetrics) collectDefaultMetrics({ register: this.registry, prefix: 'coordo_' });
  }

  /** In a cluster worker: answer scrapes with every worker's figures, gathered by the primary. */
  shareWithPrimary(): void {
    // Constructing one is what makes prom-client answer the primary's requests in a worker.
    new AggregatorRegistry();
    AggregatorRegistry.setRegistries([this.registry]);
    this.clustered = true;
  }

  /** The figures of every process (one worker: this one). */
  async processFigures(): Promise<string> {
    return this.clustered ? askPrimary() : this.registry.metrics();
  }
}

const ASK = 'coordo:metrics-request';
const ANSWER = 'coordo:metrics-answer';
type Answer = { type: typeof ANSWER; id: number; text?: string; error?: string };

let asked = 0;
const waiting = new Map<number, { resolve: (text: string) => void; reject: (err: Error) => void }>();

function askPrimary(): Promise<string> {
  if (!waiting.size) process.on('message', onAnswer);
  const id = ++asked;
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      settle(id);
      reject(new Error('the primary process did not answer the metrics request'));
    }, 6_000);
    waiting.set(id, {
      resolve: (text) => (clearTimeout(timer), resolve(text)),
      reject: (err) => (clearTimeout(timer), reject(err)),
    });
    process.send?.({ type: ASK, id });
  });
}

function settle(id: number) {
  waiting.delete(id);
  if (!waiting.size) process.off('message', onAnswer);
}

function onAnswer(message: unknown) {
  const m = message as Answer;
  if (m?.type !== ANSWER) return;
  const w = waiting.get(m.id);
  if (!w) return;
  settle(m.id);
  if (m.error !== undefined) w.reject(new Error(m.error));
  else w.resolve(m.text ?? '');
}

/** In the primary: answers the workers' metrics requests with the sum over every worker. */
export function serveClusterMetrics(): void {
  const aggregator = new AggregatorRegistry();
  cluster.on('message', (worker, message: { type?: string; id: number }) => {
    if (message?.type !== ASK) return;
    aggregator.clusterMetrics().then(
      (text) => worker.send({ type: ANSWER, id: message.id, text } satisfies Answer),
      (err: Error) => worker.send({ type: ANSWER, id: message.id, error: err.message } satisfies Answer),
    );
  });
}

/** Figures read from the database at scrape time: the outbox and the file sizes. */
function databaseFigures(db: DB, config: Config): Promise<string> {
  const registry = new Registry();
  const outbox = new Gauge({ name: 'coordo_outbox_messages', help: 'Outbox rows by status (failed: given up after every retry).', labelNames: ['status'], registers: [registry] });
  const retrying = new Gauge({ name: 'coordo_outbox_retrying_messages', help: 'Outbox rows waiting for a retry after a failed attempt.', registers: [registry] });
  const oldest = new Gauge({ name: 'coordo_outbox_oldest_pending_seconds', help: 'Age of the oldest message not yet sent (0: none).', registers: [registry] });
  const size = new Gauge({ name: 'coordo_database_bytes', help: 'Size of the SQLite database file and its write-ahead log.', labelNames: ['file'], registers: [registry] });
  const counts = db.prepare('SELECT status, COUNT(*) AS n FROM outbox GROUP BY status').all() as { status: string; n: number }[];
  for (const status of ['pending', 'sending', 'sent', 'failed']) outbox.set({ status }, counts.find((c) => c.status === status)?.n ?? 0);
  retrying.set(db.prepare("SELECT COUNT(*) FROM outbox WHERE status = 'pending' AND attempts > 0").pluck().get() as number);
  const first = db.prepare("SELECT MIN(created_at) FROM outbox WHERE status IN ('pending', 'sending')").pluck().get() as string | null;
  oldest.set(first ? Math.max(0, (Date.now() - Date.parse(first)) / 1000) : 0);
  size.set({ file: 'db' }, fileSize(config.databasePath));
  size.set({ file: 'wal' }, fileSize(`${config.databasePath}-wal`));
  return registry.metrics();
}

function fileSize(file: string): number {
  try {
    return fs.statSync(file).size;
  } catch {
    return 0;
  }
}

const digest = (s: string) => crypto.createHash('sha256').update(s).digest();

/**
 * `GET /metrics`: off (404) unless METRICS_TOKEN is set, then only with
 * `Authorization: Bearer <token>` (401 otherwise); the reverse proxy also refuses it from outside.
 */
export function metricsHandler(deps: { db: DB; config: Config; metrics: Metrics }) {
  const expected = deps.config.metricsToken ? digest(deps.config.metricsToken) : undefined;
  return async (req: Request, res: Response, next: NextFunction) => {
    res.set('Cache-Control', 'no-store');
    if (!expected) return res.status(404).type('text/plain').send('Not Found');
    const given = /^Bearer (.+)$/.exec(req.get('authorization') ?? '')?.[1];
    if (!given || !crypto.timingSafeEqual(digest(given), expected)) {
      return res.status(401).set('WWW-Authenticate', 'Bearer realm="metrics"').type('text/plain').send('Unauthorized');
    }
    try {
      const [figures, database] = await Promise.all([deps.metrics.processFigures(), databaseFigures(deps.db, deps.config)]);
      res.type(deps.metrics.registry.contentType).send(`${figures.trimEnd()}\n${database}`);
    } catch (err) {
      next(err);
    }
  };
}
