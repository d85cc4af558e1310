import { expect } from 'chai';
import { openDatabase } from '../../server/core/db.js';

describe('core: compiled statements kept by SQL text', () => {
  it('when the same SQL is prepared again then the same statement comes back, with its result modes reset', () => {
    const db = openDatabase(':memory:');
    try {
      db.exec("CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT); INSERT INTO t (name) VALUES ('a'), ('b')");
      const sql = 'SELECT id, name FROM t ORDER BY id';
      const plucked = db.prepare(sql).pluck().all();
      expect(plucked).to.deep.equal([1, 2]);
      expect(db.prepare(sql)).to.equal(db.prepare(sql));
      expect(db.prepare(sql).all()).to.deep.equal([
        { id: 1, name: 'a' },
        { id: 2, name: 'b' },
      ]);
      expect(db.prepare(sql).raw().all()).to.deep.equal([
        [1, 'a'],
        [2, 'b'],
      ]);
      expect(db.prepare(sql).get()).to.deep.equal({ id: 1, name: 'a' });
      // Writers are cached too, and keep working after a schema change.
      const insert = 'INSERT INTO t (name) VALUES (?)';
      db.prepare(insert).run('c');
      db.exec('ALTER TABLE t ADD COLUMN extra TEXT');
      db.prepare(insert).run('d');
      expect(db.prepare('SELECT COUNT(*) FROM t').pluck().get()).to.equal(4);
    } finally {
      db.close();
    }
  });
});
