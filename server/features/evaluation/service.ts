// The evaluation's service, by capability; importers outside the feature read it from here.
export * from './access.js';
export * from './kit.js';
export * from './panel.js';
export * from './ranking.js';
export * from './scorecard.js';
