/**
 * The list view's stage column. Cells ask for their stage; requests made in the same tick are
 * sent as one call per content type and locale.
 */
import { useEffect, useState } from 'react';
import { getFetchClient } from '@strapi/strapi/admin';
import type { Stage } from '../api';
import { StageBadge } from './StageBadge';

type Batch = { ids: Set<string>; waiting: Map<string, ((stage: Stage | undefined) => void)[]> };
const batches = new Map<string, Batch>();

const flush = async (model: string, locale: string | undefined, batch: Batch) => {
  const ids = [...batch.ids];
  try {
    const { data } = await getFetchClient().get<{ data: Record<string, Stage> }>(`/editorial/stages/${model}`, {
      params: { locale, documentIds: ids },
    });
    ids.forEach((id) => batch.waiting.get(id)?.forEach((resolve) => resolve(data.data[id])));
  } catch {
    ids.forEach((id) => batch.waiting.get(id)?.forEach((resolve) => resolve(undefined)));
  }
};

const stageOf = (model: string, locale: string | undefined, documentId: string) =>
  new Promise<Stage | undefined>((resolve) => {
    const key = `${model}|${locale ?? ''}`;
    let batch = batches.get(key);
    if (!batch) {
      const fresh: Batch = { ids: new Set(), waiting: new Map() };
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

export const StageCell = ({ model, documentId, locale }: { model: string; documentId: string; locale?: string }) => {
  const [stage, setStage] = useState<Stage>();
  useEffect(() => {
    let live = true;
    void stageOf(model, locale, documentId).then((value) => live && setStage(value));
    return () => {
      live = false;
    };
  }, [model, documentId, locale]);
  return stage ? <StageBadge stage={stage} /> : null;
};
