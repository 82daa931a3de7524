import { createServer, request as httpRequest, type IncomingHttpHeaders, type Server } from 'node:http';
import { connect } from 'node:net';
import type { AddressInfo } from 'node:net';
import { isConsolePath } from '../../lib/definitions/console.ts';
import { createContract, type Contract } from './contract.ts';

export interface ContractViolation {
  at: string;
  problems: string[];
}

export interface ValidatingProxy {
  readonly url: string;
  violations(): readonly ContractViolation[];
  close(): Promise<void>;
}

/** `GET <proxy>/__contract/violations` lists what the proxy found so far (tests read it; the server never sees it). */
export const VIOLATIONS_PATH = '/__contract/violations';

const flat = (headers: IncomingHttpHeaders): Record<string, string> =>
  Object.fromEntries(Object.entries(headers).flatMap(([k, v]) => (v === undefined ? [] : [[k, Array.isArray(v) ? v.join(', ') : v]])));

/**
 * A validating proxy in front of the local server: every request of the e2e suite that does not
 * go through the test API client (curl and Python snippets of the seeds, the README walk-through)
 * still has its response checked against the server's own OpenAPI document. Answers pass through
 * unchanged; WebSocket upgrades are piped as they are.
 */
export async function startValidatingProxy(target: string): Promise<ValidatingProxy> {
  const document = (await (await fetch(`${target}/api/v1/openapi.json`)).json()) as Record<string, unknown>;
  const contract: Contract = createContract(document);
  const found: ContractViolation[] = [];
  const upstream = new URL(target);

  const server: Server = createServer((req, res) => {
    if (req.url === VIOLATIONS_PATH) {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(found));
      return;
    }
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const requestBody = Buffer.concat(chunks);
      const forward = (retried: boolean): void => {
        const out = httpRequest(
          { host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: { ...req.headers, host: upstream.host } },
          (answer) => {
            const parts: Buffer[] = [];
            answer.on('data', (c: Buffer) => parts.push(c));
            answer.on('end', () => {
              const responseBody = Buffer.concat(parts);
              // The web console's own files (lib/definitions/console.ts) are no API operations.
              const consoleFile = (req.method === 'GET' || req.method === 'HEAD') && isConsolePath(new URL(req.url ?? '/', 'http://proxy').pathname);
              const problems = consoleFile ? [] : contract.check({
                method: req.method ?? 'GET',
                url: req.url ?? '/',
                requestHeaders: flat(req.headers),
                requestBody: requestBody.length ? requestBody.toString('utf8') : undefined,
                status: answer.statusCode ?? 0,
                responseHeaders: flat(answer.headers),
                responseBody: responseBody.toString('utf8'),
              });
              if (problems.length) found.push({ at: new Date().toISOString(), problems });
              res.writeHead(answer.statusCode ?? 502, answer.rawHeaders);
              res.end(responseBody);
            });
          },
        );
        out.on('error', (error: NodeJS.ErrnoException) => {
          // The server may close an idle keep-alive connection just as the proxy reuses it; the
          // request never reached it, so it is sent again once on a new connection (Node's
          // http docs, request.reusedSocket).
          if (!retried && out.reusedSocket && error.code === 'ECONNRESET') return forward(true);
          res.writeHead(502, { 'content-type': 'text/plain' });
          res.end(`validating proxy: ${error.message}`);
        });
        out.end(requestBody);
      };
      forward(false);
    });
  });

  server.on('upgrade', (req, socket, head) => {
    const upstreamSocket = connect(Number(upstream.port), upstream.hostname, () => {
      const lines = [`${req.method} ${req.url} HTTP/${req.httpVersion}`];
      for (let i = 0; i < req.rawHeaders.length; i += 2) lines.push(`${req.rawHeaders[i]}: ${req.rawHeaders[i + 1]}`);
      upstreamSocket.write(`${lines.join('\r\n')}\r\n\r\n`);
      if (head.length) upstreamSocket.write(head);
      socket.pipe(upstreamSocket).pipe(socket);
    });
    const end = () => {
      socket.destroy();
      upstreamSocket.destroy();
    };
    upstreamSocket.on('error', end);
    socket.on('error', end);
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    violations: () => found,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
