/**
 * Figures kept under table revisions (core/revisions.ts, migration 034). The property: every
 * statement a kept figure runs while it is computed, over every page of every role (routes from
 * the router, as the tenant test crawls them), reads only the tables that figure declares, and
 * each of those tables moves its revision on every insert, update and delete. A query changed to
 * read one more table, or a table whose trigger is dropped, fails here before a page shows stale
 * figures.
 */
import { expect } from 'chai';
import Database from 'better-sqlite3';
import type { Express } from 'express';
import { computingFigure, forgetKept, keptWhile, REVISIONED_TABLES, tablesRevision, type Figure } from '../../server/core/revisions.js';
import { forgetSummaries } from '../../server/features/dashboards/summary.js';
import { createTestContext, type TestContext } from '../helpers/app.js';
import { createRegion, createUser } from '../helpers/factories.js';
import { crawl, seedTenant } from '../helpers/tenant.js';

/** The tables (not indexes) a statement opens for reading, from SQLite's own plan (EXPLAIN's OpenRead). */
function tablesRead(db: TestContext['db'], sql: string): Set<string> {
  const named = [...new Set([...sql.matchAll(/[@:$]([A-Za-z_]\w*)/g)].map((m) => m[1]!))];
  const positional = (sql.replace(/'[^']*'/g, '').match(/\?/g) ?? []).length;
  const explain = db.prepare(`EXPLAIN ${sql}`);
  const rows = (named.length ? explain.all(Object.fromEntries(named.map((n) => [n, null]))) : explain.all(...Array(positional).fill(null))) as { opcode: string; p2: number; p3: number }[];
  const byRoot = new Map((db.prepare("SELECT rootpage, tbl_name FROM sqlite_master WHERE type IN ('table', 'index')").all() as { rootpage: number; tbl_name: string }[]).map((r) => [r.rootpage, r.tbl_name]));
  return new Set(rows.filter((r) => r.opcode === 'OpenRead' && r.p3 === 0).map((r) => byRoot.get(r.p2) ?? `rootpage ${r.p2}`));
}

describe('core: figures kept under table revisions read only the tables they declare', function () {
  this.timeout(300_000);
  let ctx: TestContext;
  afterEach(() => ctx.close());

  it('when every page of every role is visited then each statement of a kept figure reads only its declared tables', async () => {
    ctx = createTestContext();
    const tenant = await seedTenant(ctx);
    const db = ctx.db;
    const seen = new Map<string, { figure: Figure; sql: Set<string> }>();
    const prepare = db.prepare;
    db.prepare = ((sql: string) => {
      const figure = computingFigure();
      if (figure) {
        const entry = seen.get(figure.name) ?? { figure, sql: new Set<string>() };
        entry.sql.add(sql);
        seen.set(figure.name, entry);
      }
      return prepare.call(db, sql);
    }) as typeof db.prepare;
    try {
      for (const role of ['bureau', 'charge', 'admin'] as const) {
        forgetSummaries(db);
        await crawl(ctx.app as Express, tenant, await tenant.login(role));
      }
    } finally {
      db.prepare = prepare;
    }
    expect([...seen.keys()].sort(), 'the kept figures the pages computed').to.include.members(['coordinators-without-mentor', 'pipeline-board', 'regional-dashboard', 'regional-hires']);
    const faults: string[] = [];
    // What moves each figure's revision: the table revisions' triggers (second test), or the posting's.
    const postingTriggers = db.prepare("SELECT tbl_name, sql FROM sqlite_master WHERE type = 'trigger' AND sql LIKE '%INTO posting_revisions%'").all() as { tbl_name: string; sql: string }[];
    for (const { figure } of seen.values()) {
      for (const table of figure.tables) {
        if (figure.revision === 'tables') {
          if (!(REVISIONED_TABLES as readonly string[]).includes(table)) faults.push(`${figure.name} declares ${table}, which has no table revision`);
          continue;
        }
        for (const event of ['INSERT', 'UPDATE', 'DELETE']) {
          if (!postingTriggers.some((tr) => tr.tbl_name === table && new RegExp(`AFTER ${event}\\b`).test(tr.sql))) faults.push(`${figure.name} declares ${table}, whose ${event} does not move the posting's revision`);
        }
      }
    }
    for (const { figure, sql } of seen.values()) {
      for (const statement of sql) {
        for (const table of tablesRead(db, statement)) {
          if (table !== 'table_revisions' && !(figure.tables as readonly string[]).includes(table)) faults.push(`${figure.name} reads ${table}: ${statement.replace(/\s+/g, ' ').slice(0, 160)}`);
        }
      }
    }
    expect(faults).to.deep.equal([]);
  });

  it('when a revisioned table gets an insert, an update or a delete then its revision moves, and a trigger exists for each', async () => {
    ctx = createTestContext();
    const db = ctx.db;
    const triggers = new Set((db.prepare("SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'table_revision_%'").pluck().all() as string[]));
    for (const table of REVISIONED_TABLES) for (const op of ['ins', 'upd', 'del']) expect(triggers.has(`table_revision_${table}_${op}`), `${table} ${op}`).to.equal(true);
    // Each trigger fires on its own table: one of each, through memberships.
    const region = createRegion(db);
    const user = await createUser(db, { email: 'rev@example.test', name: 'Révision' });
    const before = tablesRevision(db, ['memberships']);
    const id = Number(db.prepare("INSERT INTO memberships (user_id, region_id, role, created_at) VALUES (?, ?, 'charge_de_mission', '2026-01-01')").run(user.id, region.id).lastInsertRowid);
    const inserted = tablesRevision(db, ['memberships']);
    db.prepare("UPDATE memberships SET title = 'Chargée' WHERE id = ?").run(id);
    const updated = tablesRevision(db, ['memberships']);
    db.prepare('DELETE FROM memberships WHERE id = ?').run(id);
    const deleted = tablesRevision(db, ['memberships']);
    expect(new Set([before, inserted, updated, deleted]).size).to.equal(4);
    // A column no kept figure reads moves nothing.
    const users = tablesRevision(db, ['users']);
    db.prepare('UPDATE users SET updated_at = ? WHERE id = ?').run('2026-12-01T10:00:00.000Z', user.id);
    expect(tablesRevision(db, ['users'])).to.equal(users);
  });

  it('when a kept figure is asked again then it is served until one of its tables moves, in this process or another, or its extra key changes', async () => {
    ctx = createTestContext();
    const db = ctx.db;
    let computed = 0;
    const figure = (extra = '2026') => keptWhile(db, 'test-figure', 1, ['regions'], extra, () => ({ n: ++computed }));
    expect(figure()).to.deep.equal({ n: 1 });
    expect(figure()).to.deep.equal({ n: 1 });
    expect(() => {
      (figure() as { n: number }).n = 5;
    }, 'a kept value is frozen').to.throw(TypeError);
    createRegion(db);
    expect(figure()).to.deep.equal({ n: 2 });
    // Another connection (another worker, the CLI) writes: this process sees it at once.
    const other = new Database(db.name);
    other.prepare("UPDATE regions SET name = 'Autre nom'").run();
    other.close();
    expect(figure()).to.deep.equal({ n: 3 });
    expect(figure('2027')).to.deep.equal({ n: 4 });
    forgetKept(db);
    expect(figure('2027')).to.deep.equal({ n: 5 });
    expect(computingFigure()).to.equal(undefined);
  });
});
