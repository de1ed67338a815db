// `node --conditions=source --import ./scripts/lib/register-ts.mjs <file.ts>` runs a TypeScript entry
// point of this repository without a build (tests start apps/node-host this way as a real process).
import { register } from 'node:module';

register('./ts-hooks.mjs', import.meta.url);
