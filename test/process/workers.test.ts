import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { migrate, openDatabase } from '../../server/core/db.js';
import { createUser, TEST_PASSWORD } from '../helpers/factories.js';
import { startServerProcess, type ServerProcess } from '../helpers/server-process.js';

type Reply = { status: number; headers: http.IncomingHttpHeaders; body: string };

/**
 * One request on a new TCP connection: node:cluster hands connections to the workers in
 * turn, so requests that reuse a kept-alive connection would all reach the same worker.
 */
function request(base: string, method: string, p: string, opts: { cookie?: string; authorization?: string; form?: Record<string, string> } = {}): Promise<Reply> {
  const body = opts.form ? new URLSearchParams(opts.form).toString() : undefined;
  return new Promise((resolve, reject) => {
    const req = http.request(
      base + p,
      {
        method,
        agent: false,
        headers: {
          ...(opts.cookie ? { cookie: opts.cookie } : {}),
          ...(opts.authorization ? { authorization: opts.authorization } : {}),
          ...(body ? { 'content-type': 'application/x-www-form-urlencoded', 'content-length': Buffer.byteLength(body) } : {}),
        },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (text += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

type Line = { msg: string; worker?: number | string; reqId?: string; job?: string; route?: string; status?: number };
const lines = (server: ServerProcess): Line[] =>
  server
    .output()
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as Line);

/** The worker that answered each request, from its access line (found by the request id). */
async function workersOf(server: ServerProcess, replies: Reply[]): Promise<(number | string | undefined)[]> {
  const ids = replies.map((r) => String(r.headers['x-request-id']));
  for (let i = 0; i < 50; i++) {
    const byId = new Map(lines(server).filter((l) => l.msg === 'request').map((l) => [l.reqId, l.worker]));
    if (ids.every((id) => byId.has(id))) return ids.map((id) => byId.get(id));
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`no access line for some of ${ids.join(', ')}:\n${server.output()}`);
}

const cookieOf = (reply: Reply, jar: Map<string, string>) => {
  for (const line of reply.headers['set-cookie'] ?? []) {
    const [pair] = line.split(';');
    const eq = pair.indexOf('=');
    jar.set(pair.slice(0, eq), pair.slice(eq + 1));
  }
  return [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
};
const csrf = (html: string) => /name="_csrf" value="([^"]+)"/.exec(html)?.[1] ?? '';

describe('process: two worker processes (WORKERS=2) on one data folder', function () {
  this.timeout(60_000);
  let dir: string;
  let server: ServerProcess;
  const email = 'bureau.workers@example.test';
  const TOKEN = 'metrics-token-of-the-workers-test-0123';

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'coordo-workers-'));
    const db = openDatabase(path.join(dir, 'coordo.db'));
    migrate(db);
    await createUser(db, { email, name: 'Brigitte Deuxprocessus' });
    db.close();
    server = await startServerProcess(dir, { WORKERS: '2', JOBS: 'true', LOG_LEVEL: 'debug', LOGIN_RATE_LIMIT: '3', METRICS_TOKEN: TOKEN }, 45_000);
  });
  after(async () => {
    await server?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('when requests arrive on new connections then both workers answer them', async () => {
    const replies: Reply[] = [];
    for (let i = 0; i < 6; i++) replies.push(await request(server.url, 'GET', '/healthz'));
    expect(replies.map((r) => r.status)).to.deep.equal([200, 200, 200, 200, 200, 200]);
    const workers = await workersOf(server, replies);
    expect(new Set(workers).size, `workers: ${workers.join(', ')}`).to.equal(2);
  });

  it('when /metrics is scraped on either worker then it counts the requests of both', async () => {
    const scrapes: Reply[] = [];
    for (let i = 0; i < 2; i++) scrapes.push(await request(server.url, 'GET', '/metrics', { authorization: `Bearer ${TOKEN}` }));
    const workers = await workersOf(server, scrapes);
    expect(new Set(workers).size).to.equal(2);
    for (const scrape of scrapes) {
      expect(scrape.status).to.equal(200);
      // The six /healthz requests of the test before, three on each worker.
      expect(scrape.body).to.contain('coordo_http_request_duration_seconds_count{method="GET",route="/healthz",status="200"} 6');
      expect(scrape.body).to.match(/coordo_outbox_messages\{status="pending"\} 0\n/);
    }
  });

  it('when a user signs in on one worker then the session and its CSRF token hold on the other', async () => {
    const jar = new Map<string, string>();
    const form = await request(server.url, 'GET', '/connexion');
    const signIn = await request(server.url, 'POST', '/connexion', { cookie: cookieOf(form, jar), form: { _csrf: csrf(form.body), email, password: TEST_PASSWORD } });
    expect(signIn.status).to.equal(302);
    const cookie = cookieOf(signIn, jar);
    const pages: Reply[] = [];
    for (let i = 0; i < 4; i++) pages.push(await request(server.url, 'GET', '/compte', { cookie }));
    for (const page of pages) {
      expect(page.status).to.equal(200);
      expect(page.body).to.contain('Brigitte Deuxprocessus');
    }
    const workers = await workersOf(server, [form, signIn, ...pages]);
    expect(new Set(workers).size).to.equal(2);
    expect(workers[0], 'token page and sign-in on different workers').to.not.equal(workers[1]);
  });

  it('when failed sign-ins are spread over both workers then the limit counts them together', async () => {
    const jar = new Map<string, string>();
    const form = await request(server.url, 'GET', '/connexion');
    const cookie = cookieOf(form, jar);
    const attempts: Reply[] = [];
    for (let i = 0; i < 4; i++) {
      attempts.push(await request(server.url, 'POST', '/connexion', { cookie, form: { _csrf: csrf(form.body), email, password: 'not the password' } }));
    }
    // LOGIN_RATE_LIMIT=3: three refusals, then the limit, whichever worker answers.
    expect(attempts.map((r) => r.status)).to.deep.equal([401, 401, 401, 429]);
    const workers = await workersOf(server, attempts);
    expect(new Set(workers).size, `workers: ${workers.join(', ')}`).to.equal(2);
  });

  it('when both workers run the scheduler then each job runs once, and the other worker skips it', async () => {
    const jobs = ['sessions.prune', 'rate-limits.prune', 'onboarding.digest', 'applications.digest', 'retention.anonymise'];
    // Each worker's scheduler ticks one second after it starts; wait until both have ticked.
    let seen: Line[] = [];
    for (let i = 0; i < 100; i++) {
      seen = lines(server).filter((l) => l.job && (l.msg === 'job run' || l.msg.startsWith('job skipped')));
      if (jobs.every((job) => seen.filter((l) => l.job === job).length >= 2)) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    for (const job of jobs) {
      const runs = seen.filter((l) => l.job === job && l.msg === 'job run');
      const skips = seen.filter((l) => l.job === job && l.msg.startsWith('job skipped'));
      expect(runs, `${job} runs`).to.have.length(1);
      expect(skips.length, `${job} skipped elsewhere`).to.be.at.least(1);
      expect(skips.map((s) => s.worker)).to.not.include(runs[0].worker);
    }
  });

  it('when a worker dies then the primary starts another and both keep answering', async () => {
    const first = lines(server).find((l) => l.msg === 'request' && l.worker === 1) as (Line & { pid: number }) | undefined;
    expect(first, 'an access line of worker 1').to.not.equal(undefined);
    process.kill(first!.pid, 'SIGKILL');
    for (let i = 0; i < 100 && !lines(server).some((l) => l.msg === 'worker died, starting another'); i++) await new Promise((r) => setTimeout(r, 100));
    // The replacement has its own id; wait until requests reach two workers again.
    let workers = new Set<number | string | undefined>();
    for (let i = 0; i < 100 && workers.size < 2; i++) {
      const replies = [await request(server.url, 'GET', '/healthz'), await request(server.url, 'GET', '/healthz')];
      expect(replies.map((r) => r.status)).to.deep.equal([200, 200]);
      workers = new Set(await workersOf(server, replies));
      if (workers.size < 2) await new Promise((r) => setTimeout(r, 300));
    }
    expect(workers.size).to.equal(2);
    expect(workers.has(1), 'the dead worker').to.equal(false);
  });

  it('when stopped with SIGTERM then every worker shuts down in order and the process exits 0', async () => {
    expect(await server.stop()).to.equal(0);
    const shutdown = lines(server).filter((l) => l.msg.startsWith('shutdown:'));
    const workers = new Set(shutdown.filter((l) => l.msg === 'shutdown: jobs stopped, database closed').map((l) => l.worker));
    expect(workers.size, 'the two live workers').to.equal(2);
    expect(shutdown.map((l) => l.msg)).to.include('shutdown: every worker stopped');
  });
});
