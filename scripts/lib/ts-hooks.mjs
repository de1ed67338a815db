// Module hooks that let plain `node` run this repository's TypeScript sources (NodeNext style:
// `./x.js` specifiers that name `./x.ts` files), transpiled on the fly with the project's own
// `typescript`. Used by the db:* scripts so they work on a clean clone, before any build.
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const root = new URL('../../', import.meta.url).href;

function inRepoSource(url) {
  return url.startsWith(root) && !url.includes('/node_modules/') && !url.startsWith(`${root}dist/`);
}

export async function resolve(specifier, context, next) {
  if ((specifier.startsWith('./') || specifier.startsWith('../')) && specifier.endsWith('.js')) {
    const parent = context.parentURL;
    if (parent && inRepoSource(parent)) {
      const candidate = new URL(specifier.replace(/\.js$/, '.ts'), parent);
      if (!existsSync(fileURLToPath(new URL(specifier, parent))) && existsSync(fileURLToPath(candidate))) {
        return { url: candidate.href, shortCircuit: true };
      }
    }
  }
  return next(specifier, context);
}

export async function load(url, context, next) {
  if (url.endsWith('.ts') && !url.endsWith('.d.ts') && inRepoSource(url)) {
    const { outputText } = ts.transpileModule(readFileSync(fileURLToPath(url), 'utf8'), {
      fileName: fileURLToPath(url),
      compilerOptions: {
        module: ts.ModuleKind.ESNext,
        target: ts.ScriptTarget.ES2022,
        experimentalDecorators: true,
        emitDecoratorMetadata: true,
        esModuleInterop: true,
        inlineSourceMap: true,
      },
    });
    return { format: 'module', source: outputText, shortCircuit: true };
  }
  return next(url, context);
}
