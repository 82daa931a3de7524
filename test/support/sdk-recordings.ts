import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Where test/support/sdk-recorder.ts (and the local server's sdk-recorder-process.mjs) keep what adapters sent. */
export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const RECORDINGS_DIR = join(REPO_ROOT, 'node_modules', '.cache', 'stepwise-sdk-calls');

export interface RecordedCall {
  /** The test file that made the adapter send it (relative to the repository). */
  readonly testFile: string;
  /** The adapter module that sent it, e.g. `functions/adapters/aws/eventbridge-schedules.ts`. */
  readonly adapter: string;
  /** The function or method on the stack in that module, e.g. `EventBridgeSchedules.remove`. */
  readonly caller: string;
  /** The SDK client class the command went through, e.g. `SchedulerClient`. */
  readonly client: string;
  /** The command class, e.g. `DeleteScheduleCommand`. */
  readonly command: string;
  readonly input: unknown;
}
