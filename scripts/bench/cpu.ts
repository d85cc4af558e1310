/**
 * `tsx scripts/bench/cpu.ts <data folder> [path ...]`: the server's CPU time per request, which
 * a shared machine disturbs much less than req/s. Copies nothing: give it a copy of a kept
 * dataset (`cp -a /work/bench-data /tmp/mybench`). Starts the app as `npm run bench` does
 * (production mode, 1 worker, access log on, through a "TLS proxy"), signs in as the bench
 * president, then for each path: CPU_WARMUP warm-up requests (default 2,000), then CPU_ROUNDS rounds (default 5) of
 * CPU_REQUESTS requests one at a time (default 300, keep-alive, gzip accepted), reading the
 * server's user + system time from /proc/<pid>/stat around each round (all its threads). Prints
 * per path the median and the minimum over the rounds of CPU ms per request, and the p50 of the
 * wall time of one request. CPU_PROF=<folder> has the server write a V8 CPU profile.
 * CPU_REFERENCE=hello measures the bench's bare Express hello instead (path `/`, no sign-in).
 * CPU_VISITOR=1: no sign-in, as a visitor without a session (the public page cache serves them).
 * Linux only.
 */
import { spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { BENCH_PASSWORD } from './generate.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
const [dataDir, ...paths] = process.argv.slice(2);
if (!dataDir || !paths.length) throw new Error('usage: tsx scripts/bench/cpu.ts <data folder> <path> [path ...]');
const ROUNDS = Number(process.env.CPU_ROUNDS ?? 5);
const REQUESTS = Number(process.env.CPU_REQUESTS ?? 300);
// V8 needs a couple of thousand requests before a page's code is optimised (rounds after 100
// warm-up requests kept falling, 1.4 -> 0.8 ms on a small page).
const WARMUP = Number(process.env.CPU_WARMUP ?? 2000);
const TICK_MS = 1000 / 100; // USER_HZ

const port: number = await new Promise((resolve) => {
  const s = net.createServer().listen(0, '127.0.0.1', () => {
    const p = (s.address() as net.AddressInfo).port;
    s.close(() => resolve(p));
  });
});
const prof = process.env.CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${path.resolve(process.env.CPU_PROF)}`] : [];
const reference = process.env.CPU_REFERENCE;
const child = spawn(process.execPath, [...prof, '--import', 'tsx', reference ? 'scripts/bench/reference.ts' : 'server/main.ts'], {
  cwd: ROOT,
  env: {
    ...process.env,
    NODE_ENV: 'production',
    WORKERS: '1',
    JOBS: 'false',
    DEMO_SEED: 'false',
    DATA_DIR: path.resolve(dataDir),
    PORT: String(port),
    HOST: '127.0.0.1',
    LOG_LEVEL: process.env.CPU_LOG_LEVEL ?? 'info',
    TRUST_PROXY: 'true',
    SESSION_SECRET: crypto.randomBytes(32).toString('hex'),
    SMTP_URL: '',
    ...(reference ? { REFERENCE: reference, REFERENCE_WORKERS: '1' } : {}),
  },
  stdio: ['ignore', 'pipe', 'pipe'],
});
await new Promise<void>((resolve, reject) => {
  let out = '';
  const onData = (c: Buffer) => {
    if (out === null) return;
    out += c.toString();
    if (/Coordo écoute sur|listening/.test(out)) {
      out = null as unknown as string;
      resolve();
    }
  };
  child.stdout!.on('data', onData);
  child.stderr!.on('data', onData);
  child.once('exit', (code) => reject(new Error(`exited ${code}: ${out}`)));
});

const cpuMs = () => {
  const fields = fs.readFileSync(`/proc/${child.pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) * TICK_MS;
};

const base = `http://127.0.0.1:${port}`;
const cookies = new Map<string, string>();
const headers = () => ({ cookie: [...cookies].map(([k, v]) => `${k}=${v}`).join('; '), 'x-forwarded-proto': 'https', 'accept-encoding': process.env.CPU_GZIP === '0' ? 'identity' : 'gzip' });
async function get(p: string, init: RequestInit = {}) {
  const res = await fetch(base + p, { ...init, headers: { ...headers(), ...(init.headers as Record<string, string>) }, redirect: 'manual' });
  for (const line of res.headers.getSetCookie()) {
    const [pair] = line.split(';');
    const eq = pair.indexOf('=');
    cookies.set(pair.slice(0, eq), pair.slice(eq + 1));
  }
  return res;
}
if (!reference && process.env.CPU_VISITOR !== '1') await signIn();
async function signIn() {
const login = await (await get('/connexion')).text();
const token = /name="_csrf" value="([^"]+)"/.exec(login)![1];
const signedIn = await get('/connexion', {
  method: 'POST',
  headers: { 'content-type': 'application/x-www-form-urlencoded' },
  body: new URLSearchParams({ _csrf: token, email: process.env.CPU_EMAIL ?? 'u1-0@bench.coordo.test', password: BENCH_PASSWORD }).toString(),
});
if (signedIn.status !== 303 && signedIn.status !== 302) throw new Error(`login failed: ${signedIn.status}`);
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
try {
  for (const p of paths) {
    let bytes = 0;
    for (let i = 0; i < WARMUP; i++) {
      const res = await get(p);
      if (res.status !== 200) throw new Error(`${p}: ${res.status}`);
      bytes = (await res.arrayBuffer()).byteLength;
    }
    const perRequest: number[] = [];
    const walls: number[] = [];
    for (let r = 0; r < ROUNDS; r++) {
      const before = cpuMs();
      for (let i = 0; i < REQUESTS; i++) {
        const t = performance.now();
        const res = await get(p);
        await res.arrayBuffer();
        walls.push(performance.now() - t);
      }
      perRequest.push((cpuMs() - before) / REQUESTS);
    }
    console.log(
      `${p}: CPU per request median ${median(perRequest).toFixed(2)} ms, min ${Math.min(...perRequest).toFixed(2)} ms ` +
        `(rounds ${perRequest.map((x) => x.toFixed(2)).join(' ')}); wall p50 ${median(walls).toFixed(2)} ms; ${(bytes / 1024).toFixed(1)} KB of HTML`,
    );
  }
} finally {
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}
