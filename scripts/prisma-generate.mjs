#!/usr/bin/env node
// `npm run db:generate`: `prisma generate` without the native schema engine. Every prisma CLI
// command first makes sure that engine is present and downloads it otherwise (unreachable here);
// pointing PRISMA_SCHEMA_ENGINE_BINARY at an existing file skips that, and generate never runs it.
// The file is a stub that fails loudly if some other command does try to run it.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const cli = createRequire(import.meta.url).resolve('prisma/build/index.js');
const result = spawnSync(process.execPath, [cli, 'generate', '--schema', 'prisma/schema.prisma', ...process.argv.slice(2)], {
  cwd: root,
  stdio: 'inherit',
  env: {
    ...process.env,
    PRISMA_SCHEMA_ENGINE_BINARY: fileURLToPath(new URL('./no-schema-engine.sh', import.meta.url)),
    PRISMA_HIDE_UPDATE_MESSAGE: '1',
    CHECKPOINT_DISABLE: '1',
  },
});
if (result.error) throw result.error;
process.exit(result.status ?? 1);
