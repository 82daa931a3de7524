import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { RECORDINGS_DIR, REPO_ROOT, type RecordedCall } from '../../support/sdk-recordings.ts';

/** What the unit and e2e projects recorded (test/support/sdk-recorder.ts); test files since deleted are ignored. */
export function loadRecordings(): RecordedCall[] {
  if (!existsSync(RECORDINGS_DIR)) return [];
  return readdirSync(RECORDINGS_DIR)
    .filter((f) => f.endsWith('.json'))
    .flatMap((f) => JSON.parse(readFileSync(join(RECORDINGS_DIR, f), 'utf8')) as RecordedCall[])
    .filter((call) => existsSync(join(REPO_ROOT, call.testFile)));
}

export interface SentCommand {
  readonly adapter: string;
  readonly command: string;
}

/** Code that runs only in local mode (emulators, DynamoDB Local setup): never deployed, never simulated. */
export const LOCAL_ONLY = /^functions\/adapters\/local\//;

/**
 * Every SDK command any adapter's source constructs (`new XCommand(` or `new sdk.XCommand(`), by
 * module: the list the recordings must cover, so an untested command is found even with no test.
 */
export function commandsInSource(): SentCommand[] {
  const out: SentCommand[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(join(REPO_ROOT, dir), { withFileTypes: true })) {
      const path = join(dir, name.name);
      if (name.isDirectory()) walk(path);
      else if (name.name.endsWith('.ts')) {
        const source = readFileSync(join(REPO_ROOT, path), 'utf8');
        for (const m of source.matchAll(/new\s+(?:\w+\.)?([A-Z]\w*Command)\s*\(/g)) out.push({ adapter: relative('.', path), command: m[1]! });
      }
    }
  };
  walk('functions/adapters');
  const seen = new Set<string>();
  return out.filter((c) => !LOCAL_ONLY.test(c.adapter) && !seen.has(`${c.adapter} ${c.command}`) && seen.add(`${c.adapter} ${c.command}`));
}
