/**
 * Translation status, per document × locale and per field, against the source language.
 *
 * Each translated field remembers the source content it was based on (a hash, and the text for
 * showing what changed). A field is outdated when the source field's content now differs from
 * that; changing it back makes it current again. Bringing a field up to date is an explicit act.
 */
import { createHash } from 'crypto';
import { stableStringify, type Snapshot, type SnapshotAttribute } from './snapshot';
import type { Stage } from './workflow';

export type TranslationStatus = 'missing' | 'draft' | 'in_review' | 'published' | 'outdated';

export const TRANSLATION_STATUSES: TranslationStatus[] = ['missing', 'outdated', 'draft', 'in_review', 'published'];

export interface FieldBase {
  basedOn: string;
  sourceValue: unknown;
}

export interface TranslatableAttribute extends SnapshotAttribute {
  target?: string;
  pluginOptions?: { i18n?: { localized?: boolean } };
}

/** What a translator translates: localized text-bearing fields (not slugs, relations or media). */
export const translatableFields = (attributes: Record<string, TranslatableAttribute>): string[] =>
  Object.entries(attributes)
    .filter(
      ([, attribute]) =>
        attribute.pluginOptions?.i18n?.localized === true && !['uid', 'relation', 'media'].includes(attribute.type),
    )
    .map(([name]) => name);

const isEmpty = (value: unknown) =>
  value === null || value === undefined || value === '' || (Array.isArray(value) && value.length === 0);

export const fieldHash = (value: unknown): string =>
  createHash('sha256')
    .update(stableStringify(isEmpty(value) ? null : value))
    .digest('hex')
    .slice(0, 24);

/** Bases for the given fields from the current source content ("up to date as of now"). */
export const basesFrom = (source: Snapshot | null, fields: string[]): Record<string, FieldBase> =>
  Object.fromEntries(
    fields.map((field) => [field, { basedOn: fieldHash(source?.[field]), sourceValue: source?.[field] ?? null }]),
  );

export interface OutdatedField {
  field: string;
  /** The source content the translation was based on (null if never recorded). */
  before: unknown;
  /** The source content now. */
  after: unknown;
}

/** Fields whose source content changed since the translation was based on it. */
export const outdatedFields = (
  source: Snapshot | null,
  bases: Record<string, FieldBase>,
  fields: string[],
): OutdatedField[] =>
  fields
    .filter((field) => {
      const base = bases[field];
      const now = source?.[field];
      return base ? base.basedOn !== fieldHash(now) : !isEmpty(now);
    })
    .map((field) => ({ field, before: bases[field]?.sourceValue ?? null, after: source?.[field] ?? null }));

/** Fields that have source content but nothing in the translation yet. */
export const untranslatedFields = (source: Snapshot | null, translation: Snapshot | null, fields: string[]): string[] =>
  fields.filter((field) => !isEmpty(source?.[field]) && isEmpty(translation?.[field]));

/** One word for a document in one language. */
export const translationStatus = (exists: boolean, stage: Stage, outdated: number): TranslationStatus => {
  if (!exists) return 'missing';
  if (outdated > 0) return 'outdated';
  if (stage === 'published') return 'published';
  if (stage === 'in_review' || stage === 'approved') return 'in_review';
  return 'draft';
};

export interface GlossaryTerm {
  source: string;
  target: string;
}

export interface GlossaryFlag {
  field: string;
  source: string;
  expected: string;
}

const textOf = (value: unknown): string => {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return value.map(textOf).join('\n');
  if (typeof value === 'object') {
    const node = value as Record<string, unknown>;
    return Object.entries(node)
      .filter(([key]) => key !== 'type' && key !== 'url' && key !== '__component')
      .map(([, item]) => textOf(item))
      .join('\n');
  }
  return '';
};

/**
 * The accepted forms of a rendering: as written, and without its explanations in parentheses
 * ("mu (1 mu ≈ 666.7 m²)" → "mu", "Fenghuanggu (Phoenix Valley) Industrial Park" → "Fenghuanggu
 * Industrial Park"), lower-cased.
 */
const renderings = (target: string): string[] => {
  const plain = target
    .replace(/\s*\([^)]*\)/g, '')
    .replace(/\s+/g, ' ')
    .trim();
  return [...new Set([target, plain].filter(Boolean).map((text) => text.toLowerCase()))];
};

// Scripts written with spaces between words, where a term must be a whole word.
const SPACED = /[A-Za-z0-9\u00C0-\u024F\u0370-\u03FF\u0400-\u04FF]/;

/** Whole-word containment where words are spaced: "mu" is in "280 mu" but not in "community". */
const containsTerm = (text: string, term: string): boolean => {
  const escaped = term.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const before = SPACED.test(term[0]) ? '(?<![\\p{L}\\p{N}])' : '';
  const after = SPACED.test(term[term.length - 1]) ? '(?![\\p{L}\\p{N}])' : '';
  return new RegExp(`${before}${escaped}${after}`, 'u').test(text);
};

/** Longest terms first, so "洛阳市西工区" is found rather than also "西工区" inside it. */
const longestFirst = (terms: GlossaryTerm[]) =>
  [...terms].filter(({ source: term, target }) => term && target).sort((a, b) => b.source.length - a.source.length);

/**
 * The glossary terms the source text uses, each once with its fixed rendering: what a translator
 * should write for them (shown before translating, and given to machine translation).
 */
export const glossaryHints = (source: Snapshot | null, fields: string[], terms: GlossaryTerm[]): GlossaryTerm[] => {
  let text = fields.map((field) => textOf(source?.[field])).join('\n');
  const found: GlossaryTerm[] = [];
  for (const term of longestFirst(terms)) {
    if (!text.includes(term.source)) continue;
    text = text.split(term.source).join(' ');
    found.push({ source: term.source, target: term.target });
  }
  return found;
};

/**
 * Glossary terms the source uses whose fixed rendering the translation does not: for each field,
 * each term found in the source text must appear (case-insensitively) in the translated text.
 */
export const glossaryFlags = (
  source: Snapshot | null,
  translation: Snapshot | null,
  fields: string[],
  terms: GlossaryTerm[],
): GlossaryFlag[] => {
  const sorted = longestFirst(terms);
  const flags: GlossaryFlag[] = [];
  for (const field of fields) {
    let sourceText = textOf(source?.[field]);
    const translated = textOf(translation?.[field]).toLowerCase();
    if (!sourceText || !translated) continue;
    for (const term of sorted) {
      if (!sourceText.includes(term.source)) continue;
      sourceText = sourceText.split(term.source).join(' ');
      if (!renderings(term.target).some((rendering) => containsTerm(translated, rendering))) {
        flags.push({ field, source: term.source, expected: term.target });
      }
    }
  }
  return flags;
};
