import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** The lock file in the data dir: which server process owns it. */
export const LOCK_FILE = 'stepwise.lock';

export interface DataDirLock {
  readonly path: string;
  /** Removes the lock if it is still this process's. */
  release(): void;
}

interface LockRecord {
  pid: number;
  port?: number | undefined;
  started_at?: string | undefined;
}

export interface LockOptions {
  port?: number | undefined;
  /** Told about stale processes that were stopped (the server prints it). */
  log?: (message: string) => void;
}

/** Whether process `pid` exists (signal 0 checks without sending anything). */
export const processAlive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
};

/** Every process with its command line, from `ps` (Linux and macOS); empty where there is none. */
function processes(): { pid: number; args: string }[] {
  let out: string;
  try {
    out = execFileSync('ps', ['-eo', 'pid=,args='], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], maxBuffer: 16 * 1024 * 1024 });
  } catch {
    return [];
  }
  return out
    .split('\n')
    .map((line) => /^\s*(\d+)\s+(.*)$/.exec(line))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => ({ pid: Number(m[1]), args: m[2] ?? '' }));
}

function commandOf(pid: number): string | undefined {
  return processes().find((p) => p.pid === pid)?.args;
}

/** DynamoDB Local processes serving files under `dbPath` (started by any Stepwise version, or by hand). */
export function dynamoDbLocalsOn(dbPath: string): number[] {
  const needle = `-dbPath ${resolve(dbPath)}`;
  return processes()
    .filter((p) => p.pid !== process.pid && /DynamoDBLocal/.test(p.args) && (p.args.endsWith(needle) || p.args.includes(`${needle} `)))
    .map((p) => p.pid);
}

async function stopProcess(pid: number): Promise<void> {
  const signal = (s: NodeJS.Signals) => {
    try {
      process.kill(pid, s);
    } catch {
      // already gone
    }
  };
  // SIGCONT too: a stopped process only acts on SIGTERM once it runs again.
  signal('SIGTERM');
  signal('SIGCONT');
  const deadline = Date.now() + 5_000;
  while (processAlive(pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  if (processAlive(pid)) signal('SIGKILL');
  const hardDeadline = Date.now() + 5_000;
  while (processAlive(pid) && Date.now() < hardDeadline) await new Promise((r) => setTimeout(r, 50));
  if (processAlive(pid)) throw new Error(`could not stop process ${pid}`);
}

/**
 * One local server per data dir (docs/deploy.md, "Local mode"). A second server would run a second
 * DynamoDB Local on the same files, whose writes then fail with InternalFailure, and would share the
 * local engine's run journal. So:
 * - a lock naming a live server process refuses the start, with that process's id;
 * - a lock naming a dead one (the server was SIGKILLed, the machine crashed) is stale: any DynamoDB
 *   Local still serving `<dataDir>/dynamodb` is stopped, then the lock is taken over.
 */
export async function lockDataDir(dataDir: string, options: LockOptions = {}): Promise<DataDirLock> {
  const dir = resolve(dataDir);
  mkdirSync(dir, { recursive: true });
  const path = join(dir, LOCK_FILE);
  const record: LockRecord = { pid: process.pid, port: options.port, started_at: new Date().toISOString() };
  let acquired = false;
  for (let attempt = 0; attempt < 3 && !acquired; attempt += 1) {
    try {
      writeFileSync(path, `${JSON.stringify(record)}\n`, { flag: 'wx' });
      acquired = true;
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const holder = readLock(path);
    if (holder && holder.pid !== process.pid && processAlive(holder.pid) && /node/.test(commandOf(holder.pid) ?? 'node')) {
      throw new Error(
        `the data dir ${dir} is in use by another Stepwise local server (pid ${holder.pid}${holder.port ? `, port ${holder.port}` : ''}); stop it first, or give this one its own STEPWISE_DATA_DIR`,
      );
    }
    rmSync(path, { force: true });
  }
  if (!acquired) throw new Error(`could not take the lock ${path}: another server keeps taking it`);
  try {
    for (const pid of dynamoDbLocalsOn(join(dir, 'dynamodb'))) {
      await stopProcess(pid);
      options.log?.(`Stopped a DynamoDB Local (pid ${pid}) left running on ${join(dir, 'dynamodb')} by a server that did not shut down`);
    }
  } catch (error) {
    rmSync(path, { force: true });
    throw new Error(`a DynamoDB Local left running on ${join(dir, 'dynamodb')} could not be stopped: ${(error as Error).message}`, { cause: error });
  }
  return {
    path,
    release() {
      if (readLock(path)?.pid === process.pid) rmSync(path, { force: true });
    },
  };
}

function readLock(path: string): LockRecord | undefined {
  try {
    const parsed = JSON.parse(readFileSync(path, 'utf8')) as Partial<LockRecord>;
    return typeof parsed.pid === 'number' && Number.isInteger(parsed.pid) && parsed.pid > 0 ? (parsed as LockRecord) : undefined;
  } catch {
    return undefined;
  }
}
