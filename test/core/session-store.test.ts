import { expect } from 'chai';
import type session from 'express-session';
import { SqliteSessionStore } from '../../server/core/session-store.js';
import { createTestContext, type TestContext } from '../helpers/app.js';

describe('core: SQLite session store', () => {
  let ctx: TestContext;
  beforeEach(() => (ctx = createTestContext()));
  afterEach(() => ctx.close());

  const data = (expires: number) => ({ cookie: { expires: new Date(expires), originalMaxAge: 3600_000 } }) as unknown as session.SessionData;
  const stored = () => ctx.db.prepare('SELECT expires FROM sessions WHERE sid = ?').pluck().get('sid-1') as number;

  it('when a rolling session is touched then the expiry is written only once it moved by more than a minute', () => {
    const store = new SqliteSessionStore(ctx.db);
    const t0 = Date.now() + 3600_000;
    store.set('sid-1', data(t0));
    expect(stored()).to.equal(t0);
    store.touch('sid-1', data(t0 + 30_000));
    expect(stored()).to.equal(t0);
    store.touch('sid-1', data(t0 + 61_000));
    expect(stored()).to.equal(t0 + 61_000);
    store.get('sid-1', (err, sess) => {
      expect(err).to.equal(null);
      expect(sess).to.have.property('cookie');
    });
  });
});
