/**
 * `npm run bench`: the national-scale benchmark (issue 8). Builds the dataset into a temporary
 * data folder, starts the real app on it (child process, production mode, no jobs), measures
 * each target with autocannon next to a bare Express "hello" reference (its own process), and
 * writes a dated table with the machine's description to docs/benchmarks.md.
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

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const SEED = Number(process.env.BENCH_SEED ?? 20261123);
const ROOT = path.resolve(import.meta.dirname, '..');
const PDF_BYTES = 2 * 1024 * 1024;

type Target = {
  name: string;
  path: string;
  connections: number;
  as?: 'bureau' | 'charge';
  post?: boolean;
  /** Also measured with one connection: the latency of a request on its own, without a queue. */
  alone?: boolean;
  check: (m: Measure, ref: Measure, wire: number | undefined) => { ok: boolean; target: string };
};

const KB = 1024;
const pageSize = (wire: number | undefined) => wire === undefined || wire <= 60 * KB;

function startProcess(args: string[], env: Record<string, string>, ready: RegExp): Promise<{ child: ChildProcess; output: () => string }> {
  const child = spawn(process.execPath, args, { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`not ready in 60 s:\n${out}`)), 60_000);
    const onData = (chunk: Buffer) => {
      out += chunk.toString();
      if (ready.test(out)) {
        clearTimeout(timer);
        resolve({ child, output: () => out });
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

async function main() {
  const started = Date.now();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'coordo-bench-'));
  const children: ChildProcess[] = [];
  const cleanup = () => {
    for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
    if (!process.env.BENCH_KEEP) fs.rmSync(dataDir, { recursive: true, force: true });
  };
  process.on('SIGINT', () => {
    cleanup();
    process.exit(130);
  });
  try {
    let ds: Awaited<ReturnType<typeof generate>>;
    let generationSeconds: number;
    if (process.env.BENCH_DATA) {
      console.log(`Reusing the dataset of ${process.env.BENCH_DATA} (copied into ${dataDir}) ...`);
      for (const f of ['coordo.db', 'coordo.db-wal', 'dataset.json']) {
        if (fs.existsSync(path.join(process.env.BENCH_DATA, f))) fs.copyFileSync(path.join(process.env.BENCH_DATA, f), path.join(dataDir, f));
      }
      ({ ds, generationSeconds } = JSON.parse(fs.readFileSync(path.join(dataDir, 'dataset.json'), 'utf8')) as { ds: typeof ds; generationSeconds: number });
    } else {
      console.log(`Generating the national dataset (seed ${SEED}) into ${dataDir} ...`);
      const t0 = Date.now();
      ds = await generate(path.join(dataDir, 'coordo.db'), SEED);
      generationSeconds = (Date.now() - t0) / 1000;
      console.log(`  done in ${generationSeconds.toFixed(1)} s:`, ds.counts);
      fs.writeFileSync(path.join(dataDir, 'dataset.json'), JSON.stringify({ ds, generationSeconds }));
    }

    const helloPort = await freePort();
    const hello = await startProcess(['--import', 'tsx', 'scripts/bench/hello.ts'], { PORT: String(helloPort) }, /hello listening/);
    children.push(hello.child);

    const appPort = await freePort();
    // BENCH_CPU_PROF=<folder>: the app writes a V8 CPU profile there when the run ends.
    const profileDir = process.env.BENCH_CPU_PROF ? path.resolve(process.env.BENCH_CPU_PROF) : undefined;
    const app = await startProcess(
      [...(profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : []), '--import', 'tsx', 'server/main.ts'],
      {
        NODE_ENV: 'production',
        JOBS: 'false',
        DEMO_SEED: 'false',
        DATA_DIR: dataDir,
        PORT: String(appPort),
        HOST: '127.0.0.1',
        LOG_LEVEL: 'warn',
        TRUST_PROXY: 'true',
        SESSION_SECRET: crypto.randomBytes(32).toString('hex'),
        APPLY_RATE_LIMIT: '1000000',
        SMTP_URL: '',
      },
      /Coordo écoute sur/,
    );
    children.push(app.child);
    const base = `http://127.0.0.1:${appPort}`;

    const bureau = new Session(base);
    await bureau.login(ds.bureauEmail);
    const charge = new Session(base);
    await charge.login(ds.chargeEmail);
    const candidate = new Session(base);
    const applyToken = await candidate.token(`/offres/${ds.bigPostingSlug}/postuler`);
    const pdf = Buffer.concat([minimalPdf(['Curriculum vitae', 'Benchmark']), crypto.randomBytes(PDF_BYTES - 2000)]).subarray(0, PDF_BYTES);
    const form = multipart(
      { _csrf: applyToken, first_name: 'Camille', last_name: 'Banc', email: 'banc.essai@bench.coordo.test', phone: '06 12 34 56 78', message: 'Candidature de charge.', source: 'board' },
      { field: 'cv', name: 'cv.pdf', type: 'application/pdf', data: pdf },
    );

    const dashboard = `/regions/${ds.regionId}/tableau-de-bord`;
    const dashboardExists = (await charge.fetch(dashboard)).status === 200;
    const regional = dashboardExists ? dashboard : `/regions/${ds.regionId}`;

    const targets: Target[] = [
      { name: 'public board `/offres`', path: '/offres', connections: 50, check: (_m, _r, w) => ({ ok: pageSize(w), target: '≤ 60 KB' }) },
      {
        name: 'public posting page',
        path: `/offres/${ds.publicPostingSlug}`,
        connections: 50,
        check: (m, ref, w) => ({ ok: m.rps >= 0.6 * ref.rps && pageSize(w), target: '≥ 60 % of reference req/s, ≤ 60 KB' }),
      },
      {
        name: `pipeline board (${SHAPE.bigPostingCandidates} candidates)`,
        path: `/recrutement/offres/${ds.bigPostingId}`,
        connections: 10,
        as: 'bureau',
        alone: true,
        check: (m, _r, w) => ({ ok: m.p95 <= 25 && pageSize(w), target: 'p95 ≤ 25 ms, ≤ 60 KB' }),
      },
      {
        name: `panel ranking (${SHAPE.bigPostingCandidates} × ${SHAPE.panelists} panelists)`,
        path: `/recrutement/offres/${ds.bigPostingId}/classement`,
        connections: 10,
        as: 'bureau',
        alone: true,
        check: (m, _r, w) => ({ ok: m.p95 <= 25 && pageSize(w), target: 'p95 ≤ 25 ms, ≤ 60 KB' }),
      },
      {
        name: dashboardExists ? 'regional dashboard' : 'region page (no dashboard route yet)',
        path: regional,
        connections: 10,
        as: 'charge',
        alone: true,
        check: (m, _r, w) => ({ ok: m.p95 <= 100 && pageSize(w), target: 'p95 ≤ 100 ms, ≤ 60 KB' }),
      },
      {
        name: 'application POST, 2 MB PDF',
        path: `/offres/${ds.bigPostingSlug}/postuler`,
        connections: 10,
        post: true,
        check: (m) => ({ ok: m.rps >= 150 && m.errors === 0 && m.non2xx === 0, target: '≥ 150/s, 0 errors' }),
      },
    ];

    console.log(`Reference: bare Express hello, ${SECONDS} s, 50 connections ...`);
    const ref = await load({ url: `http://127.0.0.1:${helloPort}/`, connections: 50, seconds: SECONDS });
    hello.child.kill('SIGTERM');

    const rows: string[] = [];
    const misses: string[] = [];
    rows.push(`| bare Express hello (reference, own process) | 50 | ${fmt(ref.rps)} | ${fmt(ref.p50, 1)} | ${fmt(ref.p95, 1)} | ${fmt(ref.p99, 1)} | ${ref.errors + ref.non2xx} | 100 % | – | – | reference |`);
    const only = process.env.BENCH_ONLY ? new RegExp(process.env.BENCH_ONLY, 'i') : undefined;
    for (const t of targets) {
      if (only && !only.test(t.name)) continue;
      const session = t.as === 'bureau' ? bureau : t.as === 'charge' ? charge : t.post ? candidate : new Session(base);
      const headers = { ...session.headers, 'accept-encoding': 'gzip' };
      // Warm up (view cache, SQLite page cache), then measure.
      for (let i = 0; i < 3 && !t.post; i++) await session.fetch(t.path);
      const wire = t.post ? undefined : await wireSize(base + t.path, session.headers);
      if (wire && wire.status !== 200) throw new Error(`${t.path} answered ${wire.status}`);
      console.log(`${t.name}: ${SECONDS} s, ${t.connections} connections ...`);
      const m = await load({
        url: base + t.path,
        connections: t.connections,
        seconds: SECONDS,
        method: t.post ? 'POST' : 'GET',
        headers: t.post ? { ...session.headers, 'content-type': form.contentType } : headers,
        body: t.post ? form.body : undefined,
        // The apply form answers 303 to its confirmation page (POST-redirect-GET). The body is
        // the same each time, so after the first request every upload is streamed, checked and
        // removed again (the address already applied: nothing written, the mail cap reached).
        okStatus: t.post ? [303] : undefined,
      });
      const verdict = t.check(m, ref, wire?.wire);
      if (!verdict.ok) misses.push(t.name);
      const wireCell = wire ? `${fmt(wire.wire / KB, 1)} KB (${wire.encoding})` : `– (upload ${fmt(form.body.length / KB / KB, 1)} MB)`;
      rows.push(
        `| ${t.name} | ${t.connections} | ${fmt(m.rps)} | ${fmt(m.p50, 1)} | ${fmt(m.p95, 1)} | ${fmt(m.p99, 1)} | ${m.errors + m.non2xx} | ${fmt((m.rps / ref.rps) * 100)} % | ${wireCell} | ${verdict.target} | ${verdict.ok ? 'met' : '**missed**'} |`,
      );
      console.log(`  ${fmt(m.rps)} req/s, p50 ${m.p50} ms, p95 ${m.p95} ms, p99 ${m.p99} ms, errors ${m.errors}, non-2xx ${m.non2xx}, ${wireCell}`);
      if (t.alone) {
        console.log(`${t.name}: ${SECONDS} s, 1 connection ...`);
        const one = await load({ url: base + t.path, connections: 1, seconds: SECONDS, headers });
        rows.push(
          `| ${t.name}, one request at a time | 1 | ${fmt(one.rps)} | ${fmt(one.p50, 1)} | ${fmt(one.p95, 1)} | ${fmt(one.p99, 1)} | ${one.errors + one.non2xx} | ${fmt((one.rps / ref.rps) * 100)} % | ${wireCell} | (latency without queueing, for information) | – |`,
        );
        console.log(`  ${fmt(one.rps)} req/s, p50 ${one.p50} ms, p95 ${one.p95} ms, p99 ${one.p99} ms`);
      }
    }

    if (profileDir) {
      await new Promise((resolve) => {
        app.child.once('exit', resolve);
        app.child.kill('SIGTERM');
      });
      console.log(`CPU profile written to ${profileDir}`);
    }
    const total = (Date.now() - started) / 1000;
    const section = [
      `## Run of ${new Date().toISOString().replace('T', ' ').slice(0, 16)} UTC`,
      '',
      `Machine: ${machine()}.`,
      `Dataset (seed ${SEED}): ${Object.entries(ds.counts).map(([k, v]) => `${fmt(v)} ${k}`).join(', ')}; generated in ${generationSeconds.toFixed(1)} s.`,
      `Each target: ${SECONDS} s of autocannon after a warm-up, from the same machine; bytes are one response's body as sent to a client asking for gzip.${dashboardExists ? '' : ' The regional dashboard route did not exist yet: the region page was measured instead.'}`,
      '',
      '| target | connections | req/s | p50 ms | p95 ms | p99 ms | errors | vs reference | bytes over the wire | goal | result |',
      '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
      ...rows,
      '',
      misses.length ? `Missed: ${misses.join('; ')}.` : 'Every target met.',
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
