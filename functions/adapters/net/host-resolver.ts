import { lookup } from 'node:dns/promises';
import type { HostResolver } from '../../core/webhooks/url-policy.ts';

/**
 * Resolves a name for the webhook URL check at creation. Bounded: a slow resolver must not hold an
 * API request, and an unresolved name is accepted anyway (delivery re-checks every address).
 */
export function dnsHostResolver(timeoutMs = 2_000): HostResolver {
  return async (hostname) => {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<[]>((resolve) => {
      timer = setTimeout(() => resolve([]), timeoutMs);
    });
    try {
      return await Promise.race([lookup(hostname, { all: true, verbatim: true }).catch(() => []), timeout]);
    } finally {
      clearTimeout(timer);
    }
  };
}
