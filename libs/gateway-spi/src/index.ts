export * from './adapter-type.js';
export * from './card.js';
export * from './codes.js';
export * from './context.js';
export * from './node.js';
