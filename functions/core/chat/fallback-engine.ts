import type { ChatContext, Interpretation } from './chat.ts';
import type { ChatEngine } from './ports.ts';

/**
 * Tries `primary` (Amazon Bedrock) and answers with `fallback` (the rules parser) when it throws or
 * returns nothing usable, so a model outage, throttling or an odd answer degrades the chat to the
 * offline parser instead of failing the request.
 */
export class FallbackChatEngine implements ChatEngine {
  readonly name;

  constructor(
    private readonly primary: ChatEngine,
    private readonly fallback: ChatEngine,
    private readonly onFallback: (reason: 'error' | 'unusable', error?: unknown) => void = () => undefined,
  ) {
    this.name = primary.name;
  }

  async interpret(message: string, context: ChatContext): Promise<Interpretation> {
    try {
      const result = await this.primary.interpret(message, context);
      if (result.intents.length > 0) return result;
      this.onFallback('unusable');
    } catch (error) {
      this.onFallback('error', error);
    }
    return this.fallback.interpret(message, context);
  }
}
