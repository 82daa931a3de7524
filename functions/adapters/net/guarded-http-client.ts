import { lookup as dnsLookup } from 'node:dns/promises';
import * as http from 'node:http';
import * as https from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import { judgeDestination, parseUserUrl, type AddressPolicy, type AddressVerdict } from '../../core/net/address-policy.ts';
import { HttpFailure, type HttpClient, type HttpRequest, type HttpResponse } from '../../core/runner/ports.ts';

/** Every address a host name resolves to; injectable so tests can point names at any address. */
export type ResolveHost = (hostname: string) => Promise<ReadonlyArray<{ address: string; family: number }>>;

export interface GuardedHttpClientOptions {
  policy: AddressPolicy;
  lookup?: ResolveHost;
  maxRedirects?: number;
}

const REDIRECTS: ReadonlySet<number> = new Set([301, 302, 303, 307, 308]);
const DEFAULT_MAX_REDIRECTS = 5;
/** Credentials meant for one origin must not be handed to whatever another origin redirects to (nor any header that carried a secret: HttpRequest.secretHeaders). */
const ORIGIN_BOUND_HEADERS = ['authorization', 'cookie', 'proxy-authorization'];
const BODY_HEADERS = ['content-type', 'content-length', 'content-encoding', 'transfer-encoding'];

const REASONS: Record<Exclude<AddressVerdict, { allowed: true }>['reason'], string> = {
  link_local_or_metadata: 'a link-local or cloud metadata address',
  private: 'a private or reserved address',
  loopback: 'a loopback address',
  not_an_ip: 'not an IP address',
  reserved_port: 'a port of Stepwise itself (its API, DynamoDB Local or a local store), which workflows and webhooks may not call',
};

const defaultResolve: ResolveHost = (hostname) => dnsLookup(hostname, { all: true, verbatim: true });

/**
 * HTTP for user-supplied URLs (http.request and webhook nodes) that cannot be pointed at the inside of the
 * network. The address check happens in the socket's own DNS lookup: every resolved address is judged and
 * the connection is made to exactly the addresses that passed, so a name that re-resolves between check
 * and connect (DNS rebinding) gains nothing. IP-literal hosts never reach the lookup and are judged first.
 * Redirects are followed here, one hop at a time through the same checks, rather than by a library.
 *
 * node:http rather than fetch: fetch offers no hook between name resolution and connect.
 */
export class GuardedHttpClient implements HttpClient {
  private readonly policy: AddressPolicy;
  private readonly resolveHost: ResolveHost;
  private readonly maxRedirects: number;
  // Own agents: a pooled socket is only reused for the host it was judged for, never one opened elsewhere.
  private readonly httpAgent = new http.Agent({ keepAlive: true });
  private readonly httpsAgent = new https.Agent({ keepAlive: true });

  constructor(options: GuardedHttpClientOptions) {
    this.policy = options.policy;
    this.resolveHost = options.lookup ?? defaultResolve;
    this.maxRedirects = options.maxRedirects ?? DEFAULT_MAX_REDIRECTS;
  }

  async request(req: HttpRequest): Promise<HttpResponse> {
    const timeout = AbortSignal.timeout(Math.max(1, req.timeoutMs));
    const signal = req.signal ? AbortSignal.any([timeout, req.signal]) : timeout;
    const stopped = () =>
      timeout.aborted ? new HttpFailure('timeout', `the request timed out after ${req.timeoutMs} ms`) : new HttpFailure('aborted', 'the request was aborted');
    if (signal.aborted) throw stopped();

    let method = req.method.toUpperCase();
    let body = req.body;
    let headers = withoutHeaders(req.headers, ['content-length', 'transfer-encoding', 'host']);
    let url = this.parse(req.url);
    for (let redirects = 0; ; redirects++) {
      const res = await this.send(url, method, headers, body, signal, stopped);
      const location = res.headers.location;
      if (!REDIRECTS.has(res.statusCode ?? 0) || !location) {
        const read = await readBody(res, req.maxResponseBytes, req.binary === true, signal, stopped);
        return { status: res.statusCode ?? 0, headers: flattenHeaders(res.headers), ...read, url: url.toString() };
      }
      res.destroy();
      if (redirects >= this.maxRedirects) throw new HttpFailure('too_many_redirects', `more than ${this.maxRedirects} redirects`);
      let next: URL;
      try {
        next = this.parse(new URL(location, url).toString());
      } catch (error) {
        if (error instanceof HttpFailure) throw error;
        throw new HttpFailure('invalid_url', 'a redirect pointed to an invalid URL');
      }
      const status = res.statusCode ?? 0;
      if ((status === 303 && method !== 'HEAD') || ((status === 301 || status === 302) && method === 'POST')) {
        method = 'GET';
        body = undefined;
        headers = withoutHeaders(headers, BODY_HEADERS);
      }
      if (next.origin !== url.origin) {
        if (body !== undefined && req.secretBody) {
          throw new HttpFailure('blocked_redirect', `refusing to resend a request body that carries a secret to another origin (${status} redirect)`);
        }
        headers = withoutHeaders(headers, [...ORIGIN_BOUND_HEADERS, ...(req.secretHeaders ?? []).map((h) => h.toLowerCase())]);
      }
      url = next;
    }
  }

  /** Drops pooled keep-alive sockets (tests, shutdown). */
  close(): void {
    this.httpAgent.destroy();
    this.httpsAgent.destroy();
  }

  private parse(raw: string): URL {
    const parsed = parseUserUrl(raw);
    if ('error' in parsed) throw new HttpFailure('invalid_url', `invalid URL: ${parsed.error}`);
    return parsed.url;
  }

  private judge(address: string, host: string, port: number): void {
    const verdict = judgeDestination(address, port, this.policy);
    if (verdict.allowed) return;
    const what = address === host ? address : `${host} (${address})`;
    throw new HttpFailure('blocked_address', `refusing to connect to ${verdict.reason === 'reserved_port' ? `port ${port} of ${what}` : what}: ${REASONS[verdict.reason]}`);
  }

  /** The socket's DNS lookup for one destination port (the port takes part in the verdict). */
  private lookupFor(port: number): LookupFunction {
    return (hostname, options, callback) => this.lookup(hostname, port, options, callback);
  }

  private lookup(hostname: string, port: number, options: Parameters<LookupFunction>[1], callback: Parameters<LookupFunction>[2]): void {
    this.resolveHost(hostname).then(
      (found) => {
        const wanted = options.family === 4 || options.family === 6 ? found.filter((a) => a.family === options.family) : [...found];
        try {
          // All of them, not just the one dialled first: Happy Eyeballs may fall back to any of them.
          for (const a of found) this.judge(a.address, hostname, port);
        } catch (error) {
          callback(error as HttpFailure, '', 0);
          return;
        }
        const first = wanted[0];
        if (!first) {
          callback(new HttpFailure('network', `no address found for ${hostname}`), '', 0);
          return;
        }
        if (options.all) callback(null, wanted.map((a) => ({ address: a.address, family: a.family })));
        else callback(null, first.address, first.family);
      },
      (error: NodeJS.ErrnoException) => callback(error, '', 0),
    );
  }

  private send(
    url: URL,
    method: string,
    headers: Record<string, string>,
    body: string | undefined,
    signal: AbortSignal,
    stopped: () => HttpFailure,
  ): Promise<http.IncomingMessage> {
    const host = url.hostname.replace(/^\[|\]$/g, '');
    const secure = url.protocol === 'https:';
    const port = url.port === '' ? (secure ? 443 : 80) : Number(url.port);
    if (isIP(host) !== 0) this.judge(host, host, port);
    const payload = body === undefined ? undefined : Buffer.from(body, 'utf8');
    return new Promise((resolve, reject) => {
      const request = (secure ? https : http).request({
        protocol: url.protocol,
        hostname: host,
        port,
        path: `${url.pathname}${url.search}`,
        method,
        headers: payload ? { ...headers, 'content-length': String(payload.length) } : headers,
        agent: secure ? this.httpsAgent : this.httpAgent,
        lookup: this.lookupFor(port),
        signal,
      });
      request.once('response', resolve);
      request.once('error', (error: Error) => {
        if (error instanceof HttpFailure) reject(error);
        else if (signal.aborted) reject(stopped());
        else reject(new HttpFailure('network', `could not reach ${url.host}: ${(error as NodeJS.ErrnoException).code ?? error.message}`, { cause: error }));
      });
      request.end(payload);
    });
  }
}

function readBody(
  res: http.IncomingMessage,
  maxBytes: number,
  binary: boolean,
  signal: AbortSignal,
  stopped: () => HttpFailure,
): Promise<{ body: string; bytes?: Uint8Array; truncated: boolean }> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    const settle = (outcome: { body: string; bytes?: Uint8Array; truncated: boolean } | HttpFailure) => {
      if (settled) return;
      settled = true;
      signal.removeEventListener('abort', onAbort);
      if (outcome instanceof HttpFailure) reject(outcome);
      else resolve(outcome);
    };
    // A cut can split a multi-byte character; streaming mode leaves the incomplete tail out.
    const done = (truncated: boolean) =>
      binary ? { body: '', bytes: new Uint8Array(Buffer.concat(chunks)), truncated } : { body: new TextDecoder().decode(Buffer.concat(chunks), { stream: truncated }), truncated };
    const onAbort = () => {
      settle(stopped());
      res.destroy();
    };
    if (signal.aborted) {
      onAbort();
      return;
    }
    signal.addEventListener('abort', onAbort, { once: true });
    res.on('data', (chunk: Buffer) => {
      if (settled) return;
      const room = maxBytes - size;
      if (chunk.length > room) {
        chunks.push(chunk.subarray(0, room));
        settle(done(true));
        // No point downloading what will be thrown away; the socket is not reusable mid-body anyway.
        res.destroy();
        return;
      }
      chunks.push(chunk);
      size += chunk.length;
    });
    res.once('end', () => settle(done(false)));
    res.once('error', (error) => settle(signal.aborted ? stopped() : new HttpFailure('network', `the response broke off: ${error.message}`, { cause: error })));
    res.once('close', () => settle(signal.aborted ? stopped() : new HttpFailure('network', 'the connection closed before the response ended')));
  });
}

function flattenHeaders(headers: http.IncomingHttpHeaders): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined) out[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}

function withoutHeaders(headers: Record<string, string>, names: readonly string[]): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).filter(([k]) => !names.includes(k.toLowerCase())));
}
