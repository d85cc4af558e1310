import type { Store } from 'express-rate-limit';
import type { Config } from './config.js';
import type { DB } from './db.js';
import type { createI18n } from './i18n.js';
import type { Logger } from './logger.js';
import type { Metrics } from './metrics.js';
import type { PageCache } from './page-cache.js';

/** What the process hands to `createApp` (server/app.ts); tests build their own. */
export type AppDeps = {
  config: Config;
  db: DB;
  logger: Logger;
  sessionSecret: string;
  /** The process's metrics (server/main.ts shares them with the other workers); default: new ones. */
  metrics?: Metrics;
};

/**
 * Everything a feature's router needs; built once per app. It lives in core/ so that the
 * features depend on core only: app.ts imports every feature, and a feature importing app.ts
 * for this type made an import circle through the whole app.
 */
export type AppContext = AppDeps & {
  i18n: ReturnType<typeof createI18n>;
  pageCache: PageCache;
  metrics: Metrics;
  /**
   * A store for an express-rate-limit limiter (`rateLimit({ ..., store: ctx.rateLimitStore('login') })`):
   * counts kept in SQLite, so a limit holds across worker processes. One call per limiter, each
   * with its own name.
   */
  rateLimitStore: (name: string) => Store;
};
