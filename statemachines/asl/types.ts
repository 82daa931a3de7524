/** The subset of the Amazon States Language (JSONPath flavour) the compiler emits. */

export type JsonPrimitive = string | number | boolean | null;
export type JsonValue = JsonPrimitive | JsonValue[] | { [key: string]: JsonValue };
/** A payload template: keys ending in `.$` hold paths or intrinsic functions. */
export type PayloadTemplate = { [key: string]: JsonValue };

export interface AslRetrier {
  ErrorEquals: string[];
  IntervalSeconds?: number;
  MaxAttempts?: number;
  BackoffRate?: number;
  MaxDelaySeconds?: number;
  JitterStrategy?: 'FULL' | 'NONE';
}

export interface AslCatcher {
  ErrorEquals: string[];
  ResultPath?: string | null;
  Next: string;
}

interface Common {
  Comment?: string;
  InputPath?: string | null;
  OutputPath?: string | null;
}

interface Transition {
  Next?: string;
  End?: true;
}

export interface AslTaskState extends Common, Transition {
  Type: 'Task';
  Resource: string;
  Parameters?: PayloadTemplate;
  ResultSelector?: PayloadTemplate;
  ResultPath?: string | null;
  TimeoutSeconds?: number;
  /** A path to the timeout in the state input (jobs: the node's own timeout, statemachines/jobs.ts). */
  TimeoutSecondsPath?: string;
  HeartbeatSeconds?: number;
  Retry?: AslRetrier[];
  Catch?: AslCatcher[];
}

export interface AslPassState extends Common, Transition {
  Type: 'Pass';
  Parameters?: PayloadTemplate;
  Result?: JsonValue;
  ResultPath?: string | null;
}

export interface AslWaitState extends Common, Transition {
  Type: 'Wait';
  Seconds?: number;
  Timestamp?: string;
  SecondsPath?: string;
  TimestampPath?: string;
}

export interface AslChoiceRule {
  Variable: string;
  StringEquals: string;
  Next: string;
}

export interface AslChoiceState extends Common {
  Type: 'Choice';
  Choices: AslChoiceRule[];
  Default?: string;
}

export interface AslBranch {
  StartAt: string;
  States: Record<string, AslState>;
}

export interface AslParallelState extends Common, Transition {
  Type: 'Parallel';
  Branches: AslBranch[];
  ResultSelector?: PayloadTemplate;
  ResultPath?: string | null;
  Retry?: AslRetrier[];
  Catch?: AslCatcher[];
}

export interface AslMapState extends Common, Transition {
  Type: 'Map';
  ItemsPath?: string;
  ItemSelector?: PayloadTemplate;
  ItemProcessor: AslBranch & { ProcessorConfig: { Mode: 'INLINE' } };
  MaxConcurrency?: number;
  ResultSelector?: PayloadTemplate;
  ResultPath?: string | null;
  Retry?: AslRetrier[];
  Catch?: AslCatcher[];
}

export interface AslSucceedState extends Common {
  Type: 'Succeed';
}

export interface AslFailState {
  Type: 'Fail';
  Comment?: string;
  Error?: string;
  Cause?: string;
  ErrorPath?: string;
  CausePath?: string;
}

export type AslState = AslTaskState | AslPassState | AslWaitState | AslChoiceState | AslParallelState | AslMapState | AslSucceedState | AslFailState;

export interface AslStateMachine {
  Comment?: string;
  StartAt: string;
  States: Record<string, AslState>;
  TimeoutSeconds?: number;
}

/** Step Functions rejects definitions above 1,048,576 bytes. */
export const MAX_DEFINITION_BYTES = 1_048_576;
/** State input/output (and a task's result) may not exceed 256 KiB. */
export const MAX_PAYLOAD_BYTES = 262_144;
/** An execution fails once its history reaches 25,000 events. */
export const MAX_HISTORY_EVENTS = 25_000;
/** State names are limited to 80 characters. */
export const MAX_STATE_NAME = 80;
