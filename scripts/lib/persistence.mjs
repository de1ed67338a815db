// Loads libs/persistence for the db:* scripts: from source when `typescript` is installed (a
// development clone, no build needed), else from the compiled dist/ (a production install).
import { existsSync } from 'node:fs';
import { register } from 'node:module';
import { fileURLToPath } from 'node:url';

function hasTypeScript() {
  try {
    import.meta.resolve('typescript');
    return true;
  } catch {
    return false;
  }
}

/** @returns {Promise<typeof import('../../libs/persistence/src/driver.ts') & typeof import('../../libs/persistence/src/migrations/index.ts')>} */
export async function loadPersistence() {
  let base;
  if (hasTypeScript() && process.env.CANOPY_SCRIPTS_FROM_DIST !== '1') {
    register('./ts-hooks.mjs', import.meta.url);
    base = new URL('../../libs/persistence/src/', import.meta.url);
    const [driver, migrations] = await Promise.all([
      import(new URL('driver.ts', base).href),
      import(new URL('migrations/index.ts', base).href),
    ]);
    return { ...driver, ...migrations };
  }
  base = new URL('../../dist/libs/persistence/src/', import.meta.url);
  if (!existsSync(fileURLToPath(new URL('driver.js', base)))) {
    throw new Error('libs/persistence is neither runnable from source (no `typescript` installed) nor built (run `npm run build`).');
  }
  const [driver, migrations] = await Promise.all([
    import(new URL('driver.js', base).href),
    import(new URL('migrations/index.js', base).href),
  ]);
  return { ...driver, ...migrations };
}

export const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
