import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Express } from 'express';
import { CATALOGUES, createApp } from '../../server/app.js';
import { createI18n } from '../../server/core/i18n.js';
import type { MailContext } from '../../server/core/mail-locale.js';
import { loadConfig, type Config } from '../../server/core/config.js';
import { migrate, openDatabase, type DB } from '../../server/core/db.js';
import { createLogger } from '../../server/core/logger.js';
import { mailsWithBareTitles } from './mail-references.js';

export type TestContext = { app: Express; db: DB; config: Config; dir: string; close: () => void };

/** A fresh app on a fresh temporary database and data folder; call close() in after(). */
export function createTestContext(env: Record<string, string> = {}, overrides: Partial<Config> = {}): TestContext {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'coordo-test-'));
  const config: Config = {
    ...loadConfig({ NODE_ENV: 'test', DATA_DIR: dir, LOG_LEVEL: 'silent', DEMO_SEED: 'false', LOGIN_RATE_LIMIT: '1000', BASE_URL: 'http://coordo.test', ...env }),
    passwordCost: 2 ** 10,
    ...overrides,
  };
  fs.mkdirSync(config.uploadDir, { recursive: true });
  const db = openDatabase(config.databasePath);
  migrate(db);
  const app = createApp({ config, db, logger: createLogger('silent'), sessionSecret: 'test-secret-'.padEnd(48, 'x') });
  return {
    app,
    db,
    config,
    dir,
    close: () => {
      // Every mail the test made is held to the posting-reference rule (helpers/mail-references.ts).
      const bare = db.open ? mailsWithBareTitles(db) : [];
      db.close();
      fs.rmSync(dir, { recursive: true, force: true });
      if (bare.length) throw new Error(`mails name a posting without its reference (issue 13):\n${bare.join('\n')}`);
    },
  };
}

/** The mail context a route would give a service (every catalogue, the test's base URL), for tests that call services directly. */
export function mailContext(ctx: TestContext): MailContext {
  return { translator: createI18n([...CATALOGUES]).translator, baseUrl: ctx.config.baseUrl };
}
