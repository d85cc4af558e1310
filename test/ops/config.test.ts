import os from 'node:os';
import { expect } from 'chai';
import { loadConfig } from '../../server/core/config.js';

describe('ops: worker and metrics settings', () => {
  it('when WORKERS is not set then production uses one worker per CPU and development one', () => {
    expect(loadConfig({ NODE_ENV: 'production' }).workers).to.equal(os.availableParallelism());
    expect(loadConfig({ NODE_ENV: 'development' }).workers).to.equal(1);
    expect(loadConfig({ NODE_ENV: 'test' }).workers).to.equal(1);
    expect(loadConfig({ NODE_ENV: 'production', WORKERS: '' }).workers).to.equal(os.availableParallelism());
  });

  it('when WORKERS is set then it is a count or auto, and nonsense is refused', () => {
    expect(loadConfig({ NODE_ENV: 'production', WORKERS: '1' }).workers).to.equal(1);
    expect(loadConfig({ WORKERS: '3' }).workers).to.equal(3);
    expect(loadConfig({ WORKERS: 'auto' }).workers).to.equal(os.availableParallelism());
    expect(() => loadConfig({ WORKERS: '0' })).to.throw(/WORKERS/);
    expect(() => loadConfig({ WORKERS: 'many' })).to.throw(/WORKERS/);
  });

  it('when METRICS_TOKEN is unset, empty or short then metrics stay off or the start fails', () => {
    expect(loadConfig({}).metricsToken).to.equal(undefined);
    expect(loadConfig({ METRICS_TOKEN: '' }).metricsToken).to.equal(undefined);
    expect(() => loadConfig({ METRICS_TOKEN: 'short' })).to.throw(/METRICS_TOKEN: must be at least 32 characters/);
    expect(loadConfig({ METRICS_TOKEN: 'x'.repeat(32) }).metricsToken).to.equal('x'.repeat(32));
  });
});
