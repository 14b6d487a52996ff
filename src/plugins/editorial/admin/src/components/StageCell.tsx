/**
 * List view cells: the review stage, and for translations their status. Cells ask for their
 * value; requests made in the same tick go as one call per content type and locale.
 */
import { useEffect, useState, type ReactElement } from 'react';
import { getFetchClient } from '@strapi/strapi/admin';
import type { Stage, TranslationStatus } from '../api';
import { StageBadge } from './StageBadge';
import { TranslationBadge } from './TranslationSection';

type Batch<T> = { ids: Set<string>; waiting: Map<string, ((value: T | undefined) => void)[]> };

/** A lookup of many documents' values through one endpoint taking `documentIds[]`. */
const batchedLookup = <T,>(urlOf: (model: string) => string) => {
  const batches = new Map<string, Batch<T>>();
  const flush = async (model: string, locale: string | undefined, batch: Batch<T>) => {
    const ids = [...batch.ids];
    let values: Record<string, T> = {};
    try {
      values = (
        await getFetchClient().get<{ data: Record<string, T> }>(urlOf(model), { params: { locale, documentIds: ids } })
      ).data.data;
    } catch {
      // the cells stay empty
    }
    ids.forEach((id) => batch.waiting.get(id)?.forEach((resolve) => resolve(values[id])));
  };
  return (model: string, locale: string | undefined, documentId: string) =>
    new Promise<T | undefined>((resolve) => {
      const key = `${model}|${locale ?? ''}`;
      let batch = batches.get(key);
      if (!batch) {
        const fresh: Batch<T> = { ids: new Set(), waiting: new Map() };
        batches.set(key, fresh);
        batch = fresh;
        setTimeout(() => {
          batches.delete(key);
          void flush(model, locale, fresh);
        }, 0);
      }
      batch.ids.add(documentId);
      batch.waiting.set(documentId, [...(batch.waiting.get(documentId) ?? []), resolve]);
    });
};

const stageOf = batchedLookup<Stage>((model) => `/editorial/stages/${model}`);
const translationOf = batchedLookup<TranslationStatus>((model) => `/editorial/translations/statuses/${model}`);

const useLookup = <T,>(
  lookup: ReturnType<typeof batchedLookup<T>>,
  model: string,
  documentId: string,
  locale?: string,
) => {
  const [value, setValue] = useState<T>();
  useEffect(() => {
    let live = true;
    void lookup(model, locale, documentId).then((result) => live && setValue(result));
    return () => {
      live = false;
    };
  }, [lookup, model, documentId, locale]);
  return value;
};

interface CellProps {
  model: string;
  documentId: string;
  locale?: string;
}

export const StageCell = ({ model, documentId, locale }: CellProps): ReactElement | null => {
  const stage = useLookup(stageOf, model, documentId, locale);
  return stage ? <StageBadge stage={stage} /> : null;
};

export const TranslationCell = ({ model, documentId, locale }: CellProps): ReactElement | null => {
  const status = useLookup(translationOf, model, documentId, locale);
  return status ? <TranslationBadge status={status} /> : null;
};
