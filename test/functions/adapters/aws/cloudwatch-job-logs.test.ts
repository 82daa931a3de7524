import { CloudWatchLogsClient, GetLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { CloudWatchJobLogs } from '../../../../functions/adapters/aws/cloudwatch-job-logs.ts';

const logs = mockClient(CloudWatchLogsClient);
beforeEach(() => logs.reset());
const subject = () => new CloudWatchJobLogs(vi.fn(async () => new CloudWatchLogsClient({ region: 'us-east-1' })));
const LOCATION = { groupName: '/aws/codebuild/stepwise-dev-jobs', streamName: '0b7c1f2e-1111-2222-3333-444455556666' };

describe('CloudWatchJobLogs', () => {
  it('reads the newest events of the build’s stream in one GetLogEvents, oldest first, newlines trimmed', async () => {
    logs.on(GetLogEventsCommand).resolves({ events: [{ message: 'one\n', timestamp: 1 }, { message: 'two\n', timestamp: 2 }] });
    expect(await subject().tail(LOCATION, 1024)).toEqual({ lines: ['one', 'two'], truncated: false });
    expect(logs.commandCalls(GetLogEventsCommand).map((c) => c.args[0].input)).toEqual([{ logGroupName: LOCATION.groupName, logStreamName: LOCATION.streamName, startFromHead: false }]);
  });

  it('keeps only the last lines that fit maxBytes, and says it cut', async () => {
    logs.on(GetLogEventsCommand).resolves({ events: ['aaaa', 'bbbb', 'cccc'].map((message) => ({ message })) });
    expect(await subject().tail(LOCATION, 10)).toEqual({ lines: ['bbbb', 'cccc'], truncated: true });
  });

  it('an empty stream is no lines; an SDK error is thrown to the caller (record_job logs it and goes on)', async () => {
    logs.on(GetLogEventsCommand).resolvesOnce({}).rejectsOnce(Object.assign(new Error('denied'), { name: 'AccessDeniedException' }));
    expect(await subject().tail(LOCATION, 10)).toEqual({ lines: [], truncated: false });
    await expect(subject().tail(LOCATION, 10)).rejects.toMatchObject({ name: 'AccessDeniedException' });
  });
});
