import { deliveryFailure, describeDeliveryFailure, networkCause } from '../../src/lib/webhook-failure';
import en from '../../src/plugins/delivery/admin/src/translations/en.json';
import zh from '../../src/plugins/delivery/admin/src/translations/zh-Hans.json';

const context = (language: 'zh-Hans' | 'en') => ({
  language,
  template: (key: string) => (language === 'en' ? en : zh)[key as keyof typeof en] as string | undefined,
});

describe('networkCause', () => {
  it('names a Node network error by its code, else by what its message says', () => {
    expect(networkCause({ code: 'ECONNREFUSED', message: 'connect ECONNREFUSED 127.0.0.1:9' })).toBe('refused');
    expect(networkCause({ code: 'ENOTFOUND' })).toBe('not-found');
    expect(networkCause({ code: 'CERT_HAS_EXPIRED', message: 'certificate has expired' })).toBe('tls');
    expect(networkCause({ message: 'socket hang up' })).toBe('reset');
    expect(networkCause({ message: 'connect EHOSTUNREACH 10.0.0.1:80' })).toBe('unreachable');
    expect(networkCause({ message: 'something else' })).toBe('other');
  });
});

describe('deliveryFailure', () => {
  it('takes the stored code and params first', () => {
    expect(
      deliveryFailure({ lastError: 'HTTP 500 oops', lastErrorCode: 'webhook.http', lastErrorParams: { status: 500 } }),
    ).toEqual({ code: 'webhook.http', params: { status: 500 } });
  });

  it('reads the code of a row older than the codes from its English text', () => {
    const old = (lastError: string) => deliveryFailure({ lastError });
    expect(old('no answer within 10000 ms')).toEqual({ code: 'webhook.timeout', params: { ms: 10000 } });
    expect(old('HTTP 302: redirects are not followed')).toEqual({ code: 'webhook.redirect', params: { status: 302 } });
    expect(old('HTTP 500 Internal Server Error')).toEqual({ code: 'webhook.http', params: { status: 500 } });
    expect(old('the site has no webhook URL or secret any more')).toEqual({ code: 'webhook.no-url', params: {} });
    expect(old('Webhook URL refused: hooks.example.org does not resolve')).toEqual({
      code: 'webhook.unresolved',
      params: { host: 'hooks.example.org' },
    });
    expect(
      old(
        'Webhook URL refused: ::ffff:7f00:1 resolves to ::ffff:7f00:1, a private or loopback (not public) address (allow it with WEBHOOK_ALLOWLIST)',
      ),
    ).toEqual({ code: 'webhook.private', params: { host: '::ffff:7f00:1', address: '::ffff:7f00:1' } });
    expect(old('Webhook URL refused: only http and https webhooks')).toEqual({ code: 'webhook.refused', params: {} });
    expect(old('connect ECONNREFUSED 127.0.0.1:4000')).toEqual({
      code: 'webhook.network',
      params: { cause: 'refused' },
    });
    expect(deliveryFailure({ lastError: null })).toBeUndefined();
  });
});

describe('describeDeliveryFailure', () => {
  it('says each failure in Chinese and in English', () => {
    const row = { lastError: 'HTTP 503 busy', lastErrorCode: 'webhook.http', lastErrorParams: { status: 503 } };
    expect(describeDeliveryFailure(row, context('zh-Hans'))).toBe('网站返回 HTTP 503');
    expect(describeDeliveryFailure(row, context('en'))).toBe('the site answered HTTP 503');
    const refused = { lastErrorCode: 'webhook.network', lastErrorParams: { cause: 'refused' } };
    expect(describeDeliveryFailure(refused, context('zh-Hans'))).toBe('无法连接到网站（连接被拒绝）');
    expect(describeDeliveryFailure(refused, context('en'))).toBe(
      'could not reach the site (the connection was refused)',
    );
  });

  it("never shows Node's English message for a network failure, old or new", () => {
    const old = { lastError: 'getaddrinfo EAI_FAIL weird.example' };
    expect(describeDeliveryFailure(old, context('zh-Hans'))).toBe('无法连接到网站（网络错误）');
    const timeout = { lastError: 'no answer within 2000 ms' };
    expect(describeDeliveryFailure(timeout, context('zh-Hans'))).toBe('网站未在规定时间内响应');
  });

  it('keeps the stored text for a code no template knows, and is empty when nothing failed', () => {
    expect(describeDeliveryFailure({ lastError: 'odd', lastErrorCode: 'webhook.new-kind' }, context('en'))).toBe('odd');
    expect(describeDeliveryFailure({ lastError: null, lastErrorCode: null }, context('en'))).toBe('');
  });

  it('has every cause and every code in both languages', () => {
    const keys = Object.keys(en).filter((key) => key.startsWith('error.webhook.') || key.startsWith('event.'));
    expect(keys.length).toBeGreaterThan(15);
    for (const key of keys) expect(zh).toHaveProperty([key]);
  });
});
