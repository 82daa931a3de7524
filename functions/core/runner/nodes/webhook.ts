import { createHash } from 'node:crypto';
import type { TaskRunnerRequest } from '../../../../statemachines/task-runner-contract.ts';
import { InvalidWebhookSecret, signWebhook } from '../../webhooks/signature.ts';
import { WEBHOOK_SECRET_KEY } from '../capabilities.ts';
import { nonRetryable } from '../errors.ts';
import { buildUrl, DEFAULT_HTTP_TIMEOUT_MS, failUnlessOk, hasHeader, parseBody, send, stringHeaders } from './http.ts';
import { asRecord, executed, recordsOf, type NodeExecutor } from './run.ts';

/** `webhook`: a POST signed like Stepwise's own webhooks when the account has the signing secret. */
export const webhook: NodeExecutor = {
  async execute(run) {
    const { request, ctx } = run;
    const p = asRecord(await run.templates.resolve(run.params));
    const method = typeof p.method === 'string' ? p.method.toUpperCase() : 'POST';
    const url = buildUrl(p.url, undefined);
    const body = JSON.stringify(p.body === undefined ? (ctx.input ?? null) : p.body);

    // A node that names its secret needs it; the account default only signs when it exists (FlowRunner's
    // example flow has no secret at all, and must still deliver: docs/api.md#executions).
    const named = typeof p.signing_secret === 'string' ? p.signing_secret : undefined;
    const secretKey = named ?? WEBHOOK_SECRET_KEY;
    const secret = await ctx.secret(secretKey);
    if (secret === undefined && named) throw nonRetryable(`the webhook node signs with the account secret ${named}, which does not exist`);
    if (secret !== undefined) run.templates.secretValues.add(secret);
    const id = webhookId(request);
    let signature: Record<string, string> = {};
    if (secret !== undefined) {
      try {
        signature = { ...signWebhook({ id, timestamp: Math.floor(ctx.now().getTime() / 1000), body, secret }) };
      } catch (error) {
        if (error instanceof InvalidWebhookSecret) throw nonRetryable(`account secret ${secretKey} is not usable: ${error.message}`);
        throw error;
      }
    }
    // The signature headers are ours; a user header of the same name would only make verification fail.
    const headers = Object.fromEntries(Object.entries(stringHeaders(p.headers)).filter(([k]) => !Object.hasOwn(signature, k.toLowerCase())));
    if (!hasHeader(headers, 'content-type')) headers['content-type'] = 'application/json';
    Object.assign(headers, signature);

    if (secret === undefined) run.log('info', `Webhook delivery (unsigned: the account has no ${WEBHOOK_SECRET_KEY} secret)`, { method, url, webhook_id: id, signed: false });
    else run.log('info', 'Webhook delivery', { method, url, webhook_id: id, signed: true, signing_secret: secretKey });
    const response = await send(run, { method, url, headers, body, timeoutMs: run.deps.limits?.defaultTimeoutMs ?? DEFAULT_HTTP_TIMEOUT_MS });
    failUnlessOk(run, response, 'Webhook delivery failed');
    run.log('info', 'Webhook delivered', { status_code: response.status, url: response.url, webhook_id: id });
    return executed({ status_code: response.status, webhook_id: id }, { status_code: response.status }, recordsOf(parseBody(response)));
  },
};

/**
 * Stable across retries of the same node (and per map iteration), so receivers can de-duplicate: Standard
 * Webhooks treats webhook-id as the idempotency key, while the timestamp is fresh on every attempt.
 */
export function webhookId(request: Pick<TaskRunnerRequest, 'execution_id' | 'node_id' | 'map'>): string {
  const digest = createHash('sha256').update(`${request.execution_id}\u0000${request.node_id}\u0000${request.map?.key ?? ''}`).digest('hex');
  return `msg_${digest.slice(0, 32)}`;
}
