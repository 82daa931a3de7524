import { ApiGatewayManagementApiClient, DeleteConnectionCommand, PostToConnectionCommand } from '@aws-sdk/client-apigatewaymanagementapi';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiGatewayLivePusher } from '../../../../functions/adapters/aws/api-gateway-live-pusher.ts';
import type { LiveMessage } from '../../../../functions/core/live/messages.ts';

const api = mockClient(ApiGatewayManagementApiClient);
const sdkError = (name: string) => Object.assign(new Error(`${name} happened`), { name });
const MESSAGE: LiveMessage = { type: 'execution_update', execution_id: 'exec_01ARZ3NDEKTSV4RRFFQ69G5FAV', status: 'running', node_id: 'start', node_type: 'http.request', timestamp: '2026-03-01T10:00:01Z' };

function pusher() {
  const factory = vi.fn(async () => new ApiGatewayManagementApiClient({ region: 'eu-west-1', endpoint: 'https://abc.execute-api.eu-west-1.amazonaws.com/prod' }));
  return { pusher: new ApiGatewayLivePusher(factory), factory };
}

beforeEach(() => api.reset());

describe('ApiGatewayLivePusher', () => {
  it('posts the message as JSON to the connection, loading the client on first use', async () => {
    api.on(PostToConnectionCommand).resolves({});
    const { pusher: subject, factory } = pusher();
    expect(factory).not.toHaveBeenCalled();
    expect(await subject.push('conn-1', MESSAGE)).toBe(true);
    const [call] = api.commandCalls(PostToConnectionCommand);
    expect(call!.args[0].input.ConnectionId).toBe('conn-1');
    expect(JSON.parse(new TextDecoder().decode(call!.args[0].input.Data as Uint8Array))).toEqual(MESSAGE);
  });

  it('reports a GoneException as a connection that is gone (the caller deletes its records)', async () => {
    api.on(PostToConnectionCommand).rejects(sdkError('GoneException'));
    expect(await pusher().pusher.push('conn-gone', MESSAGE)).toBe(false);
  });

  it('lets other failures through, so EventBridge retries the notification', async () => {
    api.on(PostToConnectionCommand).rejects(sdkError('LimitExceededException'));
    await expect(pusher().pusher.push('conn-1', MESSAGE)).rejects.toThrow('LimitExceededException happened');
  });

  it('disconnects with DeleteConnection; an already-gone connection is not an error', async () => {
    api.on(DeleteConnectionCommand).resolvesOnce({}).rejectsOnce(sdkError('GoneException')).rejects(sdkError('ForbiddenException'));
    const { pusher: subject } = pusher();
    await subject.disconnect('conn-1');
    await subject.disconnect('conn-2');
    await expect(subject.disconnect('conn-3')).rejects.toThrow('ForbiddenException');
    expect(api.commandCalls(DeleteConnectionCommand).map((c) => c.args[0].input.ConnectionId)).toEqual(['conn-1', 'conn-2', 'conn-3']);
  });
});
