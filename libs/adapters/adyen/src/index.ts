export { adyenAdapter } from './adyen.adapter.js';
export { AdyenNode, type AdyenDeps } from './adyen.node.js';
export { createAdyenCheckout, type AdyenCheckout, type CallOptions } from './adyen.client.js';
export { ADYEN_CODES, type CodeRow } from './adyen.codes.js';
export { parseAdyenOptions, validateAdyenOptions, type AdyenOptions } from './adyen.options.js';
