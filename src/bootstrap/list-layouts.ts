import type { Core } from '@strapi/strapi';
import { LIST_COLUMNS, listColumnsToStore } from '../lib/list-layout';

interface Configuration {
  layouts: { list: string[] };
}

/** Sets our default list columns in the Content Manager (see src/lib/list-layout.ts). Safe on every start. */
export const applyListLayouts = async (strapi: Core.Strapi) => {
  const store = strapi.store({ type: 'plugin', name: 'wutong', key: 'list-columns' });
  const applied = ((await store.get()) ?? {}) as Record<string, string[]>;
  const service = strapi.plugin('content-manager').service('content-types');
  let changed = false;
  for (const [uid, wanted] of Object.entries(LIST_COLUMNS)) {
    const contentType = strapi.contentType(uid as never);
    if (!contentType) continue;
    const configuration = (await service.findConfiguration(contentType)) as Configuration;
    const columns = listColumnsToStore(configuration.layouts.list, applied[uid], wanted);
    if (columns) {
      await service.updateConfiguration(contentType, {
        ...configuration,
        layouts: { ...configuration.layouts, list: columns },
      });
    }
    if (columns || !applied[uid]) {
      applied[uid] = columns ?? wanted;
      changed = true;
    }
  }
  if (changed) await store.set({ value: applied });
};
