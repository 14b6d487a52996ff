/**
 * The translation workflow's server side: per document × locale and per field status against
 * the Chinese source ("outdated" when the source changed since the translation was based on it),
 * explicit "mark up to date", filling empty fields from the source or by machine translation,
 * and the glossary check.
 */
import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import { SOURCE_LOCALE } from '../../../../lib/locales';
import type { Snapshot, SnapshotSchema } from '../../../../lib/snapshot';
import {
  basesFrom,
  glossaryFlags,
  glossaryHints,
  outdatedFields,
  TRANSLATION_STATUSES,
  translatableFields,
  translationStatus,
  untranslatedFields,
  type FieldBase,
  type GlossaryTerm,
  type TranslatableAttribute,
  type TranslationStatus,
} from '../../../../lib/translation';
import { translateValues, type MachineTranslator } from '../../../../lib/machine-translation';
import type { ResolvedActor } from './actor';
import type { DomainEvent, EventStream } from '../../../events/server/services/stream';
import { actorOf, isManaged } from './guard';
import { loadSnapshot, loadState, schemaOf, type Target } from './store';

export const BASE_UID = 'plugin::editorial.translation-base';
const GLOSSARY_UID = 'api::glossary.glossary-term';

const where = ({ uid, documentId, locale }: Target) => ({
  targetUid: uid,
  targetDocumentId: documentId,
  targetLocale: locale,
});

/*
 * A json column passes strings through unquoted, which PostgreSQL rejects as invalid JSON: keep
 * every source value inside an object. Rows written before boxing are read as they are.
 */
const box = (value: unknown) => ({ value: value ?? null });
const unbox = (stored: unknown) =>
  stored && typeof stored === 'object' && !Array.isArray(stored) && Object.keys(stored).join() === 'value'
    ? (stored as { value: unknown }).value
    : stored;

export const createTranslations = (
  strapi: Core.Strapi,
  bus: EventStream,
  translator: () => MachineTranslator | undefined,
) => {
  const bases = () => strapi.db.query(BASE_UID as never);
  const attributesOf = (uid: string) => (schemaOf(strapi)(uid) ?? {}) as Record<string, TranslatableAttribute>;
  const fieldsOf = (uid: string) => translatableFields(attributesOf(uid));
  const source = (target: Target): Target => ({ ...target, locale: SOURCE_LOCALE });

  const loadBases = async (target: Target): Promise<Record<string, FieldBase>> => {
    const rows = (await bases().findMany({ where: where(target) })) as {
      field: string;
      basedOn: string;
      sourceValue: unknown;
    }[];
    return Object.fromEntries(
      rows.map(({ field, basedOn, sourceValue }) => [field, { basedOn, sourceValue: unbox(sourceValue) }]),
    );
  };

  const saveBases = async (target: Target, values: Record<string, FieldBase>) => {
    for (const [field, base] of Object.entries(values)) {
      const existing = (await bases().findOne({ where: { ...where(target), field }, select: ['id'] })) as {
        id: number;
      } | null;
      const data = { basedOn: base.basedOn, sourceValue: box(base.sourceValue) };
      if (existing) await bases().update({ where: { id: existing.id }, data: data as never });
      else await bases().create({ data: { ...where(target), field, ...data } as never });
    }
  };

  /** The glossary: each term's rendering in `locale`. */
  const glossary = async (locale: string): Promise<GlossaryTerm[]> => {
    if (!strapi.contentTypes[GLOSSARY_UID as never]) return [];
    const rows = (await strapi.db
      .query(GLOSSARY_UID as never)
      .findMany({ where: { locale }, select: ['term', 'rendering'] })) as {
      term: string;
      rendering: string;
    }[];
    return rows.map(({ term, rendering }) => ({ source: term, target: rendering }));
  };

  /** The related documentIds that have a version in `locale` (a relation can only point there). */
  const existingIn = async (uid: string, locale: string, value: unknown) => {
    const ids = ([] as unknown[]).concat(value).filter((id): id is string => typeof id === 'string');
    const rows = (await strapi.db.query(uid as never).findMany({
      where: { documentId: { $in: ids }, locale, publishedAt: null },
      select: ['documentId'],
    })) as { documentId: string }[];
    const present = ids.filter((id) => rows.some(({ documentId }) => documentId === id));
    return Array.isArray(value) ? present : (present[0] ?? null);
  };

  const assertTranslatable = (target: Target) => {
    if (!isManaged(strapi, target.uid)) throw new errors.NotFoundError(`${target.uid} is not translated content`);
    if (target.locale === SOURCE_LOCALE)
      throw new errors.ValidationError(`${SOURCE_LOCALE} is the source language, not a translation`);
  };

  const service = {
    /** Subscriber: a new translation is based on the source as it is now. */
    async record(event: DomainEvent) {
      if (event.type !== 'document.created' || !event.target || event.target.locale === SOURCE_LOCALE) return;
      if (!isManaged(strapi, event.target.uid)) return;
      const sourceSnapshot = await loadSnapshot(strapi, source(event.target));
      if (sourceSnapshot) await saveBases(event.target, basesFrom(sourceSnapshot, fieldsOf(event.target.uid)));
    },

    /** Status of one document in one language, with the per-field detail. */
    async detail(target: Target) {
      assertTranslatable(target);
      const fields = fieldsOf(target.uid);
      const [sourceSnapshot, translation, stored, state, terms] = await Promise.all([
        loadSnapshot(strapi, source(target)),
        loadSnapshot(strapi, target),
        loadBases(target),
        loadState(strapi, target),
        glossary(target.locale),
      ]);
      const outdated = translation ? outdatedFields(sourceSnapshot, stored, fields) : [];
      return {
        ...target,
        status: translationStatus(!!translation, state.stage, outdated.length),
        stage: translation ? state.stage : null,
        title: String(
          translation?.title ?? translation?.name ?? sourceSnapshot?.title ?? sourceSnapshot?.name ?? target.documentId,
        ),
        outdated,
        untranslated: untranslatedFields(sourceSnapshot, translation, fields),
        glossary: glossaryFlags(sourceSnapshot, translation, fields, terms),
        // The terms the source uses and how this language renders them, to translate with.
        terms: glossaryHints(sourceSnapshot, fields, terms),
        machineTranslation: !!translator(),
      };
    },

    /** Every translatable document × the given locale(s), optionally by type and status. */
    async list(filters: { locale?: string; uid?: string; status?: string }) {
      const locales = ((await strapi.plugin('i18n').service('locales').find()) as { code: string }[])
        .map(({ code }) => code)
        .filter((code) => code !== SOURCE_LOCALE && (!filters.locale || code === filters.locale));
      if (filters.locale && !locales.length)
        throw new errors.ValidationError(`Unknown translation language "${filters.locale}"`);
      if (filters.status && !TRANSLATION_STATUSES.includes(filters.status as TranslationStatus)) {
        throw new errors.ValidationError(`status must be one of ${TRANSLATION_STATUSES.join(', ')}`);
      }
      const uids = Object.keys(strapi.contentTypes).filter(
        (uid) => isManaged(strapi, uid) && (!filters.uid || uid === filters.uid),
      );
      const items = [];
      for (const uid of uids) {
        const documents = (await strapi.db.query(uid as never).findMany({
          where: { locale: SOURCE_LOCALE, publishedAt: null },
          select: ['documentId'],
        })) as { documentId: string }[];
        for (const { documentId } of documents) {
          for (const locale of locales) {
            const {
              outdated,
              untranslated,
              glossary: flags,
              terms: _terms, // the edit view's help, not the dashboard's
              ...item
            } = await service.detail({ uid, documentId, locale });
            if (filters.status && item.status !== filters.status) continue;
            items.push({
              ...item,
              outdatedFields: outdated.map(({ field }) => field),
              untranslated: untranslated.length,
              glossaryFlags: flags.length,
            });
          }
        }
      }
      return items;
    },

    /** "My language: N missing, M outdated…" */
    async summary(locale: string) {
      const items = await service.list({ locale });
      return Object.fromEntries(
        TRANSLATION_STATUSES.map((status) => [status, items.filter((item) => item.status === status).length]),
      );
    },

    /** Marks fields (default: all) as brought up to date with the current source. Explicit. */
    async markUpToDate(target: Target, actor: ResolvedActor, fields?: string[]) {
      assertTranslatable(target);
      if (!actor.can.edit)
        throw new errors.PolicyError(`You may not edit the ${target.locale} translation`, {
          code: 'write.locale',
          params: { locale: target.locale },
        });
      const known = fieldsOf(target.uid);
      const chosen = fields?.length ? fields : known;
      const unknown = chosen.filter((field) => !known.includes(field));
      if (unknown.length) throw new errors.ValidationError(`Not translated fields: ${unknown.join(', ')}`);
      if (!(await loadSnapshot(strapi, target)))
        throw new errors.NotFoundError(`There is no ${target.locale} translation yet`);
      await strapi.db.transaction(async ({ onCommit }) => {
        await saveBases(target, basesFrom(await loadSnapshot(strapi, source(target)), chosen));
        await bus.publish({
          type: 'translation.marked-current',
          target,
          actor: actorOf(actor),
          payload: { summary: `marked up to date with the source: ${chosen.join(', ')}`, fields: chosen },
        });
        onCommit(() => void bus.kick());
      });
    },

    /**
     * Fills the translation's empty fields from the source: copied as they are, or machine
     * translated (with the glossary). Writes the draft only — it is reviewed like any edit.
     * Creates the translation if it does not exist yet.
     */
    async fill(target: Target, actor: ResolvedActor, mode: 'source' | 'machine') {
      assertTranslatable(target);
      if (!actor.can.edit)
        throw new errors.PolicyError(`You may not edit the ${target.locale} translation`, {
          code: 'write.locale',
          params: { locale: target.locale },
        });
      const machine = mode === 'machine' ? translator() : undefined;
      if (mode === 'machine' && !machine)
        throw new errors.ValidationError('No machine translation provider is configured (MT_PROVIDER)');

      const attributes = attributesOf(target.uid);
      const sourceSnapshot = await loadSnapshot(strapi, source(target));
      if (!sourceSnapshot) throw new errors.NotFoundError(`The document has no ${SOURCE_LOCALE} source`);
      const translation = await loadSnapshot(strapi, target);
      const empty = translation
        ? untranslatedFields(sourceSnapshot, translation, fieldsOf(target.uid))
        : fieldsOf(target.uid);
      const copied: Snapshot = Object.fromEntries(empty.map((field) => [field, sourceSnapshot[field]]));
      const values = machine
        ? await translateValues(copied, attributes as SnapshotSchema, schemaOf(strapi), machine, {
            from: SOURCE_LOCALE,
            to: target.locale,
            glossary: await glossary(target.locale),
          })
        : copied;

      // A new translation also needs what every locale version has: the slug, and the relations
      // to whatever already exists in this language.
      const data: Record<string, unknown> = { ...values };
      if (!translation) {
        for (const [name, attribute] of Object.entries(attributes)) {
          const value = sourceSnapshot[name];
          if (attribute.type === 'uid' && value) data[name] = value;
          if (attribute.type === 'relation' && value)
            data[name] = await existingIn(attribute.target as string, target.locale, value);
        }
      }
      await strapi.db.transaction(async ({ onCommit }) => {
        await strapi
          .documents(target.uid as never)
          .update({ documentId: target.documentId, locale: target.locale, data } as never);
        // What was just filled is based on the source as it is now.
        await saveBases(target, basesFrom(sourceSnapshot, empty));
        onCommit(() => void bus.kick());
      });
      return { filled: empty, mode, provider: machine?.name ?? null };
    },
  };
  return service;
};

export type Translations = ReturnType<typeof createTranslations>;
