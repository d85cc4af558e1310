import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';

/**
 * The one place that reads the environment. Everything else receives a Config.
 * Defaults run out of the box: data in ./data, demo data seeded on an empty database.
 */
const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no', ''])
  .optional()
  .transform((v) => (v === undefined || v === '' ? undefined : ['true', '1', 'yes'].includes(v)));

const unsetIfEmpty = (v: unknown) => (v === '' ? undefined : v);

const EnvSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default('0.0.0.0'),
  BASE_URL: z.string().url().optional(),
  DATA_DIR: z.string().default('./data'),
  DATABASE_PATH: z.string().optional(),
  SESSION_SECRET: z.string().min(32).optional(),
  TRUST_PROXY: bool,
  SMTP_URL: z.string().optional(),
  MAIL_FROM: z.string().default('Coordo <no-reply@coordo.localhost>'),
  DEMO_SEED: bool,
  UPLOAD_MAX_BYTES: z.coerce.number().int().positive().default(5 * 1024 * 1024),
  RETENTION_MONTHS: z.coerce.number().int().min(1, 'must be at least 1 (month after the end of the process)').max(24, 'must be at most 24 (months)').default(3),
  TALENT_POOL_MONTHS: z.coerce.number().int().min(1, 'must be at least 1 (month after the last contact)').max(24, 'must be at most 24 (months, CNIL)').default(24),
  LOGIN_RATE_LIMIT: z.coerce.number().int().positive().default(10),
  // Successful applications per IP per 15 min; raised only to benchmark the apply route.
  APPLY_RATE_LIMIT: z.coerce.number().int().positive().default(10),
  // How long a public page (board, posting, careers page) may be served from memory; 0 turns the cache off.
  PUBLIC_CACHE_SECONDS: z.coerce.number().int().min(0).max(3600).default(60),
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error', 'silent']).default('info'),
  JOBS: bool,
  // Worker processes sharing the port: 'auto' is one per CPU; default auto in production, 1 otherwise.
  WORKERS: z.preprocess(unsetIfEmpty, z.union([z.literal('auto'), z.coerce.number().int().min(1).max(64)]).optional()),
  // Bearer token that /metrics requires; unset turns /metrics off.
  METRICS_TOKEN: z.preprocess(unsetIfEmpty, z.string().min(32, 'must be at least 32 characters').optional()),
  // Where people report an accessibility problem (the accessibility statement prints it).
  ACCESSIBILITY_CONTACT: z.preprocess(unsetIfEmpty, z.string().email('must be an e-mail address').optional()),
});

export type Config = {
  env: 'development' | 'production' | 'test';
  port: number;
  host: string;
  baseUrl: string;
  dataDir: string;
  databasePath: string;
  uploadDir: string;
  sessionSecret?: string;
  trustProxy: boolean;
  smtpUrl?: string;
  mailFrom: string;
  demoSeed: boolean;
  uploadMaxBytes: number;
  retentionMonths: number;
  talentPoolMonths: number;
  loginRateLimit: number;
  applyRateLimit: number;
  logLevel: 'debug' | 'info' | 'warn' | 'error' | 'silent';
  publicCacheSeconds: number;
  runJobs: boolean;
  /** Worker processes (node:cluster) sharing the port; 1 runs the app in the main process. */
  workers: number;
  /** /metrics answers only with `Authorization: Bearer <token>`; undefined: off. */
  metricsToken?: string;
  /** The address the accessibility statement gives for reporting a problem; undefined: the CPTS contacts. */
  accessibilityContact?: string;
  /** scrypt cost; lowered only by tests, the stored hash records its own parameters. */
  passwordCost: number;
};

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new Error(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  const dataDir = path.resolve(e.DATA_DIR);
  return {
    env: e.NODE_ENV,
    port: e.PORT,
    host: e.HOST,
    baseUrl: (e.BASE_URL ?? `http://localhost:${e.PORT}`).replace(/\/$/, ''),
    dataDir,
    databasePath: path.resolve(e.DATABASE_PATH ?? path.join(dataDir, 'coordo.db')),
    uploadDir: path.join(dataDir, 'uploads'),
    sessionSecret: e.SESSION_SECRET,
    trustProxy: e.TRUST_PROXY ?? false,
    smtpUrl: e.SMTP_URL || undefined,
    mailFrom: e.MAIL_FROM,
    // Demo data never lands in production, whatever DEMO_SEED says.
    demoSeed: e.NODE_ENV !== 'production' && (e.DEMO_SEED ?? true),
    uploadMaxBytes: e.UPLOAD_MAX_BYTES,
    retentionMonths: e.RETENTION_MONTHS,
    talentPoolMonths: e.TALENT_POOL_MONTHS,
    loginRateLimit: e.LOGIN_RATE_LIMIT,
    applyRateLimit: e.APPLY_RATE_LIMIT,
    logLevel: e.LOG_LEVEL,
    publicCacheSeconds: e.PUBLIC_CACHE_SECONDS,
    runJobs: e.JOBS ?? true,
    workers: e.WORKERS === 'auto' || (e.WORKERS === undefined && e.NODE_ENV === 'production') ? os.availableParallelism() : (e.WORKERS ?? 1),
    metricsToken: e.METRICS_TOKEN || undefined,
    accessibilityContact: e.ACCESSIBILITY_CONTACT,
    passwordCost: 2 ** 17,
  };
}
