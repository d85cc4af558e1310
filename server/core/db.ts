import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';

export type DB = Database.Database;

const here = path.dirname(fileURLToPath(import.meta.url));
export const MIGRATIONS_DIR = path.resolve(here, '../../db/migrations');

export function openDatabase(file: string): DB {
  if (file !== ':memory:') fs.mkdirSync(path.dirname(file), { recursive: true });
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  db.pragma('synchronous = NORMAL');
  // Deleted rows are overwritten with zeros, so an erased person's data does not linger in free
  // pages of the file (erasure then checkpoints the WAL: see checkpointAfterErasure).
  db.pragma('secure_delete = ON');
  cacheStatements(db);
  immediateTransactions(db);
  return db;
}

/**
 * `db.transaction(fn)()` starts with BEGIN IMMEDIATE (the write lock, waiting up to
 * busy_timeout) instead of better-sqlite3's default BEGIN (deferred). With several worker
 * processes, a deferred transaction that reads and then writes fails at once with "database
 * is locked" (SQLITE_BUSY_SNAPSHOT, no busy wait) when another process committed since its
 * read: measured as 500s on the application form under load with two workers. Nested calls
 * still use savepoints; `.deferred()` stays available for a read-only transaction.
 */
function immediateTransactions(db: DB): void {
  const make = db.transaction.bind(db);
  db.transaction = ((fn: (...args: unknown[]) => unknown) => {
    const tx = make(fn);
    return Object.assign((...args: unknown[]) => tx.immediate(...args), {
      default: tx.immediate,
      deferred: tx.deferred,
      immediate: tx.immediate,
      exclusive: tx.exclusive,
      database: db,
    });
  }) as unknown as DB['transaction'];
}

const STATEMENT_CACHE_SIZE = 2_000;

/**
 * Queries are written inline (`db.prepare(sql).all(...)`) next to the code that reads them;
 * compiling the same SQL on every call costs tens of microseconds each, a dozen times per
 * page. `prepare` keeps the compiled statements by SQL text (bounded, least recently used
 * dropped) and hands one back with its result modes reset (pluck, raw and expand are
 * per-statement switches a caller may have turned on). Nothing in the app iterates a statement
 * lazily (`iterate`), so a statement is never handed out while it is still running.
 */
function cacheStatements(db: DB): void {
  const compile = db.prepare.bind(db);
  const cache = new Map<string, Database.Statement>();
  db.prepare = ((sql: string) => {
    let stmt = cache.get(sql);
    if (stmt) {
      cache.delete(sql);
      if (stmt.reader) stmt.pluck(false).raw(false).expand(false);
    } else {
      stmt = compile(sql);
    }
    cache.set(sql, stmt);
    if (cache.size > STATEMENT_CACHE_SIZE) cache.delete(cache.keys().next().value as string);
    return stmt;
  }) as DB['prepare'];
}

/**
 * Forward-only migrations: files named NNN_name.sql, applied in order, each in its own
 * transaction. The `schema_migrations` table records every file applied, so a migration
 * merged after a higher-numbered one is still applied; PRAGMA user_version mirrors the
 * highest number for quick inspection.
 *
 * A file whose first line is `-- migrate: foreign_keys off` rebuilds a table the SQLite way
 * (https://sqlite.org/lang_altertable.html#otheralter): dropping a parent table with foreign
 * keys on would run its ON DELETE CASCADE on every child row. Such a file runs with foreign
 * keys off (the pragma is a no-op inside a transaction, so it is set around it), and
 * `foreign_key_check` must come back empty before it commits.
 */
export function migrate(db: DB, dir = MIGRATIONS_DIR): number {
  const files = fs
    .readdirSync(dir)
    .filter((f) => /^\d{3}_[\w-]+\.sql$/.test(f))
    .sort();
  const hasTable = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'").get();
  if (!hasTable) {
    db.transaction(() => {
      db.exec('CREATE TABLE schema_migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)');
      // A database migrated before this table existed recorded only user_version.
      const version = db.pragma('user_version', { simple: true }) as number;
      const insert = db.prepare('INSERT INTO schema_migrations (name, applied_at) VALUES (?, ?)');
      for (const f of files) if (Number(f.slice(0, 3)) <= version) insert.run(f, nowIso());
    })();
  }
  const done = new Set((db.prepare('SELECT name FROM schema_migrations').all() as { name: string }[]).map((r) => r.name));
  let applied = 0;
  for (const file of files) {
    if (done.has(file)) continue;
    const sql = fs.readFileSync(path.join(dir, file), 'utf8');
    const rebuild = /^-- migrate: foreign_keys off\s*$/m.test(sql.split('\n', 1)[0] ?? '');
    const foreignKeys = db.pragma('foreign_keys', { simple: true }) as number;
    if (rebuild) db.pragma('foreign_keys = OFF');
    try {
      db.transaction(() => {
        db.exec(sql);
        if (rebuild) {
          const broken = db.pragma('foreign_key_check') as unknown[];
          if (broken.length) throw new Error(`migration ${file} leaves ${broken.length} broken foreign key(s)`);
        }
        db.prepare('INSERT INTO schema_migrations (name, applied_at) VALUES (?, ?)').run(file, nowIso());
        const version = Number(file.slice(0, 3));
        if (version > (db.pragma('user_version', { simple: true }) as number)) db.pragma(`user_version = ${version}`);
      })();
    } finally {
      if (rebuild) db.pragma(`foreign_keys = ${foreignKeys ? 'ON' : 'OFF'}`);
    }
    applied++;
  }
  return applied;
}

/**
 * Copies the WAL into the database file and truncates it, so the page images written before an
 * erasure (which still hold the erased rows) leave the disk. A reader holding an old snapshot
 * can keep part of the WAL alive: the result says whether the checkpoint completed.
 */
export function checkpointAfterErasure(db: DB): boolean {
  if (db.memory) return true;
  const [row] = db.pragma('wal_checkpoint(TRUNCATE)') as { busy: number; log: number; checkpointed: number }[];
  return row !== undefined && row.busy === 0;
}

export function nowIso(date = new Date()): string {
  return date.toISOString();
}
