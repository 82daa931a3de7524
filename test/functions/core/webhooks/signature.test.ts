import { createHmac, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { InvalidWebhookSecret, signWebhook, verifyWebhook, webhookKey } from '../../../../functions/core/webhooks/signature.ts';

// The example from the Standard Webhooks specification.
const SPEC = {
  secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
  id: 'msg_p5jXN8AQM9LWM0D4loKWxJek',
  timestamp: 1614265330,
  body: '{"test": 2432232314}',
  signature: 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=',
};

describe('signWebhook', () => {
  it('matches the Standard Webhooks test vector', () => {
    expect(signWebhook(SPEC)).toEqual({
      'webhook-id': SPEC.id,
      'webhook-timestamp': '1614265330',
      'webhook-signature': SPEC.signature,
    });
  });

  it('reads a secret without the whsec_ prefix as text, not base64 (one rule a receiver can follow)', () => {
    const bare = SPEC.secret.slice('whsec_'.length);
    const expected = createHmac('sha256', Buffer.from(bare, 'utf8')).update(`${SPEC.id}.${SPEC.timestamp}.${SPEC.body}`).digest('base64');
    expect(signWebhook({ ...SPEC, secret: bare })['webhook-signature']).toBe(`v1,${expected}`);
  });

  it('matches an independent HMAC computation', () => {
    const key = randomBytes(32);
    const body = JSON.stringify({ event: 'execution.completed', data: { ok: true, text: 'ünïcødé' } });
    const headers = signWebhook({ id: 'msg_1', timestamp: 1_700_000_000.9, body, secret: `whsec_${key.toString('base64')}` });
    const expected = createHmac('sha256', key).update(`msg_1.1700000000.${body}`).digest('base64');
    expect(headers['webhook-signature']).toBe(`v1,${expected}`);
    expect(headers['webhook-timestamp']).toBe('1700000000');
  });

  it.each(['whsec_c2hvcnQ=', '', 'whsec_', 'short', `whsec_${Buffer.alloc(65, 1).toString('base64')}`, 'x'.repeat(257)])('refuses the unusable secret %j', (secret) => {
    expect(() => signWebhook({ ...SPEC, secret })).toThrow(InvalidWebhookSecret);
  });

  // The seeds' own secrets (FlowCtl's `webhook_secret`, CloudFlow's `whsec_your_webhook_secret`) are not base64: their UTF-8 bytes are the key.
  it.each(['webhook_secret', 'whsec_your_webhook_secret', 'whsec_not base64!'])('keys the text secret %j with its UTF-8 bytes', (secret) => {
    const body = '{"event":"workflow.completed"}';
    const headers = signWebhook({ id: 'msg_1', timestamp: 1_700_000_000, body, secret });
    expect(headers['webhook-signature']).toBe(`v1,${createHmac('sha256', Buffer.from(secret, 'utf8')).update(`msg_1.1700000000.${body}`).digest('base64')}`);
  });

  it('error messages never quote the secret', () => {
    const secret = 'private';
    expect(() => webhookKey(secret)).toThrow(expect.objectContaining({ message: expect.not.stringContaining('private') }));
  });
});

describe('verifyWebhook', () => {
  const headers = { 'webhook-id': SPEC.id, 'webhook-timestamp': String(SPEC.timestamp), 'webhook-signature': SPEC.signature };

  it('accepts the spec example within the tolerance', () => {
    expect(verifyWebhook({ headers, body: SPEC.body, secret: SPEC.secret, now: SPEC.timestamp + 299 })).toEqual({ ok: true });
    expect(verifyWebhook({ headers, body: SPEC.body, secret: SPEC.secret, now: SPEC.timestamp - 299 })).toEqual({ ok: true });
  });

  it('accepts any of several signatures and header names in any case', () => {
    const mixed = { 'Webhook-Id': SPEC.id, 'WEBHOOK-TIMESTAMP': String(SPEC.timestamp), 'webhook-signature': `v1,AAAA v2,xyz ${SPEC.signature}` };
    expect(verifyWebhook({ headers: mixed, body: SPEC.body, secret: SPEC.secret, now: SPEC.timestamp })).toEqual({ ok: true });
  });

  it('rejects stale and future timestamps (default tolerance 5 minutes)', () => {
    expect(verifyWebhook({ headers, body: SPEC.body, secret: SPEC.secret, now: SPEC.timestamp + 301 })).toEqual({ ok: false, reason: 'timestamp_out_of_tolerance' });
    expect(verifyWebhook({ headers, body: SPEC.body, secret: SPEC.secret, now: SPEC.timestamp - 301 })).toEqual({ ok: false, reason: 'timestamp_out_of_tolerance' });
    expect(verifyWebhook({ headers, body: SPEC.body, secret: SPEC.secret, now: SPEC.timestamp + 1000, toleranceSeconds: 1000 })).toEqual({ ok: true });
  });

  it('rejects a changed body, id or secret', () => {
    const now = SPEC.timestamp;
    expect(verifyWebhook({ headers, body: '{"test": 2432232315}', secret: SPEC.secret, now })).toEqual({ ok: false, reason: 'no_matching_signature' });
    expect(verifyWebhook({ headers: { ...headers, 'webhook-id': 'msg_other' }, body: SPEC.body, secret: SPEC.secret, now })).toEqual({
      ok: false,
      reason: 'no_matching_signature',
    });
    expect(verifyWebhook({ headers, body: SPEC.body, secret: `whsec_${randomBytes(24).toString('base64')}`, now })).toEqual({
      ok: false,
      reason: 'no_matching_signature',
    });
  });

  it('rejects missing headers and malformed timestamps', () => {
    expect(verifyWebhook({ headers: { 'webhook-id': SPEC.id }, body: SPEC.body, secret: SPEC.secret, now: SPEC.timestamp })).toEqual({
      ok: false,
      reason: 'missing_headers',
    });
    expect(verifyWebhook({ headers: { ...headers, 'webhook-timestamp': '1e9' }, body: SPEC.body, secret: SPEC.secret, now: SPEC.timestamp })).toEqual({
      ok: false,
      reason: 'invalid_timestamp',
    });
  });

  it('round-trips with signWebhook', () => {
    const secret = `whsec_${randomBytes(32).toString('base64')}`;
    const signed = signWebhook({ id: 'msg_x', timestamp: 1_800_000_000, body: '{"a":1}', secret });
    expect(verifyWebhook({ headers: signed, body: '{"a":1}', secret, now: 1_800_000_010 })).toEqual({ ok: true });
  });
});
