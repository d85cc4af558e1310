import { expect } from 'chai';
import { acquireLease, releaseLease, runExclusive } from '../../server/core/scheduler.js';
import { createTestContext, type TestContext } from '../helpers/app.js';

describe('scheduler: job leases', () => {
  let ctx: TestContext;
  beforeEach(() => {
    ctx = createTestContext();
  });
  afterEach(() => ctx.close());

  it('when one process holds a live lease then another cannot take it until it expires or is released', () => {
    const t0 = new Date('2026-01-01T00:00:00Z');
    expect(acquireLease(ctx.db, 'digest', 'a', 60_000, t0)).to.equal(true);
    expect(acquireLease(ctx.db, 'digest', 'b', 60_000, t0)).to.equal(false);
    expect(acquireLease(ctx.db, 'digest', 'a', 60_000, t0)).to.equal(true);
    expect(acquireLease(ctx.db, 'digest', 'b', 60_000, new Date(t0.getTime() + 61_000))).to.equal(true);
    releaseLease(ctx.db, 'digest', 'b');
    expect(acquireLease(ctx.db, 'digest', 'a', 60_000, t0)).to.equal(true);
  });

  it('when a job runs exclusively then a concurrent run is skipped, and a failing job still releases its lease', async () => {
    let runs = 0;
    let release: () => void = () => {};
    const slow = { name: 'slow', intervalMs: 1000, run: () => new Promise<void>((r) => { runs++; release = r; }) };
    const first = runExclusive(ctx.db, slow, 'p1');
    expect(await runExclusive(ctx.db, slow, 'p2')).to.equal(false);
    release();
    expect(await first).to.equal(true);
    expect(runs).to.equal(1);
    const failing = { name: 'failing', intervalMs: 1000, run: () => { throw new Error('boom'); } };
    expect(await runExclusive(ctx.db, failing, 'p1')).to.equal(true);
    expect(await runExclusive(ctx.db, failing, 'p2')).to.equal(true);
  });

  it('when every worker ticks with the interval as due time then a job runs once per interval, whoever ran it last', () => {
    const hour = 3600_000;
    const t0 = new Date('2026-01-01T00:00:00Z');
    const at = (ms: number) => new Date(t0.getTime() + ms);
    expect(acquireLease(ctx.db, 'digest', 'worker-1', hour, t0, 0.9 * hour)).to.equal(true);
    releaseLease(ctx.db, 'digest', 'worker-1');
    expect(acquireLease(ctx.db, 'digest', 'worker-2', hour, at(1_000), 0.9 * hour), 'ran a second ago').to.equal(false);
    expect(acquireLease(ctx.db, 'digest', 'worker-1', hour, at(hour - 60_000), 0.9 * hour), 'its own next tick').to.equal(true);
    releaseLease(ctx.db, 'digest', 'worker-1');
    expect(acquireLease(ctx.db, 'digest', 'worker-2', hour, at(hour), 0.9 * hour)).to.equal(false);
    // worker-1 is gone: worker-2's next tick finds the job due.
    expect(acquireLease(ctx.db, 'digest', 'worker-2', hour, at(2 * hour), 0.9 * hour)).to.equal(true);
    // Without a due time (the CLI), a released lease is taken at once.
    releaseLease(ctx.db, 'digest', 'worker-2');
    expect(acquireLease(ctx.db, 'digest', 'cli', hour, at(2 * hour + 1_000))).to.equal(true);
  });

  it('when a job runs then its counts are logged with it', async () => {
    const logged: { msg: string; fields?: Record<string, unknown> }[] = [];
    const logger = { debug: () => {}, info: (msg: string, fields?: Record<string, unknown>) => void logged.push({ msg, fields }), warn: () => {}, error: () => {} };
    await runExclusive(ctx.db, { name: 'outbox.send', intervalMs: 10_000, run: () => ({ sent: 2, failed: 1, note: 'x' }) }, 'p1', { logger });
    expect(logged).to.have.length(1);
    expect(logged[0].msg).to.equal('job run');
    expect(logged[0].fields).to.include({ job: 'outbox.send', sent: 2, failed: 1 });
    expect(logged[0].fields).to.not.have.property('note');
  });
});
