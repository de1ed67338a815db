export * from './adapter-type.js';
export * from './card.js';
export * from './codes.js';
export * from './contract-fixture.js';
export * from './context.js';
export * from './node.js';
export * from './not-supported.js';
export * from './routing-insight.js';
