import { signPayload, verifySignature } from '../../src/lib/signature';
import { checkWebhookUrl, isAllowed, isPrivateAddress } from '../../src/lib/ssrf';

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
    '127.0.0.1',
    '10.2.3.4',
    '172.20.0.1',
    '192.168.1.1',
    '169.254.169.254',
    '100.64.1.1',
    '0.0.0.0',
    '::1',
    'fd00::1',
    'fe80::1',
    '::ffff:127.0.0.1',
    'not-an-ip',
  ])('refuses %s', (address) => expect(isPrivateAddress(address)).toBe(true));

  it.each(['93.184.216.34', '8.8.8.8', '172.32.0.1', '2606:4700:4700::1111'])('allows %s', (address) =>
    expect(isPrivateAddress(address)).toBe(false),
  );

  it('lets the allow-list through by host, address or CIDR', () => {
    expect(isAllowed('localhost', '127.0.0.1', ['127.0.0.1'])).toBe(true);
    expect(isAllowed('hooks.internal', '10.1.2.3', ['hooks.internal'])).toBe(true);
    expect(isAllowed('x', '10.1.2.3', ['10.1.0.0/16'])).toBe(true);
    expect(isAllowed('x', '10.2.2.3', ['10.1.0.0/16'])).toBe(false);
    expect(isAllowed('x', '10.2.2.3', [])).toBe(false);
  });

  it('accepts only plain http(s) URLs', () => {
    expect(checkWebhookUrl('https://hooks.example.org/wutong')).toMatchObject({ ok: true });
    expect(checkWebhookUrl('ftp://example.org')).toEqual({ ok: false, reason: 'only http and https webhooks' });
    expect(checkWebhookUrl('https://user:pw@example.org')).toEqual({
      ok: false,
      reason: 'no credentials in webhook URLs',
    });
    expect(checkWebhookUrl('nonsense')).toEqual({ ok: false, reason: 'not a URL' });
  });
});
