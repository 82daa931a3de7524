import { ChatService } from '../core/chat/chat-service.ts';
import { FallbackChatEngine } from '../core/chat/fallback-engine.ts';
import type { ChatEngine } from '../core/chat/ports.ts';
import { ExecutionWorkflowRunner } from '../core/chat/workflow-runner.ts';
import { RulesChatEngine } from '../core/chat/rules-engine.ts';
import { systemClock } from '../core/clock.ts';
import { createLogger, type Logger } from '../http/logger.ts';
import type { Config } from './config.ts';
import { container } from './container.ts';
import { DynamoChatSessionRepository } from './dynamodb/chat-session-repository.ts';
import { DynamoWorkflowRepository } from './dynamodb/workflow-repository.ts';
import { executionDeps } from './executions-wiring.ts';
import { lazy } from './lazy.ts';

/**
 * The chat function's own wiring, apart from the shared container (like workflows-wiring.ts) so
 * the parser and its vocabulary are bundled only into the chat function.
 */
let service: ChatService | undefined;

export function chatService(): ChatService {
  if (!service) {
    const { config, db, tasks } = container();
    service = new ChatService({
      sessions: new DynamoChatSessionRepository(db, config.TABLE_NAME),
      tasks,
      engine: chatEngineFor(config, createLogger(config.LOG_LEVEL)),
      workflows: new ExecutionWorkflowRunner(new DynamoWorkflowRepository(db, config.TABLE_NAME), {
        start: (principal, workflowId, options) => executionDeps().executions.start(principal, workflowId, options),
      }),
      clock: systemClock,
    });
  }
  return service;
}

/**
 * The rules parser, or Amazon Bedrock with the parser as fallback. The Bedrock SDK and adapter
 * load on the first message, so the default engine never pays for them.
 */
export function chatEngineFor(config: Config, logger: Logger): ChatEngine {
  const rules = new RulesChatEngine();
  if (config.CHAT_ENGINE !== 'bedrock' || !config.BEDROCK_MODEL_ID) return rules;
  const modelId = config.BEDROCK_MODEL_ID;
  const load = lazy(async () => {
    const [{ BedrockRuntimeClient }, { BedrockChatEngine }] = await Promise.all([import('@aws-sdk/client-bedrock-runtime'), import('./aws/bedrock-chat-engine.ts')]);
    // One retry: a second slow attempt would outlast the fallback's budget.
    return new BedrockChatEngine(new BedrockRuntimeClient({ region: config.AWS_REGION, maxAttempts: 2 }), { modelId });
  });
  const bedrock: ChatEngine = { name: 'bedrock', interpret: async (message, context) => (await load()).interpret(message, context) };
  return new FallbackChatEngine(bedrock, rules, (reason, error) =>
    logger.warn('chat: Bedrock gave no usable answer, the rules parser answered', { reason, model_id: modelId, error: error instanceof Error ? `${error.name}: ${error.message}` : undefined }),
  );
}
