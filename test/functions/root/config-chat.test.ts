import { describe, expect, it } from 'vitest';
import { chatEngineFor } from '../../../functions/root/chat.ts';
import { parseConfig } from '../../../functions/root/config.ts';
import { createJsonLogger } from '../../../functions/adapters/logging/json-logger.ts';

const base = { TABLE_NAME: 'tbl', DYNAMODB_ENDPOINT: 'http://127.0.0.1:8000' };
const logger = createJsonLogger('error', () => undefined);

describe('chat engine configuration', () => {
  it('defaults to the offline rules engine', () => {
    const config = parseConfig(base);
    expect(config.CHAT_ENGINE).toBe('rules');
    expect(chatEngineFor(config, logger).name).toBe('rules');
  });

  it('selects Bedrock with a model id, behind the rules fallback, without loading the SDK yet', () => {
    const config = parseConfig({ ...base, CHAT_ENGINE: 'bedrock', BEDROCK_MODEL_ID: 'anthropic.claude-3-haiku-20240307-v1:0' });
    expect(config.BEDROCK_MODEL_ID).toBe('anthropic.claude-3-haiku-20240307-v1:0');
    expect(chatEngineFor(config, logger).name).toBe('bedrock');
  });

  it('refuses to start with Bedrock but no model, or an unknown engine', () => {
    expect(() => parseConfig({ ...base, CHAT_ENGINE: 'bedrock' })).toThrow(/Invalid Stepwise configuration: BEDROCK_MODEL_ID: is required when CHAT_ENGINE is bedrock/);
    expect(() => parseConfig({ ...base, CHAT_ENGINE: 'gpt' })).toThrow(/CHAT_ENGINE/);
  });
});
