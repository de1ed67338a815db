/** The elements' public file. */
export { ElementsModule } from './elements.module.js';
