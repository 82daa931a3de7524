import { chatService } from '../adapters/chat-wiring.ts';
import { pipelineOptions } from '../adapters/container.ts';
import { httpHandler } from '../http/pipeline.ts';
import { chatOperations } from './operations.ts';

/** Chat: Behflow's plain-language task assistant (docs/api.md#chat). */
export const handler = httpHandler('chat', chatOperations(chatService), pipelineOptions());
