export { __name__Adapter } from './__type__.adapter.js';
export { __Name__Node } from './__type__.node.js';
export { parse__Name__Options, validate__Name__Options, type __Name__Options } from './__type__.options.js';
export { toUnifiedCode } from './__type__.codes.js';
