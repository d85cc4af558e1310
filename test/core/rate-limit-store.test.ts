import { expect } from 'chai';
import type { Options } from 'express-rate-limit';
import { createApp } from '../../server/app.js';
import { openDatabase, type DB } from '../../server/core/db.js';
import { createLogger } from '../../server/core/logger.js';
import { pruneRateLimits, SqliteRateLimitStore } from '../../server/core/rate-limit-store.js';
import { anonymous, submitForm } from '../helpers/agent.js';
import { createTestContext, type TestContext } from '../helpers/app.js';

const WINDOW = 15 * 60_000;
const storeOn = (db: DB, name: string) => {
  const store = new SqliteRateLimitStore(db, name);
  store.init({ windowMs: WINDOW } as Options);
  return store;
};

describe('core: rate limits kept in SQLite', () => {
  let ctx: TestContext;
  beforeEach(() => (ctx = createTestContext({ LOGIN_RATE_LIMIT: '3' })));
  afterEach(() => ctx.close());

  it('when failed logins alternate between two apps on one database (two workers) then the limit counts them together', async () => {
    const otherDb = openDatabase(ctx.config.databasePath);
    try {
      const other = createApp({ config: ctx.config, db: otherDb, logger: createLogger('silent'), sessionSecret: 'test-secret-'.padEnd(48, 'x') });
      const agents = [anonymous(ctx.app), anonymous(other)];
      const statuses: number[] = [];
      for (let i = 0; i < 4; i++) statuses.push((await submitForm(agents[i % 2], '/connexion', { email: 'x@example.test', password: 'wrong password' })).status);
      expect(statuses).to.deep.equal([401, 401, 401, 429]);
    } finally {
      otherDb.close();
    }
  });

  it('when a window ends then the count starts again; decrement and reset change only that key of that limiter', () => {
    const login = storeOn(ctx.db, 'login');
    const apply = storeOn(ctx.db, 'apply');
    expect(login.increment('1.2.3.4').totalHits).to.equal(1);
    const second = login.increment('1.2.3.4');
    expect(second.totalHits).to.equal(2);
    expect(second.resetTime!.getTime()).to.be.greaterThan(Date.now() + WINDOW - 60_000);
    expect(apply.increment('1.2.3.4').totalHits, 'another limiter, its own count').to.equal(1);
    login.decrement('1.2.3.4');
    expect(login.get('1.2.3.4')?.totalHits).to.equal(1);

    ctx.db.prepare("UPDATE rate_limits SET reset_at = ? WHERE key = 'login:1.2.3.4'").run(Date.now() - 1);
    expect(login.get('1.2.3.4'), 'ended window').to.equal(undefined);
    expect(login.increment('1.2.3.4').totalHits, 'new window').to.equal(1);

    login.resetKey('1.2.3.4');
    expect(login.get('1.2.3.4')).to.equal(undefined);
    expect(apply.get('1.2.3.4')?.totalHits).to.equal(1);
    login.increment('5.6.7.8');
    login.resetAll();
    expect(login.get('5.6.7.8')).to.equal(undefined);
    expect(apply.get('1.2.3.4')?.totalHits, 'resetAll is per limiter').to.equal(1);
  });

  it('when the prune job runs then only ended windows are removed', () => {
    const login = storeOn(ctx.db, 'login');
    login.increment('old');
    login.increment('live');
    ctx.db.prepare("UPDATE rate_limits SET reset_at = ? WHERE key = 'login:old'").run(Date.now() - 1);
    expect(pruneRateLimits(ctx.db)).to.equal(1);
    expect(ctx.db.prepare('SELECT key FROM rate_limits').pluck().all()).to.deep.equal(['login:live']);
  });
});
