import type { Transaction, UnitOfWork, UnitOfWorkRunner } from '../src/index.js';

/**
 * A UnitOfWorkRunner for unit tests: records each committed unit and answers what the test queued
 * (true by default), or throws it. Like a transaction, it runs the unit's steps in order when it
 * answers true (a step's throw comes out of `commit`), against an empty transaction client.
 */
export class RecordingRunner implements Pick<UnitOfWorkRunner, 'commit'> {
  readonly commits: { unit: UnitOfWork; what: string }[] = [];
  readonly answers: (boolean | Error)[] = [];

  async commit(unit: UnitOfWork, what: string): Promise<boolean> {
    this.commits.push({ unit, what });
    const answer = this.answers.shift() ?? true;
    if (answer instanceof Error) throw answer;
    if (answer) for (const write of unit.writes) if ('run' in write) await write.run({} as Transaction);
    return answer;
  }

  /** The names of the writes of commit number `commit` (`step` for a transaction step). */
  partNames(commit: number): string[] {
    return this.commits[commit]!.unit.writes.map((write) => ('name' in write ? write.name : 'step'));
  }

  asRunner(): UnitOfWorkRunner {
    return this as unknown as UnitOfWorkRunner;
  }
}
