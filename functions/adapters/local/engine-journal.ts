import { appendFileSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { EngineJournal, LocalRun, Outcome, RecoveredRun } from './local-engine.ts';

/** Step Functions lets an execution be redriven for 14 days after it stopped; older records are dropped. */
const REDRIVABLE_MS = 14 * 24 * 60 * 60 * 1000;

type Line = { attempt: { redriveCount: number; redriveDate: number | null } } | { wait: { key: string; deadline: number } } | { ended: Outcome };

/**
 * What the local engine must not forget across a restart of the local server, in the data dir
 * (`<dataDir>/engine/`), the way Step Functions keeps its executions (docs/deploy.md, "Local mode"):
 * per execution, `<name>.run.json` (the run as started: definition and input, written once) and
 * `<name>.log` (JSON lines, appended: each attempt, each wait's deadline, each outcome). Appends keep
 * a map with thousands of waiting iterations cheap; a line cut off by a crash is ignored on load.
 * A run that succeeded is forgotten; one that failed, timed out or was stopped stays redrivable.
 */
export class FileEngineJournal implements EngineJournal {
  constructor(private readonly dir: string) {
    mkdirSync(dir, { recursive: true });
  }

  started(run: LocalRun, startDate: number): void {
    const path = this.path(run.executionArn, '.run.json');
    writeFileSync(`${path}.tmp`, JSON.stringify({ run, startDate }));
    renameSync(`${path}.tmp`, path);
    writeFileSync(this.path(run.executionArn, '.log'), '');
  }

  attempt(executionArn: string, redriveCount: number, redriveDate: number | null): void {
    this.append(executionArn, { attempt: { redriveCount, redriveDate } });
  }

  waitUntil(executionArn: string, key: string, deadline: number): void {
    this.append(executionArn, { wait: { key, deadline } });
  }

  ended(executionArn: string, outcome: Outcome): void {
    this.append(executionArn, { ended: outcome });
  }

  forget(executionArn: string): void {
    rmSync(this.path(executionArn, '.run.json'), { force: true });
    rmSync(this.path(executionArn, '.log'), { force: true });
  }

  load(now = Date.now()): RecoveredRun[] {
    const out: RecoveredRun[] = [];
    for (const file of readdirSync(this.dir).filter((f) => f.endsWith('.run.json'))) {
      let record: { run: LocalRun; startDate: number };
      try {
        record = JSON.parse(readFileSync(join(this.dir, file), 'utf8')) as { run: LocalRun; startDate: number };
      } catch {
        continue;
      }
      const recovered: RecoveredRun = { run: record.run, startDate: record.startDate, redriveCount: 0, redriveDate: null, outcome: undefined, waits: {} };
      let text = '';
      try {
        text = readFileSync(this.path(record.run.executionArn, '.log'), 'utf8');
      } catch {
        // no attempt recorded yet
      }
      for (const raw of text.split('\n')) {
        let line: Line;
        try {
          line = JSON.parse(raw) as Line;
        } catch {
          continue;
        }
        if ('attempt' in line) Object.assign(recovered, { ...line.attempt, outcome: undefined });
        else if ('wait' in line) recovered.waits[line.wait.key] = line.wait.deadline;
        else if ('ended' in line) recovered.outcome = line.ended;
      }
      if (recovered.outcome && (recovered.outcome.status === 'SUCCEEDED' || now - recovered.outcome.stopDate > REDRIVABLE_MS)) {
        this.forget(record.run.executionArn);
        continue;
      }
      out.push(recovered);
    }
    return out;
  }

  private append(executionArn: string, line: Line): void {
    appendFileSync(this.path(executionArn, '.log'), `${JSON.stringify(line)}\n`);
  }

  private path(executionArn: string, suffix: string): string {
    return join(this.dir, `${encodeURIComponent(executionArn.slice(executionArn.lastIndexOf(':') + 1))}${suffix}`);
  }
}
