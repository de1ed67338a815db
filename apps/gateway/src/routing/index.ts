/** The routing feature's public file. */
export { RoutingModule } from './routing.module.js';
export { previewTree } from './preview-tree.js';
