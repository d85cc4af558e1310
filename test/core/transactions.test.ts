import { expect } from 'chai';
import { openDatabase } from '../../server/core/db.js';
import { createTestContext, type TestContext } from '../helpers/app.js';

describe('core: write transactions across processes', () => {
  let ctx: TestContext;
  beforeEach(() => (ctx = createTestContext()));
  afterEach(() => ctx.close());

  it('when a transaction reads, another worker writes, then it writes then it still commits (BEGIN IMMEDIATE)', () => {
    const other = openDatabase(ctx.config.databasePath);
    other.pragma('busy_timeout = 20');
    try {
      ctx.db.exec('CREATE TABLE counters (id INTEGER PRIMARY KEY, n INTEGER NOT NULL)');
      ctx.db.prepare('INSERT INTO counters (id, n) VALUES (1, 0)').run();
      let otherWrite: unknown;
      ctx.db.transaction(() => {
        const n = ctx.db.prepare('SELECT n FROM counters WHERE id = 1').pluck().get() as number;
        // Another process's write in between: it waits for our lock instead of invalidating our read.
        try {
          other.prepare('UPDATE counters SET n = n + 100 WHERE id = 1').run();
        } catch (err) {
          otherWrite = err;
        }
        ctx.db.prepare('UPDATE counters SET n = ? WHERE id = 1').run(n + 1);
      })();
      expect((otherWrite as { code?: string })?.code).to.equal('SQLITE_BUSY');
      expect(other.prepare('SELECT n FROM counters WHERE id = 1').pluck().get()).to.equal(1);
    } finally {
      other.close();
    }
  });

  it('when transactions nest then the inner one is a savepoint of the outer', () => {
    ctx.db.exec('CREATE TABLE notes (v TEXT)');
    const inner = ctx.db.transaction(() => {
      ctx.db.prepare("INSERT INTO notes VALUES ('inner')").run();
      throw new Error('inner fails');
    });
    ctx.db.transaction(() => {
      ctx.db.prepare("INSERT INTO notes VALUES ('outer')").run();
      expect(() => inner()).to.throw('inner fails');
    })();
    expect(ctx.db.prepare('SELECT v FROM notes').pluck().all()).to.deep.equal(['outer']);
  });
});
