import { signPayload, verifySignature } from '../../src/lib/signature';
import { checkWebhookUrl, isAllowed, isPrivateAddress, isPublicAddress, refusedAddress } from '../../src/lib/ssrf';

describe('webhook signatures', () => {
  const now = Date.UTC(2026, 10, 27, 12, 0, 0);
  const timestamp = Math.floor(now / 1000);
  const body = JSON.stringify({ event: 'entry.publish', documentId: 'abc' });

  it('sign the timestamp with the body', () => {
    const signature = signPayload('secret', timestamp, body);
    expect(signature).toMatch(/^sha256=[0-9a-f]{64}$/);
    expect(verifySignature('secret', String(timestamp), signature, body, now)).toEqual({ ok: true });
  });

  it('reject a wrong secret, a changed body, or a changed timestamp', () => {
    const signature = signPayload('secret', timestamp, body);
    expect(verifySignature('other', timestamp, signature, body, now)).toEqual({
      ok: false,
      reason: 'signature mismatch',
    });
    expect(verifySignature('secret', timestamp, signature, `${body} `, now)).toEqual({
      ok: false,
      reason: 'signature mismatch',
    });
    expect(verifySignature('secret', timestamp + 1, signature, body, now)).toEqual({
      ok: false,
      reason: 'signature mismatch',
    });
    expect(verifySignature('secret', timestamp, 'sha256=short', body, now)).toEqual({
      ok: false,
      reason: 'signature mismatch',
    });
  });

  it('reject replays: old or future timestamps, or none', () => {
    const old = timestamp - 301;
    expect(verifySignature('secret', old, signPayload('secret', old, body), body, now)).toMatchObject({
      ok: false,
      reason: /too old/,
    });
    const future = timestamp + 301;
    expect(verifySignature('secret', future, signPayload('secret', future, body), body, now)).toMatchObject({
      ok: false,
    });
    expect(verifySignature('secret', undefined, 'x', body, now)).toMatchObject({ ok: false, reason: /timestamp/ });
  });
});

describe('SSRF guard', () => {
  it.each([
    // IPv4: loopback, private, link-local (cloud metadata), CGNAT, unspecified, reserved, multicast
    '127.0.0.1',
    '127.1.2.3',
    '10.2.3.4',
    '172.20.0.1',
    '192.168.1.1',
    '169.254.169.254',
    '100.64.1.1',
    '0.0.0.0',
    '192.0.0.8',
    '198.18.0.1',
    '224.0.0.1',
    '255.255.255.255',
    // IPv6 loopback, unspecified, unique local, link-local, multicast, site-local, discard
    '::1',
    '::',
    'fd00::1',
    'fe80::1',
    'fe80::1%eth0',
    'ff02::1',
    'fec0::1',
    '100::1',
    // IPv4-mapped IPv6 in every spelling (Node prints the first as ::ffff:7f00:1)
    '::ffff:127.0.0.1',
    '::ffff:7f00:1',
    '0:0:0:0:0:ffff:7f00:1',
    '0000:0000:0000:0000:0000:ffff:127.0.0.1',
    '::FFFF:7F00:1',
    '::ffff:10.0.0.1',
    // IPv4-mapped cloud metadata
    '::ffff:169.254.169.254',
    '::ffff:a9fe:a9fe',
    // deprecated IPv4-compatible ::127.0.0.1 (ipaddr.js calls it unicast) and SIIT ::ffff:0:a.b.c.d
    '::127.0.0.1',
    '::7f00:1',
    '::169.254.169.254',
    '::ffff:0:127.0.0.1',
    // NAT64 (well-known and local-use prefixes) to loopback and metadata, and a public v4 via NAT64
    '64:ff9b::127.0.0.1',
    '64:ff9b::7f00:1',
    '64:ff9b::a9fe:a9fe',
    '64:ff9b:1::a9fe:a9fe',
    '64:ff9b::8.8.8.8',
    // 6to4 wrapping 127.0.0.1 / 169.254.169.254, Teredo
    '2002:7f00:1::',
    '2002:a9fe:a9fe::1',
    '2001:0:4136:e378:8000:63bf:3fff:fdd2',
    '2001:db8::1',
    // not addresses
    'not-an-ip',
    'localhost',
    '',
  ])('refuses %s', (address) => {
    expect(isPrivateAddress(address)).toBe(true);
    expect(isPublicAddress(address)).toBe(false);
  });

  it.each(['93.184.216.34', '8.8.8.8', '172.32.0.1', '2606:4700:4700::1111', '::ffff:8.8.8.8', '2a00:1450::1'])(
    'allows %s',
    (address) => expect(isPrivateAddress(address)).toBe(false),
  );

  it('lets the allow-list through by host, address or CIDR (IPv4 and IPv6)', () => {
    expect(isAllowed('localhost', '127.0.0.1', ['127.0.0.1'])).toBe(true);
    expect(isAllowed('hooks.internal', '10.1.2.3', ['hooks.internal'])).toBe(true);
    expect(isAllowed('Hooks.Internal.', '10.1.2.3', [' hooks.internal '])).toBe(true);
    expect(isAllowed('x', '10.1.2.3', ['10.1.0.0/16'])).toBe(true);
    expect(isAllowed('x', '10.2.2.3', ['10.1.0.0/16'])).toBe(false);
    expect(isAllowed('x', '10.2.2.3', [])).toBe(false);
    expect(isAllowed('x', 'fd00::5', ['fd00::/8'])).toBe(true);
    expect(isAllowed('x', 'fd00::5', ['fd00:0:0:0::5'])).toBe(true);
    expect(isAllowed('x', 'fe80::5', ['fd00::/8'])).toBe(false);
    // strict: allowing an IPv4 address or range allows none of its IPv6 wrappings
    expect(isAllowed('x', '::ffff:7f00:1', ['127.0.0.1'])).toBe(false);
    expect(isAllowed('x', '::ffff:10.1.2.3', ['10.1.0.0/16'])).toBe(false);
    expect(isAllowed('x', '::ffff:7f00:1', ['::ffff:127.0.0.1'])).toBe(true);
    expect(isAllowed('x', '::7f00:1', ['127.0.0.1'])).toBe(false);
    expect(isAllowed('x', '64:ff9b::7f00:1', ['127.0.0.1'])).toBe(false);
    expect(isAllowed('x', '64:ff9b::7f00:1', ['127.0.0.0/8'])).toBe(false);
    // an IPv4 CIDR never matches IPv6 and back; nonsense entries match nothing
    expect(isAllowed('x', '::1', ['0.0.0.0/0'])).toBe(false);
    expect(isAllowed('x', '127.0.0.1', ['::/0'])).toBe(false);
    expect(isAllowed('x', '127.0.0.1', ['127.0.0.1/99', 'nonsense/8'])).toBe(false);
    // a host name entry does not allow an address literal, nor the other way round
    expect(isAllowed('127.0.0.1', '127.0.0.1', ['localhost'])).toBe(false);
  });

  it('refuses a host when any one of its addresses is refused', () => {
    expect(refusedAddress('a.example', ['93.184.216.34', '::ffff:127.0.0.1'], [])).toBe('::ffff:127.0.0.1');
    expect(refusedAddress('a.example', ['::ffff:127.0.0.1', '93.184.216.34'], [])).toBe('::ffff:127.0.0.1');
    expect(refusedAddress('a.example', ['93.184.216.34', '2606:4700:4700::1111'], [])).toBeUndefined();
    expect(refusedAddress('a.example', ['93.184.216.34', '127.0.0.1'], ['127.0.0.1'])).toBeUndefined();
    expect(refusedAddress('a.example', ['10.0.0.1', '10.0.0.2'], ['10.0.0.1'])).toBe('10.0.0.2');
  });

  it('accepts only plain http(s) URLs', () => {
    expect(checkWebhookUrl('https://hooks.example.org/wutong')).toMatchObject({ ok: true });
    expect(checkWebhookUrl('ftp://example.org')).toEqual({
      ok: false,
      reason: 'only http and https webhooks',
      code: 'webhook.scheme',
    });
    expect(checkWebhookUrl('https://user:pw@example.org')).toEqual({
      ok: false,
      reason: 'no credentials in webhook URLs',
      code: 'webhook.credentials',
    });
    expect(checkWebhookUrl('nonsense')).toEqual({ ok: false, reason: 'not a URL', code: 'webhook.url' });
  });
});
