import { describe, expect, it, vi } from 'vitest';
import type { LocalEngine, LocalRun } from '../../../../functions/adapters/local/local-engine.ts';
import { LocalExecutionEngine } from '../../../../functions/adapters/local/local-execution-engine.ts';
import { AppError } from '../../../../functions/core/errors.ts';

const ACCOUNT = 'acct_01ARZ3NDEKTSV4RRFFQ69G5FAV';
const WF = 'wf_01ARZ3NDEKTSV4RRFFQ69G5FAV';
const MACHINE = `arn:aws:states:local:000000000000:stateMachine:stepwise-${WF}`;
const NAME = `exec_01ARZ3NDEKTSV4RRFFQ69G5FAV-${ACCOUNT}`;
const EXECUTION_ARN = `arn:aws:states:local:000000000000:execution:stepwise-${WF}:${NAME}`;

/** Just the four methods the adapter uses, with the real engine's semantics for running/finished runs. */
class FakeLocalEngine {
  readonly started: LocalRun[] = [];
  readonly stopped: { executionArn: string; details: { error?: string; cause?: string } }[] = [];
  readonly redriven: string[] = [];
  readonly running = new Set<string>();
  readonly redrivable = new Set<string>();

  start(run: LocalRun): void {
    this.started.push(run);
    this.running.add(run.executionArn);
  }
  stop(executionArn: string, details: { error?: string; cause?: string } = {}): boolean {
    this.stopped.push({ executionArn, details });
    return this.running.delete(executionArn);
  }
  redrive(executionArn: string): boolean {
    this.redriven.push(executionArn);
    return this.redrivable.has(executionArn);
  }
  isRunning(executionArn: string): boolean {
    return this.running.has(executionArn);
  }
}

function setup() {
  const fake = new FakeLocalEngine();
  const definitions = vi.fn(async (accountId: string, workflowId: string, version: number) => JSON.stringify({ accountId, workflowId, version }));
  const engine = new LocalExecutionEngine(fake as unknown as LocalEngine, definitions);
  return { fake, definitions, engine };
}

const startInput = { workflowId: WF, accountId: ACCOUNT, aliasArn: `${MACHINE}:live`, stateMachineArn: MACHINE, version: 7, name: NAME, input: { a: 1 } };

describe('LocalExecutionEngine', () => {
  it('start derives the execution ARN from the machine ARN and runs the definition of that version', async () => {
    const { fake, definitions, engine } = setup();
    expect(await engine.start(startInput)).toBe(EXECUTION_ARN);
    expect(definitions).toHaveBeenCalledTimes(1);
    expect(definitions).toHaveBeenCalledWith(ACCOUNT, WF, 7);
    expect(fake.started).toEqual([
      {
        executionArn: EXECUTION_ARN,
        stateMachineArn: MACHINE,
        name: NAME,
        definition: JSON.stringify({ accountId: ACCOUNT, workflowId: WF, version: 7 }),
        input: { a: 1 },
      },
    ]);
  });

  it('start is idempotent while the run is in progress: same ARN, no second definition read or engine start', async () => {
    const { fake, definitions, engine } = setup();
    await engine.start(startInput);
    expect(await engine.start(startInput)).toBe(EXECUTION_ARN);
    expect(await engine.start({ ...startInput, input: { different: true } })).toBe(EXECUTION_ARN);
    expect(definitions).toHaveBeenCalledTimes(1);
    expect(fake.started).toHaveLength(1);
  });

  it('a definition that cannot be read fails the start without touching the engine', async () => {
    const fake = new FakeLocalEngine();
    const engine = new LocalExecutionEngine(fake as unknown as LocalEngine, async () => {
      throw new Error('version 7 is not published');
    });
    await expect(engine.start(startInput)).rejects.toThrow('version 7 is not published');
    expect(fake.started).toEqual([]);
  });

  it('a start of a finished execution of the same name returns its ARN, as Step Functions does; other errors propagate', async () => {
    const { fake, engine } = setup();
    fake.start = () => {
      throw Object.assign(new Error(`Execution already exists: ${EXECUTION_ARN}`), { name: 'ExecutionAlreadyExists' });
    };
    await expect(engine.start(startInput)).resolves.toBe(EXECUTION_ARN);
    fake.start = () => {
      throw new Error('definition is broken');
    };
    await expect(engine.start(startInput)).rejects.toThrow('definition is broken');
  });

  it('stop delegates with the error and cause, and finished or unknown runs are not an error', async () => {
    const { fake, engine } = setup();
    await engine.start(startInput);
    await engine.stop(EXECUTION_ARN, { error: 'Stepwise.Cancelled', cause: 'Cancelled by usr_1' });
    await expect(engine.stop(EXECUTION_ARN, { error: 'Stepwise.Cancelled', cause: 'again' })).resolves.toBeUndefined();
    await expect(engine.stop('arn:aws:states:local:000000000000:execution:m:unknown', { error: 'e', cause: 'c' })).resolves.toBeUndefined();
    expect(fake.stopped).toEqual([
      { executionArn: EXECUTION_ARN, details: { error: 'Stepwise.Cancelled', cause: 'Cancelled by usr_1' } },
      { executionArn: EXECUTION_ARN, details: { error: 'Stepwise.Cancelled', cause: 'again' } },
      { executionArn: 'arn:aws:states:local:000000000000:execution:m:unknown', details: { error: 'e', cause: 'c' } },
    ]);
    expect(fake.isRunning(EXECUTION_ARN)).toBe(false);
  });

  it('redrive delegates when the engine knows the run', async () => {
    const { fake, engine } = setup();
    fake.redrivable.add(EXECUTION_ARN);
    await expect(engine.redrive(EXECUTION_ARN)).resolves.toBeUndefined();
    expect(fake.redriven).toEqual([EXECUTION_ARN]);
  });

  it('redrive of a run the engine does not know (or will not redrive) is a 409 conflict', async () => {
    const { fake, engine } = setup();
    const error = await engine.redrive(EXECUTION_ARN).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ code: 'conflict', status: 409, field: 'status' });
    expect((error as AppError).message).toContain('not known to the local engine');
    expect(fake.redriven).toEqual([EXECUTION_ARN]);
  });
});
