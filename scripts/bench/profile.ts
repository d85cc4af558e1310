/**
 * `tsx scripts/bench/profile.ts <data folder> [path ...]`: where a page's time goes on a bench
 * dataset (BENCH_KEEP=1 npm run bench keeps one). Builds the app in-process, logs in as the
 * bench president or chargé·e, requests each path a few times and prints the slowest SQL
 * statements and the render time left over. Runs in test mode: production cookies are Secure and
 * supertest speaks plain HTTP.
 */
import path from 'node:path';
import Database from 'better-sqlite3';
import request from 'supertest';
import { createApp } from '../../server/app.js';
import { loadConfig } from '../../server/core/config.js';
import { migrate, openDatabase } from '../../server/core/db.js';
import { createLogger } from '../../server/core/logger.js';
import { BENCH_PASSWORD } from './generate.js';

type Stat = { ms: number; calls: number };
const stats = new Map<string, Stat>();
const proto = Database.prototype as unknown as { prepare: (sql: string) => Record<string, unknown> };
const originalPrepare = proto.prepare;
proto.prepare = function (this: unknown, sql: string) {
  const stmt = originalPrepare.call(this, sql);
  for (const method of ['get', 'all', 'run', 'iterate'] as const) {
    const fn = stmt[method] as ((...args: unknown[]) => unknown) | undefined;
    if (typeof fn !== 'function') continue;
    stmt[method] = function (this: unknown, ...args: unknown[]) {
      const t = performance.now();
      try {
        return fn.apply(this, args);
      } finally {
        const key = sql.replace(/\s+/g, ' ').slice(0, 160);
        const s = stats.get(key) ?? { ms: 0, calls: 0 };
        s.ms += performance.now() - t;
        s.calls++;
        stats.set(key, s);
      }
    };
  }
  return stmt;
};

const [dataDir, ...paths] = process.argv.slice(2);
const config = { ...loadConfig({ NODE_ENV: 'test', DATA_DIR: dataDir, LOG_LEVEL: 'silent', DEMO_SEED: 'false' }) };
const db = openDatabase(path.join(dataDir, 'coordo.db'));
// A kept dataset may predate the latest migrations (the app migrates it when it starts, too).
migrate(db);
const app = createApp({ config, db, logger: createLogger('silent'), sessionSecret: 'profile-secret-'.padEnd(48, 'x') });

async function agentFor(email: string) {
  const agent = request.agent(app);
  const page = await agent.get('/connexion').set('x-forwarded-proto', 'https');
  const token = /name="_csrf" value="([^"]+)"/.exec(page.text)![1];
  await agent.post('/connexion').set('x-forwarded-proto', 'https').type('form').send({ _csrf: token, email, password: BENCH_PASSWORD });
  return agent;
}

const bureau = await agentFor('u1-0@bench.coordo.test');
// PROFILE_CHARGE: the chargé·e of another region (charge3@… has the 300-CPTS region).
const charge = await agentFor(process.env.PROFILE_CHARGE ?? 'charge1@bench.coordo.test');
for (const p of paths) {
  const agent = p.startsWith('/regions') ? charge : bureau;
  await agent.get(p).set('x-forwarded-proto', 'https');
  stats.clear();
  const runs = Number(process.env.PROFILE_RUNS ?? 3);
  const t = performance.now();
  let size = 0;
  for (let i = 0; i < runs; i++) {
    const res = await agent.get(p).set('x-forwarded-proto', 'https');
    if (res.status !== 200) throw new Error(`${p} answered ${res.status}`);
    size = res.text.length;
  }
  const total = (performance.now() - t) / runs;
  const sql = [...stats.values()].reduce((s, x) => s + x.ms, 0) / runs;
  console.log(`\n${p}: ${total.toFixed(1)} ms per request, SQL ${sql.toFixed(1)} ms, ${(size / 1024).toFixed(0)} KB`);
  for (const [k, s] of [...stats].sort((a, b) => b[1].ms - a[1].ms).slice(0, Number(process.env.PROFILE_TOP ?? 6))) console.log(`  ${(s.ms / runs).toFixed(1)} ms  ×${s.calls / runs}  ${k}`);
}
db.close();
