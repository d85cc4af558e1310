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
});
