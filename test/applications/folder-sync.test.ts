import { expect } from 'chai';
import { FolderSync } from '../../server/features/applications/files.js';

/** A folder sync whose runs the test ends by hand, in order. */
function controlled() {
  const runs: { resolve: () => void; reject: (e: Error) => void }[] = [];
  const sync = new FolderSync(
    () =>
      new Promise<void>((resolve, reject) => {
        runs.push({ resolve, reject });
      }),
  );
  return { sync, runs };
}

const settle = () => new Promise((r) => setImmediate(r));

function state(p: Promise<void>) {
  const s = { done: false, error: undefined as Error | undefined };
  p.then(
    () => (s.done = true),
    (e: Error) => (s.error = e),
  );
  return s;
}

describe('applications: the documents folder sync is shared, never older than its caller', () => {
  it('starts at once when none runs, and callers arriving during a run share the next one', async () => {
    const { sync, runs } = controlled();
    const first = state(sync.sync());
    expect(runs).to.have.length(1);
    const second = state(sync.sync());
    const third = state(sync.sync());
    await settle();
    // The running sync may predate the later callers' file names: they wait for a new one.
    expect(runs).to.have.length(1);
    runs[0].resolve();
    await settle();
    expect(first.done).to.equal(true);
    expect(second.done).to.equal(false);
    expect(third.done).to.equal(false);
    expect(runs).to.have.length(2);
    runs[1].resolve();
    await settle();
    expect(second.done && third.done).to.equal(true);
    expect(runs).to.have.length(2);
  });

  it('a caller arriving while the shared next run is being waited for joins it; one after it starts gets another', async () => {
    const { sync, runs } = controlled();
    sync.sync();
    const queued = state(sync.sync());
    runs[0].resolve();
    await settle();
    expect(runs).to.have.length(2);
    // The second run has started: a new caller's name may be newer than it.
    const later = state(sync.sync());
    runs[1].resolve();
    await settle();
    expect(queued.done).to.equal(true);
    expect(later.done).to.equal(false);
    expect(runs).to.have.length(3);
    runs[2].resolve();
    await settle();
    expect(later.done).to.equal(true);
  });

  it('a failed sync fails its own callers only, and the next run still happens', async () => {
    const { sync, runs } = controlled();
    const failed = state(sync.sync());
    const next = state(sync.sync());
    runs[0].reject(new Error('EIO'));
    await settle();
    expect(failed.error?.message).to.equal('EIO');
    expect(runs).to.have.length(2);
    runs[1].resolve();
    await settle();
    expect(next.done).to.equal(true);
    expect(next.error).to.equal(undefined);
    // Idle again: a new caller starts a run at once.
    sync.sync();
    expect(runs).to.have.length(3);
  });
});
