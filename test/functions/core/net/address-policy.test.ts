import { describe, expect, it } from 'vitest';
import { judgeAddress, parseUserUrl } from '../../../../functions/core/net/address-policy.ts';

const aws = { allowLoopback: false };
const local = { allowLoopback: true };

describe('judgeAddress', () => {
  it.each([
    '10.0.0.1', '10.255.255.255', '172.16.0.1', '172.31.255.254', '192.168.1.1', '100.64.0.1', '100.127.255.255',
    '224.0.0.1', '240.0.0.1', '198.18.0.1', 'fc00::1', 'fd12:3456::1', 'ff02::1', '64:ff9b::a00:1',
  ])('refuses private address %s everywhere', (ip) => {
    expect(judgeAddress(ip, aws)).toEqual({ allowed: false, reason: 'private' });
    expect(judgeAddress(ip, local)).toEqual({ allowed: false, reason: 'private' });
  });

  it.each(['169.254.169.254', '169.254.0.1', 'fe80::1', 'fd00:ec2::254', '0.0.0.0', '::', '255.255.255.255'])(
    'refuses link-local, metadata and unspecified %s even in local mode',
    (ip) => {
      expect(judgeAddress(ip, local)).toEqual({ allowed: false, reason: 'link_local_or_metadata' });
    },
  );

  it.each(['::ffff:10.0.0.1', '::ffff:a00:1', '::ffff:169.254.169.254', '::ffff:127.0.0.1', '[::ffff:192.168.0.1]'])(
    'judges IPv4-mapped IPv6 %s as the IPv4 address it carries',
    (ip) => {
      expect(judgeAddress(ip, aws).allowed).toBe(false);
    },
  );

  describe('issue 13 #16 (Low): IPv6 forms that carry or reach an IPv4 address', () => {
    it.each([
      ['::169.254.169.254', 'link_local_or_metadata'],
      ['::a9fe:a9fe', 'link_local_or_metadata'],
      ['[::a9fe:a9fe]', 'link_local_or_metadata'],
      ['0:0:0:0:0:0:a9fe:a9fe', 'link_local_or_metadata'],
      ['::10.0.0.1', 'private'],
      ['::ffff:0:a9fe:a9fe', 'link_local_or_metadata'],
      ['2002:a9fe:a9fe::', 'link_local_or_metadata'],
      ['2002:a9fe:a9fe:1::1', 'link_local_or_metadata'],
      ['2002:c0a8:0101::', 'private'],
      ['2002:7f00:1::', 'loopback'],
      ['fec0::1', 'private'],
      ['feff::1', 'private'],
      ['2001:0:4136:e378:8000:63bf:3fff:fdd2', 'private'],
      ['64:ff9b:1::a00:1', 'private'],
      ['2001:db8::1', 'private'],
      ['100::1', 'private'],
    ])('refuses %s (%s)', (ip, reason) => {
      expect(judgeAddress(ip, aws)).toEqual({ allowed: false, reason });
    });

    it('judges the IPv4 a 6to4 address embeds: a public one is allowed, loopback only where the policy says so', () => {
      expect(judgeAddress('2002:5db8:d822::1', aws)).toEqual({ allowed: true });
      expect(judgeAddress('2002:7f00:1::', local)).toEqual({ allowed: true });
      expect(judgeAddress('::127.0.0.1', aws)).toEqual({ allowed: false, reason: 'loopback' });
    });

    it('normalises the URL forms the WHATWG parser produces before judging', () => {
      for (const raw of ['http://[::169.254.169.254]/', 'http://[::a9fe:a9fe]/', 'http://[2002:a9fe:a9fe::]/', 'http://[fec0::1]/']) {
        const parsed = parseUserUrl(raw);
        const host = 'url' in parsed ? parsed.url.hostname : '';
        expect(judgeAddress(host, local).allowed, raw).toBe(false);
      }
    });
  });

  it('allows loopback only where the policy says so', () => {
    for (const ip of ['127.0.0.1', '127.1.2.3', '::1']) {
      expect(judgeAddress(ip, aws)).toEqual({ allowed: false, reason: 'loopback' });
      expect(judgeAddress(ip, local)).toEqual({ allowed: true });
    }
  });

  it('allows public addresses and refuses non-addresses', () => {
    for (const ip of ['93.184.216.34', '8.8.8.8', '2606:2800:220:1:248:1893:25c8:1946', '172.32.0.1', '100.128.0.1']) {
      expect(judgeAddress(ip, aws), ip).toEqual({ allowed: true });
    }
    expect(judgeAddress('example.com', aws)).toEqual({ allowed: false, reason: 'not_an_ip' });
  });
});

describe('parseUserUrl', () => {
  it.each([
    ['http://2130706433/', '127.0.0.1'],
    ['http://0x7f000001/', '127.0.0.1'],
    ['http://0x7f.0.0.1/', '127.0.0.1'],
    ['http://0177.0.0.1/', '127.0.0.1'],
    ['http://017700000001/', '127.0.0.1'],
    ['http://3232235521/', '192.168.0.1'],
    ['http://0xA9FEA9FE/', '169.254.169.254'],
  ])('normalises %s to the dotted address %s, which is then judged', (raw, dotted) => {
    const parsed = parseUserUrl(raw);
    expect('url' in parsed && parsed.url.hostname).toBe(dotted);
    expect(judgeAddress(dotted, { allowLoopback: false }).allowed).toBe(false);
  });

  it('accepts http and https only, without embedded credentials', () => {
    expect('url' in parseUserUrl('https://api.example.com/data')).toBe(true);
    for (const bad of ['file:///etc/passwd', 'gopher://x', 'ftp://x/', 'javascript:alert(1)', 'http://user:pw@x.io/', 'not a url']) {
      expect('error' in parseUserUrl(bad), bad).toBe(true);
    }
  });
});
