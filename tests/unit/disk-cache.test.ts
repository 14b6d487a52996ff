/** src/lib/disk-cache.ts: a value kept on disk under a key hashed from its inputs. */
import fs from 'fs';
import os from 'os';
import path from 'path';
import { cachedJson, cacheKey } from '../../src/lib/disk-cache';

describe('cacheKey', () => {
  it('is the same for the same inputs whatever the order of their keys, and differs when a value does', () => {
    expect(cacheKey({ a: 1, b: { c: [1, 2], d: 'x' } })).toBe(cacheKey({ b: { d: 'x', c: [1, 2] }, a: 1 }));
    expect(cacheKey({ a: 1, b: { c: [1, 2], d: 'x' } })).not.toBe(cacheKey({ a: 1, b: { c: [2, 1], d: 'x' } }));
    expect(cacheKey({ a: { required: true } })).not.toBe(cacheKey({ a: {} }));
  });
});

describe('cachedJson', () => {
  let dir: string;
  beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wutong-disk-cache-'))));
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('builds once, then reads what a JSON response of the value holds', () => {
    const build = jest.fn(() => ({ n: 1, gone: undefined, list: [1, 'two'] }));
    expect(cachedJson(dir, 'doc', 'k1', build)).toEqual({
      value: { n: 1, gone: undefined, list: [1, 'two'] },
      cached: false,
    });
    expect(cachedJson(dir, 'doc', 'k1', build)).toEqual({ value: { n: 1, list: [1, 'two'] }, cached: true });
    expect(build).toHaveBeenCalledTimes(1);
    expect(fs.readdirSync(dir)).toEqual(['doc-k1.json']);
  });

  it('builds again under another key and removes the files of the old keys only', () => {
    fs.writeFileSync(path.join(dir, 'other-k1.json'), '{}');
    cachedJson(dir, 'doc', 'k1', () => 1);
    expect(cachedJson(dir, 'doc', 'k2', () => 2)).toEqual({ value: 2, cached: false });
    expect(fs.readdirSync(dir).sort()).toEqual(['doc-k2.json', 'other-k1.json']);
  });

  it('only builds when the cache cannot be written or read, and says why', () => {
    const warn = jest.fn();
    const file = path.join(dir, 'not-a-directory');
    fs.writeFileSync(file, '');
    expect(cachedJson(file, 'doc', 'k1', () => 3, warn)).toEqual({ value: 3, cached: false });
    expect(warn).toHaveBeenCalledWith(expect.stringContaining('not written'));
    fs.writeFileSync(path.join(dir, 'doc-k1.json'), '{broken');
    expect(cachedJson(dir, 'doc', 'k1', () => 4, warn)).toEqual({ value: 4, cached: false });
    expect(warn).toHaveBeenCalledWith(expect.stringContaining('unreadable'));
    expect(cachedJson(dir, 'doc', 'k1', () => 5)).toEqual({ value: 4, cached: true });
  });
});
