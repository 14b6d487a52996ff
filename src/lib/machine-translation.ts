/**
 * Machine translation pre-fill: a provider interface, one real HTTP provider (any
 * OpenAI-compatible chat-completions endpoint, configured by environment), and the walk that
 * sends a document's text to it and puts the translations back in place. Nothing is called when
 * no provider is configured. The glossary's fixed renderings go with every request.
 */
import type { Snapshot, SnapshotSchema, SchemaOf } from './snapshot';
import type { GlossaryTerm } from './translation';
import { envString } from './env';

export interface TranslateOptions {
  from: string;
  to: string;
  glossary: GlossaryTerm[];
}

export interface MachineTranslator {
  name: string;
  translate(texts: string[], options: TranslateOptions): Promise<string[]>;
}

type Fetch = (
  url: string,
  init: { method: string; headers: Record<string, string>; body: string },
) => Promise<{
  ok: boolean;
  status: number;
  json(): Promise<unknown>;
  text(): Promise<string>;
}>;

const LANGUAGE_NAMES: Record<string, string> = {
  'zh-Hans': 'Simplified Chinese',
  en: 'English',
  ja: 'Japanese',
  ko: 'Korean',
  ru: 'Russian',
  de: 'German',
  fr: 'French',
};

/** The instructions: translate each string of a JSON array, keep the glossary's renderings. */
export const translationPrompt = ({ from, to, glossary }: TranslateOptions): string =>
  [
    `Translate each string of the JSON array from ${LANGUAGE_NAMES[from] ?? from} to ${LANGUAGE_NAMES[to] ?? to}.`,
    'The texts promote a district to investors: keep numbers, units and names exact.',
    'Answer with a JSON array of the translations only, in the same order and of the same length.',
    ...(glossary.length
      ? ['Always render these terms exactly so:', ...glossary.map(({ source, target }) => `${source} → ${target}`)]
      : []),
  ].join('\n');

export const openAiCompatible = (options: {
  baseUrl: string;
  apiKey?: string;
  model: string;
  fetch?: Fetch;
}): MachineTranslator => ({
  name: `openai-compatible (${options.model})`,
  async translate(texts, translateOptions) {
    if (!texts.length) return [];
    const send = options.fetch ?? (fetch as unknown as Fetch);
    const response = await send(`${options.baseUrl.replace(/\/+$/, '')}/chat/completions`, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json',
        ...(options.apiKey ? { Authorization: `Bearer ${options.apiKey}` } : {}),
      },
      body: JSON.stringify({
        model: options.model,
        temperature: 0,
        messages: [
          { role: 'system', content: translationPrompt(translateOptions) },
          { role: 'user', content: JSON.stringify(texts) },
        ],
      }),
    });
    if (!response.ok) throw new Error(`Machine translation failed: HTTP ${response.status} ${await response.text()}`);
    const body = (await response.json()) as { choices?: { message?: { content?: string } }[] };
    const content = body.choices?.[0]?.message?.content ?? '';
    let translated: unknown;
    try {
      translated = JSON.parse(content.replace(/^```(?:json)?\s*|\s*```$/g, ''));
    } catch {
      throw new Error('Machine translation answered something other than a JSON array');
    }
    if (
      !Array.isArray(translated) ||
      translated.length !== texts.length ||
      !translated.every((item) => typeof item === 'string')
    ) {
      throw new Error(
        `Machine translation returned ${Array.isArray(translated) ? translated.length : 'no'} strings for ${texts.length}`,
      );
    }
    return translated as string[];
  },
});

/** The configured provider, or undefined: MT_PROVIDER=openai with MT_BASE_URL, MT_API_KEY, MT_MODEL. */
export const machineTranslatorFromEnv = (env: Record<string, string | undefined>): MachineTranslator | undefined => {
  const provider = envString(env, 'MT_PROVIDER');
  if (!provider) return undefined;
  if (provider !== 'openai')
    throw new Error(`MT_PROVIDER must be "openai" (any OpenAI-compatible endpoint), got "${provider}"`);
  const baseUrl = envString(env, 'MT_BASE_URL');
  if (!baseUrl) throw new Error('MT_BASE_URL is required with MT_PROVIDER=openai');
  return openAiCompatible({
    baseUrl,
    apiKey: envString(env, 'MT_API_KEY'),
    model: envString(env, 'MT_MODEL', 'gpt-4o-mini') as string,
  });
};

const TEXT = new Set(['string', 'text', 'richtext']);

/**
 * Translates every text in `values` (strings, texts, the text of blocks, texts inside
 * components) in one request, and returns the same structure with the translations in place.
 */
export const translateValues = async (
  values: Snapshot,
  attributes: SnapshotSchema,
  schemaOf: SchemaOf,
  translator: MachineTranslator,
  options: TranslateOptions,
): Promise<Snapshot> => {
  const texts: string[] = [];
  const writers: ((translated: string) => void)[] = [];
  const collect = (holder: Record<string, unknown> | unknown[], key: string | number, text: unknown) => {
    if (typeof text !== 'string' || !text.trim()) return;
    texts.push(text);
    writers.push((translated) => {
      (holder as Record<string | number, unknown>)[key] = translated;
    });
  };
  const walkBlocks = (node: unknown) => {
    if (Array.isArray(node)) return node.forEach(walkBlocks);
    if (!node || typeof node !== 'object') return;
    const record = node as Record<string, unknown>;
    if (record.type === 'text') collect(record, 'text', record.text);
    if (Array.isArray(record.children)) walkBlocks(record.children);
  };
  const walk = (holder: Record<string, unknown>, schema: SnapshotSchema) => {
    for (const [name, attribute] of Object.entries(schema)) {
      const value = holder[name];
      if (value === null || value === undefined) continue;
      if (TEXT.has(attribute.type)) collect(holder, name, value);
      else if (attribute.type === 'blocks') walkBlocks(value);
      else if (attribute.type === 'component' && attribute.component) {
        const nested = schemaOf(attribute.component) ?? {};
        for (const item of Array.isArray(value) ? value : [value]) walk(item as Record<string, unknown>, nested);
      }
    }
  };
  const copy = JSON.parse(JSON.stringify(values)) as Snapshot;
  walk(
    copy,
    Object.fromEntries(
      Object.keys(copy)
        .map((name) => [name, attributes[name]])
        .filter(([, attribute]) => attribute),
    ),
  );
  const translated = await translator.translate(texts, options);
  translated.forEach((text, index) => writers[index](text));
  return copy;
};
