import { DeleteConnectionCommand, PostToConnectionCommand, type ApiGatewayManagementApiClient } from '@aws-sdk/client-apigatewaymanagementapi';
import type { LiveMessage } from '../../core/live/messages.ts';
import type { LivePusher } from '../../core/live/ports.ts';

const errorName = (error: unknown) => (error as { name?: string } | undefined)?.name;

/**
 * Sends live messages through the WebSocket API's management endpoint (the stage's callback URL,
 * set on the client). A `GoneException` means the client left without `$disconnect` reaching us
 * (network drop): the connection is reported gone so its records are removed.
 */
export class ApiGatewayLivePusher implements LivePusher {
  constructor(private readonly client: () => Promise<ApiGatewayManagementApiClient>) {}

  async push(connectionId: string, message: LiveMessage): Promise<boolean> {
    try {
      await (await this.client()).send(new PostToConnectionCommand({ ConnectionId: connectionId, Data: new TextEncoder().encode(JSON.stringify(message)) }));
      return true;
    } catch (error) {
      if (errorName(error) === 'GoneException') return false;
      throw error;
    }
  }

  async disconnect(connectionId: string): Promise<void> {
    try {
      await (await this.client()).send(new DeleteConnectionCommand({ ConnectionId: connectionId }));
    } catch (error) {
      if (errorName(error) !== 'GoneException') throw error;
    }
  }
}
