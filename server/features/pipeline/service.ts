// The pipeline's service, by capability; importers outside the feature read it from here.
export * from './access.js';
export * from './board.js';
export * from './candidate.js';
export * from './identity.js';
export * from './mails.js';
export * from './moves.js';
export * from './notes.js';
export * from './screening.js';
export * from './stages.js';
