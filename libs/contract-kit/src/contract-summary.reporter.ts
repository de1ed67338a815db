import type { Reporter, SerializedError, TestCase, TestModule, TestSuite } from 'vitest/node';

/**
 * `npm run test:contract`'s output: one line per node kind (each top-level suite registered by
 * `describeNodeContract`), then each broken check of a failing kind with its first finding, and each
 * check not applicable to it with the reason its fixture gives.
 * Loaded by Vitest from its path (`--reporter=<this file>`), hence the default export.
 */
export default class ContractSummaryReporter implements Reporter {
  onTestRunEnd(modules: ReadonlyArray<TestModule>, unhandledErrors: ReadonlyArray<SerializedError>): void {
    const kinds = modules.flatMap((module) => module.children.array().filter((child): child is TestSuite => child.type === 'suite'));
    const width = Math.max(0, ...kinds.map((kind) => kind.name.length));
    const lines = ['', 'Node contract'];
    let failed = 0;
    let notRun = 0;
    for (const kind of kinds) {
      const tests = [...kind.children.allTests()];
      const reason = skippedKind(tests);
      if (reason !== null) {
        notRun++;
        lines.push(`  – ${kind.name.padEnd(width)}  ${reason}`);
        continue;
      }
      const broken = tests.filter((test) => test.result().state === 'failed');
      const passed = tests.filter((test) => test.result().state === 'passed').length;
      const notApplicable = tests.filter((test) => test.result().state === 'skipped');
      const skipped = notApplicable.length;
      if (broken.length > 0 || tests.length === 0) failed++;
      const counts = [`${passed}/${tests.length} checks passed`, skipped > 0 ? `${skipped} not applicable` : ''].filter(Boolean).join(', ');
      lines.push(`  ${broken.length > 0 || tests.length === 0 ? '✗' : '✓'} ${kind.name.padEnd(width)}  ${counts}  ${seconds(tests)}`);
      for (const test of broken) lines.push(`      ✗ ${test.name}: ${firstFinding(test)}`);
      // Each check a declaration took out (e.g. a sandbox without a 3-D Secure card), named with its reason.
      for (const test of notApplicable) lines.push(`      – ${test.name}`);
    }
    for (const module of modules) for (const error of module.errors()) lines.push(`  ✗ ${module.relativeModuleId}: ${firstLine(error.message)}`);
    for (const error of unhandledErrors) lines.push(`  ✗ unhandled: ${firstLine(error.message)}`);
    const errors = unhandledErrors.length + modules.reduce((n, module) => n + module.errors().length, 0);
    const skippedNote = notRun > 0 ? `, ${notRun} skipped` : '';
    lines.push(`contract: ${kinds.length} node kinds, ${kinds.length - failed - notRun} passed, ${failed} failed${skippedNote}${errors > 0 ? `, ${errors} errors` : ''}`, '');
    process.stdout.write(`${lines.join('\n')}\n`);
  }
}

const firstLine = (text: string | undefined) => {
  const line = (text ?? '').split('\n')[0]!;
  return line.length > 240 ? `${line.slice(0, 239)}…` : line;
};

/** A kind that could not run here (`SkippedSubject`): its one skipped test names why. */
function skippedKind(tests: TestCase[]): string | null {
  if (tests.length !== 1 || tests[0]!.result().state !== 'skipped') return null;
  return tests[0]!.name.startsWith('skipped: ') ? tests[0]!.name : null;
}

const firstFinding = (test: TestCase) => firstLine(test.result().errors?.[0]?.message);

/** Wall time of a kind's checks (they run concurrently). */
function seconds(tests: TestCase[]): string {
  const spans = tests.map((test) => test.diagnostic()).filter((d) => d !== undefined);
  if (spans.length === 0) return '';
  const start = Math.min(...spans.map((d) => d.startTime));
  const end = Math.max(...spans.map((d) => d.startTime + d.duration));
  return `${((end - start) / 1000).toFixed(2)} s`;
}
