import { ChatService } from '../core/chat/chat-service.ts';
import { FallbackChatEngine } from '../core/chat/fallback-engine.ts';
import type { ChatEngine } from '../core/chat/ports.ts';
import { RulesChatEngine } from '../core/chat/rules-engine.ts';
import { ExecutionWorkflowRunner } from '../core/chat/workflow-runner.ts';
import type { Logger } from '../core/logger.ts';
import { DynamoChatSessionRepository } from '../adapters/dynamodb/chat-session-repository.ts';
import { lazy } from '../adapters/lazy.ts';
import type { Config } from './config.ts';
import { executionsOf } from './executions.ts';
import { slice } from './stepwise.ts';
import { workflowRepositoryOf } from './repositories.ts';

/** The chat function's slice: the parser and its vocabulary are bundled only into the chat function. */
export const chatOf = slice(
  (stepwise): ChatService =>
    new ChatService({
      sessions: new DynamoChatSessionRepository(stepwise.db, stepwise.table),
      tasks: stepwise.tasks,
      engine: chatEngineFor(stepwise.config, stepwise.logger),
      workflows: new ExecutionWorkflowRunner(workflowRepositoryOf(stepwise), {
        start: (principal, workflowId, options) => executionsOf(stepwise).executions.start(principal, workflowId, options),
      }),
      clock: stepwise.clock,
    }),
);

/**
 * The rules parser, or Amazon Bedrock with the parser as fallback (docs/api.md#chat). The Bedrock
 * SDK and adapter load on the first message, so the default engine never pays for them.
 */
export function chatEngineFor(config: Config, logger: Pick<Logger, 'warn'>): ChatEngine {
  const rules = new RulesChatEngine();
  if (config.CHAT_ENGINE !== 'bedrock' || !config.BEDROCK_MODEL_ID) return rules;
  const modelId = config.BEDROCK_MODEL_ID;
  const load = lazy(async () => (await import('../adapters/aws/bedrock-chat-engine.ts')).createBedrockChatEngine(config.AWS_REGION, modelId));
  const bedrock: ChatEngine = { name: 'bedrock', interpret: async (message, context) => (await load()).interpret(message, context) };
  return new FallbackChatEngine(bedrock, rules, (reason, error) =>
    logger.warn('chat: Bedrock gave no usable answer, the rules parser answered', { reason, model_id: modelId, error: error instanceof Error ? `${error.name}: ${error.message}` : undefined }),
  );
}
