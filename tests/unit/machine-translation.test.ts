import {
  machineTranslatorFromEnv,
  openAiCompatible,
  translateValues,
  translationPrompt,
  type MachineTranslator,
} from '../../src/lib/machine-translation';
import type { SnapshotSchema } from '../../src/lib/snapshot';

const schemas: Record<string, SnapshotSchema> = {
  'place.location': { address: { type: 'string' }, district: { type: 'string' } },
};
const attributes: SnapshotSchema = {
  title: { type: 'string' },
  body: { type: 'blocks' },
  location: { type: 'component', component: 'place.location' },
  landAreaMu: { type: 'decimal' },
};
const options = { from: 'zh-Hans', to: 'en', glossary: [{ source: '西工区', target: 'Xigong District' }] };

describe('translateValues', () => {
  it('sends every text in one request and puts the translations back in place', async () => {
    const seen: string[][] = [];
    const fake: MachineTranslator = {
      name: 'fake',
      translate: async (texts) => {
        seen.push(texts);
        return texts.map((text) => `EN(${text})`);
      },
    };
    const result = await translateValues(
      {
        title: '凤凰谷',
        body: [
          {
            type: 'paragraph',
            children: [
              { type: 'text', text: '第一段' },
              { type: 'text', text: ' ', bold: true },
            ],
          },
        ],
        location: { address: '衡山路95号', district: null },
        landAreaMu: 280,
      },
      attributes,
      (uid) => schemas[uid],
      fake,
      options,
    );
    expect(seen).toEqual([['凤凰谷', '第一段', '衡山路95号']]);
    expect(result).toEqual({
      title: 'EN(凤凰谷)',
      body: [
        {
          type: 'paragraph',
          children: [
            { type: 'text', text: 'EN(第一段)' },
            { type: 'text', text: ' ', bold: true },
          ],
        },
      ],
      location: { address: 'EN(衡山路95号)', district: null },
      landAreaMu: 280,
    });
  });
});

describe('openAiCompatible', () => {
  it('posts a chat completion with the glossary and reads the JSON array answer', async () => {
    const calls: { url: string; body: Record<string, unknown>; headers: Record<string, string> }[] = [];
    const provider = openAiCompatible({
      baseUrl: 'http://mt.local/v1/',
      apiKey: 'secret',
      model: 'm',
      fetch: async (url, init) => {
        calls.push({ url, body: JSON.parse(init.body), headers: init.headers });
        return {
          ok: true,
          status: 200,
          json: async () => ({ choices: [{ message: { content: '```json\n["A","B"]\n```' } }] }),
          text: async () => '',
        };
      },
    });
    expect(await provider.translate(['甲', '乙'], options)).toEqual(['A', 'B']);
    expect(calls[0].url).toBe('http://mt.local/v1/chat/completions');
    expect(calls[0].headers.Authorization).toBe('Bearer secret');
    expect(JSON.stringify(calls[0].body)).toContain('西工区 → Xigong District');
  });

  it('fails clearly on an HTTP error or a malformed answer', async () => {
    const answer = (ok: boolean, content: string) =>
      openAiCompatible({
        baseUrl: 'http://mt.local',
        model: 'm',
        fetch: async () => ({
          ok,
          status: ok ? 200 : 503,
          json: async () => ({ choices: [{ message: { content } }] }),
          text: async () => 'busy',
        }),
      });
    await expect(answer(false, '').translate(['甲'], options)).rejects.toThrow(/HTTP 503 busy/);
    await expect(answer(true, 'not json').translate(['甲'], options)).rejects.toThrow(/JSON array/);
    await expect(answer(true, '["A","B"]').translate(['甲'], options)).rejects.toThrow(/2 strings for 1/);
  });

  it('asks for nothing when there is nothing to translate', async () => {
    const provider = openAiCompatible({
      baseUrl: 'http://mt.local',
      model: 'm',
      fetch: async () => Promise.reject(new Error('called')),
    });
    expect(await provider.translate([], options)).toEqual([]);
  });
});

describe('translationPrompt', () => {
  it('names the languages and lists the glossary', () => {
    expect(translationPrompt(options)).toMatch(/from Simplified Chinese to English[\s\S]*西工区 → Xigong District/);
  });
});

describe('machineTranslatorFromEnv', () => {
  it('is off unless configured, and refuses a half or unknown configuration', () => {
    expect(machineTranslatorFromEnv({})).toBeUndefined();
    expect(machineTranslatorFromEnv({ MT_PROVIDER: '' })).toBeUndefined();
    expect(
      machineTranslatorFromEnv({ MT_PROVIDER: 'openai', MT_BASE_URL: 'http://mt.local/v1', MT_MODEL: 'm' })?.name,
    ).toBe('openai-compatible (m)');
    expect(() => machineTranslatorFromEnv({ MT_PROVIDER: 'openai' })).toThrow(/MT_BASE_URL is required/);
    expect(() => machineTranslatorFromEnv({ MT_PROVIDER: 'babelfish', MT_BASE_URL: 'x' })).toThrow(/must be "openai"/);
  });
});
