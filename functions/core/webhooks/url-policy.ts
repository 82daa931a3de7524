import { isIP } from 'node:net';
import { judgeDestination, parseUserUrl, type AddressPolicy } from '../net/address-policy.ts';
import { MAX_URL_LENGTH } from './webhook.ts';

/**
 * Which webhook URLs are accepted at creation (and on PATCH). This is early, explainable feedback;
 * the real guard is the HTTP adapter, which judges every resolved address again at connect time.
 */
export interface WebhookUrlRules extends AddressPolicy {
  /** AWS stages: https only. Local mode also takes http (loopback receivers while developing). */
  readonly requireHttps: boolean;
}

/** Every address a name resolves to; `[]` when it does not resolve (or DNS is unavailable). */
export type HostResolver = (hostname: string) => Promise<ReadonlyArray<{ address: string; family: number }>>;

const REASONS = {
  link_local_or_metadata: 'a link-local or cloud metadata address',
  private: 'a private or reserved address',
  loopback: 'a loopback address',
  not_an_ip: 'not an IP address',
  reserved_port: 'a port of Stepwise itself (its API, DynamoDB Local or a local store)',
} as const;

export type UrlCheck = { ok: true; url: string } | { ok: false; message: string };

/**
 * A literal IP is judged as is; a name is resolved and every address judged. A name that does not
 * resolve is accepted: DNS may change before the first delivery, and delivery checks again.
 */
export async function checkWebhookUrl(raw: string, rules: WebhookUrlRules, resolve: HostResolver): Promise<UrlCheck> {
  if (raw.length > MAX_URL_LENGTH) return { ok: false, message: `url must be at most ${MAX_URL_LENGTH} characters` };
  const parsed = parseUserUrl(raw);
  if ('error' in parsed) return { ok: false, message: `url is ${parsed.error.startsWith('not ') ? parsed.error : `invalid: ${parsed.error}`}` };
  const { url } = parsed;
  if (rules.requireHttps && url.protocol !== 'https:') return { ok: false, message: 'url must use https' };
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const addresses = isIP(host) !== 0 ? [{ address: host }] : await resolve(host).catch(() => []);
  const port = url.port === '' ? (url.protocol === 'https:' ? 443 : 80) : Number(url.port);
  for (const { address } of addresses) {
    const verdict = judgeDestination(address, port, rules);
    if (!verdict.allowed) {
      const what = `${address === host ? address : `${host} (${address})`}${verdict.reason === 'reserved_port' ? ` port ${port}` : ''}`;
      return { ok: false, message: `url points to ${what}, ${REASONS[verdict.reason]}; webhooks may only call public addresses` };
    }
  }
  return { ok: true, url: url.toString() };
}
