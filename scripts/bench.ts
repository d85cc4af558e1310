/**
 * `npm run bench`: the national-scale benchmark (issues 8 and 18). Builds the dataset into a
 * temporary data folder; then, with 1 worker process and with one per CPU, starts the two
 * references (a bare Express "hello" and a bare Express + multer upload that syncs the file,
 * each with as many processes as the app) and the real app (production mode, no jobs, access
 * log on), measures each target with autocannon, and judges every goal as a ratio to a
 * reference of the same run. With 1 worker it also measures how the board and the ranking grow
 * with the candidates of a posting (50, 500, 5,000) and the regional dashboard with the CPTS
 * of a region (10, 77, 300). Writes a dated section to docs/benchmarks.md.
 *
 * Options (environment): BENCH_SECONDS (default 10 per target), BENCH_SEED, BENCH_KEEP=1 to keep
 * the data folder, BENCH_NO_WRITE=1 to print without touching docs/benchmarks.md. While working on
 * one page: BENCH_ONLY=<regular expression on the target names> measures only those (never
 * written to docs/benchmarks.md), BENCH_DATA=<a kept folder> reuses its dataset (copied first),
 * BENCH_CPU_PROF=<folder> has the app write a V8 CPU profile (open it in Chrome's DevTools).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { minimalPdf } from '../server/demo/pdf.js';
import { BENCH_PASSWORD, generate, SHAPE } from './bench/generate.js';
import { load, wireSize, type Measure } from './bench/measure.js';
import { measurePoolSearch, POOL_QUERIES } from './bench/pool.js';
import { measureCalibration } from './bench/calibration.js';
import { migrate, openDatabase } from '../server/core/db.js';
import { refreshStaleSummaries } from '../server/features/calibration/summaries.js';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const SEED = Number(process.env.BENCH_SEED ?? 20261123);
const ROOT = path.resolve(import.meta.dirname, '..');
const PDF_BYTES = 2 * 1024 * 1024;

const KB = 1024;
const fitsPage = (wire: number | undefined) => wire === undefined || wire <= 60 * KB;
const WORKER_COUNTS = [...new Set([1, Number(process.env.BENCH_WORKERS ?? os.availableParallelism())])];

type Started = { child: ChildProcess; output: () => string; stop: () => Promise<void> };

/** Starts a process and resolves once its output matches `ready`; later output is drained, not kept. */
function startProcess(args: string[], env: Record<string, string>, ready: RegExp): Promise<Started> {
  const child = spawn(process.execPath, args, { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let keep = true;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`not ready in 90 s:\n${out}`)), 90_000);
    const onData = (chunk: Buffer) => {
      if (!keep) return;
      out += chunk.toString();
      if (ready.test(out)) {
        clearTimeout(timer);
        keep = false;
        resolve({
          child,
          output: () => out,
          stop: async () => {
            if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
            await exited;
          },
        });
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.on('exit', (code) => reject(new Error(`exited (${code}) before ready:\n${out}`)));
  });
}

async function freePort(): Promise<number> {
  const net = await import('node:net');
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as import('node:net').AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

/** Cookie jar of one session, over fetch; production cookies are Secure, so we come "through" a TLS proxy. */
class Session {
  cookies = new Map<string, string>();
  constructor(readonly base: string) {}
  get headers(): Record<string, string> {
    return { cookie: [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; '), 'x-forwarded-proto': 'https' };
  }
  async fetch(p: string, init: RequestInit = {}) {
    const res = await fetch(this.base + p, { ...init, headers: { ...this.headers, ...(init.headers as Record<string, string>) }, redirect: 'manual' });
    for (const line of res.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const eq = pair.indexOf('=');
      this.cookies.set(pair.slice(0, eq), pair.slice(eq + 1));
    }
    return res;
  }
  async token(p: string): Promise<string> {
    const html = await (await this.fetch(p)).text();
    const m = /name="_csrf" value="([^"]+)"/.exec(html);
    if (!m) throw new Error(`no CSRF token on ${p}`);
    return m[1];
  }
  async login(email: string) {
    const token = await this.token('/connexion');
    const res = await this.fetch('/connexion', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ _csrf: token, email, password: BENCH_PASSWORD }).toString(),
    });
    if (res.status !== 303 && res.status !== 302) throw new Error(`login of ${email} failed: ${res.status}`);
  }
}

function multipart(fields: Record<string, string>, file: { field: string; name: string; type: string; data: Buffer }) {
  const boundary = `----coordo-bench-${crypto.randomBytes(8).toString('hex')}`;
  const parts: Buffer[] = [];
  for (const [k, v] of Object.entries(fields)) parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`));
  parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${file.field}"; filename="${file.name}"\r\nContent-Type: ${file.type}\r\n\r\n`), file.data, Buffer.from(`\r\n--${boundary}--\r\n`));
  return { body: Buffer.concat(parts), contentType: `multipart/form-data; boundary=${boundary}` };
}

function machine(): string {
  const cpus = os.cpus();
  const sqlite = (new Database(':memory:').prepare('SELECT sqlite_version() AS v').get() as { v: string }).v;
  return `${cpus.length} × ${cpus[0]?.model ?? 'unknown CPU'}, ${(os.totalmem() / 1024 ** 3).toFixed(1)} GB RAM, ${os.type()} ${os.release()} (${os.arch()}), Node ${process.version}, SQLite ${sqlite}`;
}

const fmt = (n: number, d = 0) => (Number.isFinite(n) ? n.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d }) : '–');

type Dataset = Awaited<ReturnType<typeof generate>>;

/** One measured row of the table. */
type Row = { name: string; workers: number; connections: number; m: Measure; reference?: { name: string; rps: number }; wire?: string };
/** One goal, judged on ratios of the same run. */
type Goal = { goal: string; measured: string; ok: boolean };

const pct = (x: number) => `${fmt(x * 100, x < 0.1 ? 1 : 0)} %`;

async function main() {
  const started = Date.now();
  // How busy the machine was before the run: other work on it moves every absolute figure.
  const loadBefore = os.loadavg()[0];
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'coordo-bench-'));
  const children: Started[] = [];
  const cleanup = () => {
    for (const c of children) if (c.child.exitCode === null) c.child.kill('SIGKILL');
    if (!process.env.BENCH_KEEP) fs.rmSync(dataDir, { recursive: true, force: true });
  };
  process.on('SIGINT', () => {
    cleanup();
    process.exit(130);
  });
  try {
    let ds: Dataset;
    let generationSeconds: number;
    if (process.env.BENCH_DATA) {
      console.log(`Reusing the dataset of ${process.env.BENCH_DATA} (copied into ${dataDir}) ...`);
      for (const f of ['coordo.db', 'coordo.db-wal', 'dataset.json']) {
        if (fs.existsSync(path.join(process.env.BENCH_DATA, f))) fs.copyFileSync(path.join(process.env.BENCH_DATA, f), path.join(dataDir, f));
      }
      ({ ds, generationSeconds } = JSON.parse(fs.readFileSync(path.join(dataDir, 'dataset.json'), 'utf8')) as { ds: Dataset; generationSeconds: number });
      if (!ds.scalePostings) throw new Error('that dataset predates the scale postings and regions: generate a new one');
    } else {
      console.log(`Generating the national dataset (seed ${SEED}) into ${dataDir} ...`);
      const t0 = Date.now();
      ds = await generate(path.join(dataDir, 'coordo.db'), SEED);
      generationSeconds = (Date.now() - t0) / 1000;
      console.log(`  done in ${generationSeconds.toFixed(1)} s:`, ds.counts);
      fs.writeFileSync(path.join(dataDir, 'dataset.json'), JSON.stringify({ ds, generationSeconds }));
    }

    const only = process.env.BENCH_ONLY ? new RegExp(process.env.BENCH_ONLY, 'i') : undefined;
    const profileDir = process.env.BENCH_CPU_PROF ? path.resolve(process.env.BENCH_CPU_PROF) : undefined;
    const pdf = Buffer.concat([minimalPdf(['Curriculum vitae', 'Benchmark']), crypto.randomBytes(PDF_BYTES - 2000)]).subarray(0, PDF_BYTES);
    const secret = crypto.randomBytes(32).toString('hex');
    const rows: Row[] = [];
    const goals: Goal[] = [];
    const byCandidates = (n: number) => ds.scalePostings.find((p) => p.candidates === n)!.postingId;
    const region = (cpts: number) => ds.scaleRegions.find((r) => r.cpts === cpts)!;
    const bigId = byCandidates(SHAPE.bigPostingCandidates);

    const measure = async (row: Omit<Row, 'm'>, opts: Parameters<typeof load>[0]) => {
      console.log(`${row.name} (${row.workers} worker${row.workers > 1 ? 's' : ''}): ${SECONDS} s, ${opts.connections} connections ...`);
      const m = await load(opts);
      console.log(`  ${fmt(m.rps)} req/s, p50 ${m.p50} ms, p95 ${m.p95} ms, p99 ${m.p99} ms, errors ${m.errors}, non-2xx ${m.non2xx}`);
      rows.push({ ...row, m });
      return m;
    };

    // ---- panel calibration of a region, in process, before any server loads the machine ----
    const calibrationName = 'regional calibration page (in process)';
    if (!only || only.test(calibrationName)) {
      console.log(`${calibrationName}: regions of ${ds.scaleRegions.map((r) => r.cpts).join(', ')} CPTS ...`);
      for (const c of measureCalibration(path.join(dataDir, 'coordo.db'), ds.scaleRegions)) {
        console.log(
          `  ${c.cpts} CPTS: after a change on a typical recruitment ${fmt(c.typicalMs, 1)} ms, on the largest ${fmt(c.largestMs, 1)} ms, served again ${fmt(c.cachedMs, 1)} ms, cold ${fmt(c.coldMs, 0)} ms (${c.criteria} criteria, ${c.postings} recruitments, ${c.candidates} candidates)`,
        );
        const at = (ms: number) => ({ rps: 1000 / ms, p50: ms, p95: ms, p99: ms, requests: 1, errors: 0, non2xx: 0 });
        const wire = `– (${fmt(c.candidates)} candidates, ${fmt(c.postings)} recruitments)`;
        rows.push({ name: `${calibrationName}, region of ${c.cpts} CPTS, after a change on a typical recruitment (${c.typicalEvaluations} evaluations; median of 7)`, workers: 1, connections: 1, m: at(c.typicalMs), wire });
        rows.push({ name: `${calibrationName}, region of ${c.cpts} CPTS, after a change on its largest recruitment (${fmt(c.largestEvaluations)} evaluations; median of 7)`, workers: 1, connections: 1, m: at(c.largestMs), wire });
        rows.push({ name: `${calibrationName}, region of ${c.cpts} CPTS, served again (median of 7)`, workers: 1, connections: 1, m: at(c.cachedMs), wire });
        rows.push({ name: `${calibrationName}, region of ${c.cpts} CPTS, cold: every recruitment computed (best of 2)`, workers: 1, connections: 1, m: at(c.coldMs), wire });
        goals.push({
          goal: `calibration of a region of ${c.cpts} CPTS: well under 100 ms`,
          measured: `after a change on a typical recruitment ${fmt(c.typicalMs, 1)} ms, on its largest (${fmt(c.largestEvaluations)} evaluations) ${fmt(c.largestMs, 1)} ms, served again ${fmt(c.cachedMs, 1)} ms; cold (once per copy of the data) ${fmt(c.coldMs, 0)} ms`,
          ok: c.typicalMs < 100,
        });
      }
    }

    // Every recruitment's calibration summary computed before any server starts: otherwise the
    // app's background job would compute the dataset's 10,000 during the page rows below.
    {
      const db = openDatabase(path.join(dataDir, 'coordo.db'));
      migrate(db);
      const t0 = performance.now();
      const n = refreshStaleSummaries(db, Infinity);
      db.close();
      if (n) console.log(`calibration summaries computed for ${fmt(n)} recruitments in ${fmt((performance.now() - t0) / 1000, 1)} s`);
    }

    // ---- the regional pool's full-text search, in process, before any server loads the machine ----
    const poolName = 'regional pool search (in process, one at a time)';
    if (!only || only.test(poolName)) {
      console.log(`${poolName}: ${POOL_QUERIES.length + 1} queries × 3 regions × 5 rounds ...`);
      const pool = measurePoolSearch(path.join(dataDir, 'coordo.db'), ds.scaleRegions);
      console.log(`  p50 ${fmt(pool.m.p50, 1)} ms, p95 ${fmt(pool.m.p95, 1)} ms, p99 ${fmt(pool.m.p99, 1)} ms over ${pool.searches} searches`);
      rows.push({ name: `${poolName}, regions of 10, 77 and 300 CPTS`, workers: 1, connections: 1, m: pool.m, wire: `– (${fmt(pool.matched)} matches a round)` });
      goals.push({ goal: 'regional pool search over the national dataset: p95 ≤ 50 ms', measured: `p95 ${fmt(pool.m.p95, 1)} ms (p50 ${fmt(pool.m.p50, 1)}, p99 ${fmt(pool.m.p99, 1)}; ${fmt(ds.counts.region_pool_fts ?? 0)} shared applications)`, ok: pool.m.p95 <= 50 });
    }

    for (const workers of WORKER_COUNTS) {
      // ---- the references, with as many processes as the app --------------------------------
      const reference = async (kind: 'hello' | 'upload') => {
        const port = await freePort();
        const p = await startProcess(['--import', 'tsx', 'scripts/bench/reference.ts'], { REFERENCE: kind, REFERENCE_WORKERS: String(workers), PORT: String(port) }, new RegExp(`${kind} listening`));
        children.push(p);
        return { p, base: `http://127.0.0.1:${port}` };
      };
      const hello = await reference('hello');
      const helloM = await measure({ name: 'bare Express hello (reference for pages)', workers, connections: 50 }, { url: `${hello.base}/`, connections: 50, seconds: SECONDS });
      await hello.p.stop();
      const helloRef = { name: 'hello', rps: helloM.rps };

      // ---- the app ---------------------------------------------------------------------------
      const appPort = await freePort();
      const app = await startProcess(
        [...(profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : []), '--import', 'tsx', 'server/main.ts'],
        {
          NODE_ENV: 'production',
          WORKERS: String(workers),
          JOBS: 'false',
          DEMO_SEED: 'false',
          DATA_DIR: dataDir,
          PORT: String(appPort),
          HOST: '127.0.0.1',
          // As in production: one access line per request (read and dropped by this process).
          LOG_LEVEL: 'info',
          TRUST_PROXY: 'true',
          SESSION_SECRET: secret,
          APPLY_RATE_LIMIT: '1000000',
          SMTP_URL: '',
        },
        /Coordo écoute sur/,
      );
      children.push(app);
      const base = `http://127.0.0.1:${appPort}`;
      const bureau = new Session(base);
      await bureau.login(ds.bureauEmail);
      const charges = new Map<number, Session>();
      for (const r of ds.scaleRegions) {
        const s = new Session(base);
        await s.login(r.chargeEmail);
        charges.set(r.cpts, s);
      }
      const candidate = new Session(base);
      const applyToken = await candidate.token(`/offres/${ds.bigPostingSlug}/postuler`);
      // Every request is a new candidate (a new address): the path that creates an application,
      // its documents, its acknowledgement and its rows, not the "already applied" one.
      const EMAIL_DIGITS = '000000000';
      const form = multipart(
        { _csrf: applyToken, first_name: 'Camille', last_name: 'Banc', email: `banc.${EMAIL_DIGITS}@bench.coordo.test`, phone: '06 12 34 56 78', message: 'Candidature de charge.', source: 'board' },
        { field: 'cv', name: 'cv.pdf', type: 'application/pdf', data: pdf },
      );
      const emailAt = form.body.indexOf(`banc.${EMAIL_DIGITS}@`) + 'banc.'.length;
      const newCandidate = (body: Buffer, n: number) => {
        body.write(`${workers}${String(n).padStart(EMAIL_DIGITS.length - 1, '0')}`.slice(0, EMAIL_DIGITS.length), emailAt, 'latin1');
      };

      const page = async (name: string, p: string, session: Session, connections: number) => {
        if (only && !only.test(name)) return undefined;
        for (let i = 0; i < 3; i++) await session.fetch(p);
        const wire = await wireSize(base + p, session.headers);
        if (wire.status !== 200) throw new Error(`${p} answered ${wire.status}`);
        const wireCell = `${fmt(wire.wire / KB, 1)} KB (${wire.encoding})`;
        const m = await measure({ name, workers, connections, reference: helloRef, wire: wireCell }, { url: base + p, connections, seconds: SECONDS, headers: { ...session.headers, 'accept-encoding': 'gzip' } });
        return { m, wire: wire.wire };
      };
      const w = `${workers} worker${workers > 1 ? 's' : ''}`;
      const ratioGoal = (label: string, r: { m: Measure; wire: number } | undefined, min: number) => {
        if (!r) return;
        const ratio = r.m.rps / helloRef.rps;
        goals.push({ goal: `${label}, ${w}: ≥ ${min * 100} % of hello's req/s, ≤ 60 KB`, measured: `${pct(ratio)} (${fmt(r.m.rps)} / ${fmt(helloRef.rps)} req/s), ${fmt(r.wire / KB, 1)} KB`, ok: ratio >= min && fitsPage(r.wire) });
      };

      const board = await page('public board `/offres`', '/offres', new Session(base), 50);
      if (board) goals.push({ goal: `public board, ${w}: ≤ 60 KB`, measured: `${fmt(board.wire / KB, 1)} KB`, ok: fitsPage(board.wire) });
      ratioGoal('public posting page', await page('public posting page', `/offres/${ds.publicPostingSlug}`, new Session(base), 50), 0.8);
      const n = fmt(SHAPE.bigPostingCandidates);
      ratioGoal(`pipeline board (${n} candidates), 10 connections`, await page(`pipeline board (${n} candidates)`, `/recrutement/offres/${bigId}`, bureau, 10), 0.05);
      ratioGoal(`panel ranking (${n} × ${SHAPE.panelists}), 10 connections`, await page(`panel ranking (${n} × ${SHAPE.panelists} panelists)`, `/recrutement/offres/${bigId}/classement`, bureau, 10), 0.05);
      const home = region(77);
      ratioGoal(`regional dashboard (${home.cpts} CPTS), 10 connections`, await page(`regional dashboard (${home.cpts} CPTS)`, `/regions/${home.regionId}/tableau-de-bord`, charges.get(77)!, 10), 0.03);

      const uploadName = 'application POST, 2 MB PDF';
      if (!only || only.test(uploadName)) {
        // The bare upload right before the app's: disk and CPU vary a lot on a shared machine,
        // the closer in time the fairer the ratio.
        const bareForm = multipart({ note: 'reference' }, { field: 'cv', name: 'cv.pdf', type: 'application/pdf', data: pdf });
        const bare = await reference('upload');
        const bareM = await measure(
          { name: 'bare Express + multer upload, 2 MB written and fsync’ed (reference for the upload)', workers, connections: 10 },
          { url: `${bare.base}/upload`, connections: 10, seconds: SECONDS, method: 'POST', headers: { 'content-type': bareForm.contentType }, body: bareForm.body },
        );
        await bare.p.stop();
        const uploadRef = { name: 'bare upload', rps: bareM.rps };
        const m = await measure(
          { name: uploadName, workers, connections: 10, reference: uploadRef, wire: `– (upload ${fmt(form.body.length / KB / KB, 1)} MB)` },
          { url: `${base}/offres/${ds.bigPostingSlug}/postuler`, connections: 10, seconds: SECONDS, method: 'POST', headers: { ...candidate.headers, 'content-type': form.contentType }, body: form.body, vary: newCandidate, okStatus: [303] },
        );
        const ratio = m.rps / uploadRef.rps;
        goals.push({ goal: `${uploadName}, ${w}: ≥ 70 % of the bare upload's req/s, 0 errors`, measured: `${pct(ratio)} (${fmt(m.rps)} / ${fmt(uploadRef.rps)} per s), ${m.errors + m.non2xx} errors`, ok: ratio >= 0.7 && m.errors + m.non2xx === 0 });
      }

      // ---- how the cost grows (one request at a time, 1 worker) --------------------------------
      if (workers === 1) {
        const alone = async (name: string, p: string, session: Session) => (await page(`${name}, one request at a time`, p, session, 1))?.m;
        const grows = (what: string, small: Measure | undefined, large: Measure | undefined) => {
          if (!small || !large) return;
          const factor = large.p50 / small.p50;
          goals.push({ goal: `${what}: p50 grows ≤ 1.5× from 500 to 5,000 candidates`, measured: `${fmt(factor, 2)}× (${fmt(small.p50, 1)} → ${fmt(large.p50, 1)} ms)`, ok: factor <= 1.5 });
        };
        const boards = new Map<number, Measure | undefined>();
        const rankings = new Map<number, Measure | undefined>();
        for (const c of [...SHAPE.scaleCandidates].sort((a, b) => a - b)) {
          boards.set(c, await alone(`pipeline board (${fmt(c)} candidates)`, `/recrutement/offres/${byCandidates(c)}`, bureau));
        }
        for (const c of [...SHAPE.scaleCandidates].sort((a, b) => a - b)) {
          rankings.set(c, await alone(`panel ranking (${fmt(c)} × ${SHAPE.panelists} panelists)`, `/recrutement/offres/${byCandidates(c)}/classement`, bureau));
        }
        for (const r of [...ds.scaleRegions].sort((a, b) => a.cpts - b.cpts)) {
          await alone(`regional dashboard (${r.cpts} CPTS)`, `/regions/${r.regionId}/tableau-de-bord`, charges.get(r.cpts)!);
        }
        grows('pipeline board, one request at a time', boards.get(500), boards.get(5_000));
        grows('panel ranking, one request at a time', rankings.get(500), rankings.get(5_000));
      }
      await app.stop();
      if (profileDir) console.log(`CPU profiles written to ${profileDir}`);
    }

    const total = (Date.now() - started) / 1000;
    const missed = goals.filter((g) => !g.ok);
    const section = [
      `## Run of ${new Date().toISOString().replace('T', ' ').slice(0, 16)} UTC`,
      '',
      `Machine: ${machine()}; load average ${loadBefore.toFixed(2)} (1 min) before the run, ${os.loadavg()[0].toFixed(2)} after it (the run's own load included). Other work on the machine moves the absolute figures a lot; the ratios (same run, same moment) less.`,
      `Dataset (seed ${SEED}): ${Object.entries(ds.counts).map(([k, v]) => `${fmt(v)} ${k}`).join(', ')}; generated in ${generationSeconds.toFixed(1)} s.`,
      `Each row: ${SECONDS} s of autocannon after a warm-up, from the same machine; references and app with the same number of processes; the app in production mode with its access log on; bytes are one response's body as sent to a client asking for gzip.`,
      '',
      '| target | workers | connections | req/s | p50 ms | p95 ms | p99 ms | errors | vs reference | bytes over the wire |',
      '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
      ...rows.map(
        (r) =>
          `| ${r.name} | ${r.workers} | ${r.connections} | ${fmt(r.m.rps)} | ${fmt(r.m.p50, 1)} | ${fmt(r.m.p95, 1)} | ${fmt(r.m.p99, 1)} | ${r.m.errors + r.m.non2xx} | ${r.reference ? `${pct(r.m.rps / r.reference.rps)} of ${r.reference.name}` : r.name.startsWith('bare') ? 'reference' : '– (in process)'} | ${r.wire ?? '–'} |`,
      ),
      '',
      '| goal | measured | result |',
      '| --- | --- | --- |',
      ...goals.map((g) => `| ${g.goal} | ${g.measured} | ${g.ok ? 'met' : '**missed**'} |`),
      '',
      missed.length ? `Missed: ${missed.map((g) => g.goal).join('; ')}.` : 'Every goal met.',
      `Whole run: ${total.toFixed(0)} s.`,
      '',
    ].join('\n');
    console.log('\n' + section);
    if (!process.env.BENCH_NO_WRITE && !only) {
      const doc = path.join(ROOT, 'docs/benchmarks.md');
      const current = fs.existsSync(doc) ? fs.readFileSync(doc, 'utf8') : '# Benchmarks\n\n<!-- runs -->\n';
      const marker = '<!-- runs -->';
      const next = current.includes(marker) ? current.replace(marker, `${marker}\n\n${section}`) : `${current.trimEnd()}\n\n${section}`;
      fs.writeFileSync(doc, next);
      console.log(`Written to ${path.relative(process.cwd(), doc)}.`);
    }
  } finally {
    cleanup();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
