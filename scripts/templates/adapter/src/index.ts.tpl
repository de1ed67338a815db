export { __name__Adapter } from './__type__.adapter.js';
export { __Name__Node, type __Name__Deps } from './__type__.node.js';
export { create__Name__Client, type __Name__Client } from './__type__.client.js';
export { parse__Name__Options, validate__Name__Options, type __Name__Options } from './__type__.options.js';
export { toUnifiedCode } from './__type__.codes.js';
export { failureOf } from './__type__.mapping.js';
