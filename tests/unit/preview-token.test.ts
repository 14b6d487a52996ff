import { createHmac } from 'crypto';
import { DEFAULT_PREVIEW_SECONDS, previewUrl, signPreviewToken, verifyPreviewToken } from '../../src/lib/preview-token';

const SECRET = 'preview-secret-for-tests';
const NOW = Date.UTC(2025, 0, 1, 12, 0, 0, 500);
const CLAIMS = { uid: 'api::project.project', documentId: 'abc123xyz', locale: 'en' };

const encode = (value: unknown) =>
  Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');
const decode = (part: string) => JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
/** A token over arbitrary claims, correctly signed: what only a holder of the secret could make. */
const forge = (claims: unknown, secret = SECRET) => {
  const part = encode(claims);
  return `${part}.${createHmac('sha256', secret).update(part).digest('base64url')}`;
};

describe('signPreviewToken / verifyPreviewToken', () => {
  it('round-trips the claims, with an expiry in unix seconds', () => {
    const token = signPreviewToken(SECRET, CLAIMS, 60, NOW);
    expect(token).toMatch(/^[\w-]+\.[\w-]{43}$/);
    expect(verifyPreviewToken(SECRET, token, NOW)).toEqual({
      ok: true,
      claims: { ...CLAIMS, exp: Math.floor(NOW / 1000) + 60 },
    });
  });

  it('lasts 15 minutes by default', () => {
    expect(DEFAULT_PREVIEW_SECONDS).toBe(900);
    const check = verifyPreviewToken(SECRET, signPreviewToken(SECRET, CLAIMS, undefined, NOW), NOW);
    expect(check).toEqual({ ok: true, claims: { ...CLAIMS, exp: Math.floor(NOW / 1000) + 900 } });
  });

  it('uses the real clock when no time is given', () => {
    const token = signPreviewToken(SECRET, CLAIMS);
    const check = verifyPreviewToken(SECRET, token);
    expect(check.ok).toBe(true);
    if (!check.ok) return;
    expect(Math.abs(check.claims.exp - (Date.now() / 1000 + DEFAULT_PREVIEW_SECONDS))).toBeLessThan(5);
    expect(verifyPreviewToken(SECRET, signPreviewToken(SECRET, CLAIMS, -10))).toEqual({
      ok: false,
      reason: 'expired preview token',
    });
  });

  it('carries non-ASCII claims', () => {
    const claims = { uid: 'api::news.news-article', documentId: '梧桐谷-文档', locale: 'zh-Hans' };
    const check = verifyPreviewToken(SECRET, signPreviewToken(SECRET, claims, 60, NOW), NOW);
    expect(check).toEqual({ ok: true, claims: { ...claims, exp: Math.floor(NOW / 1000) + 60 } });
  });

  it('is deterministic and differs for any different claim', () => {
    const token = signPreviewToken(SECRET, CLAIMS, 60, NOW);
    expect(signPreviewToken(SECRET, CLAIMS, 60, NOW)).toBe(token);
    const others = [
      signPreviewToken(SECRET, { ...CLAIMS, documentId: 'other' }, 60, NOW),
      signPreviewToken(SECRET, { ...CLAIMS, locale: 'zh-Hans' }, 60, NOW),
      signPreviewToken(SECRET, { ...CLAIMS, uid: 'api::park.park' }, 60, NOW),
      signPreviewToken(SECRET, CLAIMS, 61, NOW),
      signPreviewToken('another-secret', CLAIMS, 60, NOW),
    ];
    expect(new Set([token, ...others]).size).toBe(6);
    // the signature alone changes with the secret
    expect(others[4].split('.')[0]).toBe(token.split('.')[0]);
    expect(others[4].split('.')[1]).not.toBe(token.split('.')[1]);
  });

  it('rejects a token signed with another secret', () => {
    const token = signPreviewToken('another-secret', CLAIMS, 60, NOW);
    expect(verifyPreviewToken(SECRET, token, NOW)).toEqual({ ok: false, reason: 'invalid preview token' });
    expect(verifyPreviewToken('', signPreviewToken(SECRET, CLAIMS, 60, NOW), NOW)).toEqual({
      ok: false,
      reason: 'invalid preview token',
    });
  });

  it.each([
    ['another document', { documentId: 'someone-elses-draft' }],
    ['another locale', { locale: 'zh-Hans' }],
    ['another type', { uid: 'api::park.park' }],
    ['a later expiry', { exp: Math.floor(NOW / 1000) + 365 * 86400 }],
  ])('rejects claims changed to %s', (_name, change) => {
    const [part, signature] = signPreviewToken(SECRET, CLAIMS, 60, NOW).split('.');
    const tampered = `${encode({ ...decode(part), ...change })}.${signature}`;
    expect(verifyPreviewToken(SECRET, tampered, NOW)).toEqual({ ok: false, reason: 'invalid preview token' });
  });

  it('rejects a changed, shortened, lengthened or borrowed signature', () => {
    const token = signPreviewToken(SECRET, CLAIMS, 60, NOW);
    const [part, signature] = token.split('.');
    const flipped = signature.slice(0, -1) + (signature.endsWith('A') ? 'B' : 'A');
    const borrowed = signPreviewToken(SECRET, { ...CLAIMS, documentId: 'x' }, 60, NOW).split('.')[1];
    for (const bad of [flipped, signature.slice(0, -1), `${signature}A`, borrowed, 'A'.repeat(43)]) {
      expect(verifyPreviewToken(SECRET, `${part}.${bad}`, NOW)).toEqual({ ok: false, reason: 'invalid preview token' });
    }
  });

  it('expires after exp (unix seconds), not before', () => {
    const token = signPreviewToken(SECRET, CLAIMS, 60, NOW);
    const exp = Math.floor(NOW / 1000) + 60;
    expect(verifyPreviewToken(SECRET, token, exp * 1000 - 1).ok).toBe(true);
    expect(verifyPreviewToken(SECRET, token, exp * 1000).ok).toBe(true);
    expect(verifyPreviewToken(SECRET, token, exp * 1000 + 1)).toEqual({ ok: false, reason: 'expired preview token' });
    expect(verifyPreviewToken(SECRET, token, NOW + 86_400_000)).toEqual({ ok: false, reason: 'expired preview token' });
  });

  it('checks the signature before the expiry', () => {
    const token = signPreviewToken('another-secret', CLAIMS, 60, NOW);
    expect(verifyPreviewToken(SECRET, token, NOW + 86_400_000)).toEqual({ ok: false, reason: 'invalid preview token' });
  });

  it.each([
    [''],
    ['abc'],
    ['.'],
    ['a.'],
    ['.b'],
    ['a..b'],
    ['a.b.c'],
    ['a b.c'],
    ['eyJ1aWQiOiJ4In0=.c2lnbmF0dXJl'],
    ['eyJ1+aWQ.c2/lnbmF0dXJl'],
    [' a.b'],
    ['a.b\n'],
  ])('rejects the malformed string %j', (token) => {
    expect(verifyPreviewToken(SECRET, token, NOW)).toEqual({ ok: false, reason: 'malformed preview token' });
  });

  it.each([[undefined], [null], [42], [true], [{}], [['a.b']], [Buffer.from('a.b')]])(
    'rejects the non-string %p',
    (token) => {
      expect(verifyPreviewToken(SECRET, token, NOW)).toEqual({ ok: false, reason: 'malformed preview token' });
    },
  );

  it('rejects a signed token whose claims are not JSON', () => {
    expect(verifyPreviewToken(SECRET, forge('not json'), NOW)).toEqual({
      ok: false,
      reason: 'malformed preview token',
    });
  });

  it.each([
    ['no uid', { documentId: 'd', locale: 'en' }],
    ['no documentId', { uid: 'api::project.project', locale: 'en' }],
    ['no locale', { uid: 'api::project.project', documentId: 'd' }],
    ['an empty documentId', { uid: 'api::project.project', documentId: '', locale: 'en' }],
    ['a numeric documentId', { uid: 'api::project.project', documentId: 7, locale: 'en' }],
    ['a null locale', { uid: 'api::project.project', documentId: 'd', locale: null }],
  ])('rejects signed claims with %s', (_name, claims) => {
    const token = forge({ ...claims, exp: Math.floor(NOW / 1000) + 60 });
    expect(verifyPreviewToken(SECRET, token, NOW)).toEqual({ ok: false, reason: 'malformed preview token' });
  });

  it.each([
    ['no expiry', CLAIMS],
    ['a string expiry', { ...CLAIMS, exp: String(Math.floor(NOW / 1000) + 60) }],
    ['null claims', null],
    ['an array', [CLAIMS]],
    ['a number', 42],
  ])('rejects signed claims with %s', (_name, claims) => {
    expect(verifyPreviewToken(SECRET, forge(claims), NOW).ok).toBe(false);
  });
});

describe('previewUrl', () => {
  const values = {
    token: 'eyJ1aWQ.sig-_',
    documentId: 'abc123',
    locale: 'zh-Hans',
    lang: 'zh',
    collection: 'projects',
    uid: 'api::project.project',
    slug: '梧桐谷 酒店&spa',
    path: '/zh/projects/梧桐谷?x=1#top',
  };

  it('fills every placeholder, URL-encoded', () => {
    const url = previewUrl(
      'https://site.example/api/preview?token={token}&id={documentId}&locale={locale}&lang={lang}' +
        '&c={collection}&uid={uid}&slug={slug}&path={path}',
      values,
    );
    expect(url).toBe(
      'https://site.example/api/preview?token=eyJ1aWQ.sig-_&id=abc123&locale=zh-Hans&lang=zh&c=projects' +
        '&uid=api%3A%3Aproject.project&slug=%E6%A2%A7%E6%A1%90%E8%B0%B7%20%E9%85%92%E5%BA%97%26spa' +
        '&path=%2Fzh%2Fprojects%2F%E6%A2%A7%E6%A1%90%E8%B0%B7%3Fx%3D1%23top',
    );
    const params = new URL(url).searchParams;
    for (const [param, name] of [
      ['token', 'token'],
      ['id', 'documentId'],
      ['locale', 'locale'],
      ['lang', 'lang'],
      ['c', 'collection'],
      ['uid', 'uid'],
      ['slug', 'slug'],
      ['path', 'path'],
    ] as const) {
      expect(params.get(param)).toBe(values[name]);
    }
  });

  it('carries a real token that still verifies', () => {
    const token = signPreviewToken(SECRET, CLAIMS, 60, NOW);
    const url = previewUrl('https://site.example/{lang}/preview/{documentId}?t={token}', { ...values, token });
    expect(url.startsWith('https://site.example/zh/preview/abc123?t=')).toBe(true);
    expect(verifyPreviewToken(SECRET, new URL(url).searchParams.get('t'), NOW).ok).toBe(true);
  });

  it('fills repeated placeholders and leaves the rest of the pattern alone', () => {
    expect(previewUrl('https://x.example/{lang}/{lang}/{{slug}}/{not-a-name}/{ token }', values)).toBe(
      'https://x.example/zh/zh/{%E6%A2%A7%E6%A1%90%E8%B0%B7%20%E9%85%92%E5%BA%97%26spa}/{not-a-name}/{ token }',
    );
    expect(previewUrl('https://x.example/static', values)).toBe('https://x.example/static');
  });

  it('leaves unknown, null and missing values empty', () => {
    expect(
      previewUrl('https://x.example/?a={nope}&s={slug}&p={path}&l={locale}', { slug: null, path: undefined }),
    ).toBe('https://x.example/?a=&s=&p=&l=');
    expect(previewUrl('https://x.example/{constructor}{toString}{__proto__}{hasOwnProperty}', {})).toBe(
      'https://x.example/',
    );
    expect(previewUrl('https://x.example/?t={token}', { token: '' })).toBe('https://x.example/?t=');
  });
});
