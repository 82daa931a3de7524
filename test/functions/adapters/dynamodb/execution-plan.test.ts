import { describe, expect, it } from 'vitest';
import { executionPlan } from '../../../../functions/adapters/dynamodb/execution-repository.ts';

const A = 'acct_01ARZ3NDEKTSV4RRFFQ69G5FAV';
const WF = 'wf_01ARZ3NDEKTSV4RRFFQ69G5FAV';
const START = '2026-01-01T00:00:00.000Z';
const END = '2026-01-31T23:59:59.999Z';
// encodeTime(Date.parse(START), 10) and encodeTime(Date.parse(END), 10), written out so the test checks the encoding too.
const START_TIME = '01KDVDNA00';
const END_TIME = '01KGB7ZJZZ';

const gsi = (name: 'gsi1' | 'gsi2' | 'gsi3', value: string, from: string, to: string, counter?: string) => ({
  input: {
    IndexName: name,
    KeyConditionExpression: '#pk = :pk AND #sk BETWEEN :from AND :to',
    ExpressionAttributeNames: { '#pk': `${name}pk`, '#sk': `${name}sk` },
    ExpressionAttributeValues: { ':pk': value, ':from': from, ':to': to },
    ScanIndexForward: false,
  },
  partition: { attr: `${name}pk`, value },
  keyAttrs: ['pk', 'sk', `${name}pk`, `${name}sk`],
  counter: counter ? { accountId: A, attr: counter } : undefined,
});

const base = (from: string, to: string, counter?: string) => ({
  input: {
    KeyConditionExpression: '#pk = :pk AND #sk BETWEEN :from AND :to',
    ExpressionAttributeNames: { '#pk': 'pk', '#sk': 'sk' },
    ExpressionAttributeValues: { ':pk': `ACCT#${A}`, ':from': `EXEC#${from}`, ':to': `EXEC#${to}` },
    ScanIndexForward: false,
  },
  partition: { attr: 'pk', value: `ACCT#${A}` },
  keyAttrs: ['pk', 'sk'],
  counter: counter ? { accountId: A, attr: counter } : undefined,
});

describe('executionPlan', () => {
  it('no filter: the account partition over the whole EXEC# range, newest first, total from executions_total', () => {
    expect(executionPlan(A, {})).toEqual(base('exec_', 'exec_~', 'executions_total'));
  });

  it('a date range on the account partition: ULID-time bounds, and a COUNT total (no counter)', () => {
    expect(executionPlan(A, { startDate: START, endDate: END })).toEqual(base(`exec_${START_TIME}`, `exec_${END_TIME}~`));
    expect(executionPlan(A, { startDate: START })).toEqual(base(`exec_${START_TIME}`, 'exec_~'));
    expect(executionPlan(A, { endDate: END })).toEqual(base('exec_', `exec_${END_TIME}~`));
  });

  it('workflowId: gsi1 on the workflow partition, never a counter', () => {
    const pk = `ACCT#${A}#EXEC#WF#${WF}`;
    expect(executionPlan(A, { workflowId: WF })).toEqual(gsi('gsi1', pk, 'exec_', 'exec_~'));
    expect(executionPlan(A, { workflowId: WF, startDate: START, endDate: END })).toEqual(gsi('gsi1', pk, `exec_${START_TIME}`, `exec_${END_TIME}~`));
  });

  it('status: gsi2 on the status partition, counter-backed only when unranged', () => {
    const pk = `ACCT#${A}#EXEC#STATUS#running`;
    expect(executionPlan(A, { status: 'running' })).toEqual(gsi('gsi2', pk, 'exec_', 'exec_~', 'executions_status_running'));
    expect(executionPlan(A, { status: 'running', startDate: START })).toEqual(gsi('gsi2', pk, `exec_${START_TIME}`, 'exec_~'));
    expect(executionPlan(A, { status: 'running', endDate: END })).toEqual(gsi('gsi2', pk, 'exec_', `exec_${END_TIME}~`));
  });

  it('workflowId + status: gsi3 on the workflow-and-status partition, never a counter', () => {
    const pk = `ACCT#${A}#EXEC#WF#${WF}#STATUS#failed`;
    expect(executionPlan(A, { workflowId: WF, status: 'failed' })).toEqual(gsi('gsi3', pk, 'exec_', 'exec_~'));
    expect(executionPlan(A, { workflowId: WF, status: 'failed', startDate: START, endDate: END })).toEqual(gsi('gsi3', pk, `exec_${START_TIME}`, `exec_${END_TIME}~`));
  });

  it('the bounds are inclusive at millisecond precision and sort around every id of that millisecond', () => {
    const plan = executionPlan(A, { status: 'pending', startDate: START, endDate: START });
    const values = plan.input.ExpressionAttributeValues as Record<string, string>;
    const lowest = `exec_${START_TIME}0000000000000000`;
    const highest = `exec_${START_TIME}ZZZZZZZZZZZZZZZZ`;
    expect(values[':from']! <= lowest).toBe(true);
    expect(values[':to']! >= highest).toBe(true);
    // The next millisecond is outside.
    expect(`exec_01KDVDNA01${'0'.repeat(16)}` > values[':to']!).toBe(true);
  });

  it('undefined fields count as absent', () => {
    expect(executionPlan(A, { workflowId: undefined, status: undefined, startDate: undefined, endDate: undefined })).toEqual(base('exec_', 'exec_~', 'executions_total'));
  });
});

describe('executionPlan with instants before 1970', () => {
  // The API's IsoInstant accepts such dates; ULIDs cannot hold them, so the bounds clamp to the epoch.
  it('a start_date before the epoch bounds nothing (every id is after it)', () => {
    const plan = executionPlan(A, { startDate: '1969-12-31T00:00:00.000Z' });
    const values = plan.input.ExpressionAttributeValues as Record<string, string>;
    expect(values[':from']! <= `EXEC#exec_${'0'.repeat(26)}`).toBe(true);
  });

  it('an end_date before the epoch plans a list (that matches nothing) rather than throwing', () => {
    expect(() => executionPlan(A, { endDate: '1969-12-31T00:00:00.000Z' })).not.toThrow();
  });
});
