import { Sha256 } from '@smithy/core/checksum';
import { SignatureV4 } from '@smithy/signature-v4';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider, HttpRequest } from '@smithy/types';

/*
 * The four API Gateway control-plane calls per-account keys need, plus GetUsagePlans.
 *
 * Why not @aws-sdk/client-api-gateway: it is not a dependency of this project (package.json is
 * the lead's), so this module speaks the same REST-JSON protocol with the SDK's own SigV4 signer.
 * The command classes mirror the SDK's names, inputs and outputs, so adding the SDK client later
 * is an import swap in api-gateway-keys.ts and the deletion of this file.
 */

export interface Tags {
  [key: string]: string;
}

export interface CreateApiKeyInput {
  name?: string;
  description?: string;
  enabled?: boolean;
  value?: string;
  tags?: Tags;
}
export interface CreateApiKeyOutput {
  id?: string;
  value?: string;
  name?: string;
  enabled?: boolean;
  tags?: Tags;
}
export interface CreateUsagePlanKeyInput {
  usagePlanId: string;
  keyId: string;
  keyType: 'API_KEY';
}
export interface CreateUsagePlanKeyOutput {
  id?: string;
  type?: string;
  name?: string;
}
export interface DeleteUsagePlanKeyInput {
  usagePlanId: string;
  keyId: string;
}
export interface DeleteApiKeyInput {
  apiKey: string;
}
export interface GetUsagePlansInput {
  position?: string;
  limit?: number;
}
export interface UsagePlanSummary {
  id?: string;
  name?: string;
}
export interface GetUsagePlansOutput {
  items?: UsagePlanSummary[];
  position?: string;
}

interface Call {
  method: 'GET' | 'POST' | 'DELETE';
  path: string;
  query?: Record<string, string>;
  body?: unknown;
}

export abstract class ApiGatewayCommand<Input, Output> {
  constructor(readonly input: Input) {}
  abstract call(): Call;
  abstract output(body: Record<string, unknown>): Output;
}

const seg = encodeURIComponent;

export class CreateApiKeyCommand extends ApiGatewayCommand<CreateApiKeyInput, CreateApiKeyOutput> {
  call(): Call {
    return { method: 'POST', path: '/apikeys', body: this.input };
  }
  output(body: Record<string, unknown>): CreateApiKeyOutput {
    return body as CreateApiKeyOutput;
  }
}

export class CreateUsagePlanKeyCommand extends ApiGatewayCommand<CreateUsagePlanKeyInput, CreateUsagePlanKeyOutput> {
  call(): Call {
    const { usagePlanId, ...body } = this.input;
    return { method: 'POST', path: `/usageplans/${seg(usagePlanId)}/keys`, body };
  }
  output(body: Record<string, unknown>): CreateUsagePlanKeyOutput {
    return body as CreateUsagePlanKeyOutput;
  }
}

export class DeleteUsagePlanKeyCommand extends ApiGatewayCommand<DeleteUsagePlanKeyInput, Record<string, never>> {
  call(): Call {
    return { method: 'DELETE', path: `/usageplans/${seg(this.input.usagePlanId)}/keys/${seg(this.input.keyId)}` };
  }
  output(): Record<string, never> {
    return {};
  }
}

export class DeleteApiKeyCommand extends ApiGatewayCommand<DeleteApiKeyInput, Record<string, never>> {
  call(): Call {
    return { method: 'DELETE', path: `/apikeys/${seg(this.input.apiKey)}` };
  }
  output(): Record<string, never> {
    return {};
  }
}

export class GetUsagePlansCommand extends ApiGatewayCommand<GetUsagePlansInput, GetUsagePlansOutput> {
  call(): Call {
    const query: Record<string, string> = {};
    if (this.input.limit !== undefined) query.limit = String(this.input.limit);
    if (this.input.position !== undefined) query.position = this.input.position;
    return { method: 'GET', path: '/usageplans', query };
  }
  output(body: Record<string, unknown>): GetUsagePlansOutput {
    // The wire name of a collection is `item`; the SDK renames it `items`.
    const items = (body.item ?? body.items ?? []) as UsagePlanSummary[];
    return { items, ...(typeof body.position === 'string' ? { position: body.position } : {}) };
  }
}

/** A service error with the SDK's shape: `name` is the exception type (NotFoundException, …). */
export class ApiGatewayServiceError extends Error {
  readonly $metadata: { httpStatusCode: number };
  constructor(name: string, message: string, status: number) {
    super(message);
    this.name = name;
    this.$metadata = { httpStatusCode: status };
  }
}

export interface ApiGatewayClientConfig {
  region: string;
  /** Defaults to the SDK's credential chain (the Lambda role's credentials in AWS). */
  credentials?: AwsCredentialIdentity | AwsCredentialIdentityProvider;
  endpoint?: string;
  /** Attempts per call, the first included. Throttling and 5xx are retried with jittered backoff. */
  maxAttempts?: number;
  fetch?: typeof fetch;
  sleep?: (ms: number) => Promise<void>;
}

// CreateApiKey and DeleteApiKey are limited to 5 requests per second per AWS account, and
// the control plane to 10/s overall, so a burst of sign-ups must wait its turn rather than fail.
const RETRYABLE = new Set([429, 500, 502, 503, 504]);

export class ApiGatewayClient {
  private readonly signer: SignatureV4;
  private readonly endpoint: URL;
  private readonly maxAttempts: number;
  private readonly fetch: typeof fetch;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(config: ApiGatewayClientConfig) {
    this.endpoint = new URL(config.endpoint ?? `https://apigateway.${config.region}.amazonaws.com`);
    this.maxAttempts = config.maxAttempts ?? 5;
    this.fetch = config.fetch ?? globalThis.fetch;
    this.sleep = config.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
    this.signer = new SignatureV4({
      service: 'apigateway',
      region: config.region,
      credentials: config.credentials ?? defaultCredentials(),
      sha256: Sha256,
    });
  }

  async send<Input, Output>(command: ApiGatewayCommand<Input, Output>): Promise<Output> {
    const call = command.call();
    for (let attempt = 1; ; attempt++) {
      try {
        return command.output(await this.execute(call));
      } catch (error) {
        const status = error instanceof ApiGatewayServiceError ? error.$metadata.httpStatusCode : undefined;
        const retryable = status === undefined ? error instanceof TypeError : RETRYABLE.has(status);
        if (!retryable || attempt >= this.maxAttempts) throw error;
        // Full jitter, capped so every attempt fits in the functions' 10 s timeout.
        await this.sleep(Math.random() * Math.min(2_000, 200 * 2 ** attempt));
      }
    }
  }

  private async execute(call: Call): Promise<Record<string, unknown>> {
    const body = call.body === undefined ? undefined : JSON.stringify(call.body);
    const request: HttpRequest = {
      method: call.method,
      protocol: this.endpoint.protocol,
      hostname: this.endpoint.hostname,
      ...(this.endpoint.port ? { port: Number(this.endpoint.port) } : {}),
      path: call.path,
      query: call.query ?? {},
      headers: {
        host: this.endpoint.host,
        accept: 'application/json',
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      },
      body,
    };
    const signed = await this.signer.sign(request);
    const url = new URL(call.path, this.endpoint);
    for (const [k, v] of Object.entries(call.query ?? {})) url.searchParams.set(k, v);
    // fetch sets Host itself (from the URL it was signed for).
    const headers = { ...signed.headers };
    delete headers.host;
    const res = await this.fetch(url, { method: call.method, headers, body });
    const text = await res.text();
    const parsed = text ? (safeJson(text) ?? {}) : {};
    if (res.ok) return parsed;
    const type = (res.headers.get('x-amzn-errortype') ?? '').split(':')[0] || errorNameFor(res.status);
    const message = String(parsed.message ?? parsed.Message ?? `API Gateway answered ${res.status}`);
    throw new ApiGatewayServiceError(type, message, res.status);
  }
}

function safeJson(text: string): Record<string, unknown> | undefined {
  try {
    const value = JSON.parse(text) as unknown;
    return value && typeof value === 'object' ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

function errorNameFor(status: number): string {
  const names: Record<number, string> = {
    400: 'BadRequestException',
    401: 'UnauthorizedException',
    403: 'AccessDeniedException',
    404: 'NotFoundException',
    409: 'ConflictException',
    429: 'TooManyRequestsException',
  };
  return names[status] ?? 'ServiceUnavailableException';
}

/** The SDK's default chain, loaded on first signature: in Lambda it comes from the runtime. */
function defaultCredentials(): AwsCredentialIdentityProvider {
  let provider: Promise<AwsCredentialIdentityProvider> | undefined;
  return async () => {
    provider ??= import('@aws-sdk/credential-provider-node').then(({ defaultProvider }) => defaultProvider());
    return (await provider)();
  };
}
