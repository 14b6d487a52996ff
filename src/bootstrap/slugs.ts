/**
 * Slugs in pinyin, generated where Strapi generates them and on the server when a client sends
 * none. The uniqueness suffix (-1, -2…) stays Strapi's own (the Content Manager's uid service,
 * findUniqueUID); the database's unique indexes (unique-indexes.ts) settle races.
 */
import type { Core, UID } from '@strapi/strapi';
import { slugify, type Romanize } from '../lib/slug';

interface UidService {
  generateUIDField(args: {
    contentTypeUID: string;
    field: string;
    data: Record<string, unknown>;
    locale?: string;
  }): Promise<string>;
  findUniqueUID(args: { contentTypeUID: string; field: string; value: string; locale?: string }): Promise<string>;
}

interface UidAttribute {
  type: string;
  targetField?: string;
}

let romanizer: Romanize | undefined;
/** pinyin-pro, loaded on the first Chinese title: toneless syllables, ü as v (绿 → lv), other text kept in runs. */
const romanize: Romanize = (text) => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { pinyin } = require('pinyin-pro') as {
    pinyin: (text: string, options: { toneType: 'none'; type: 'array'; v: boolean; nonZh: 'consecutive' }) => string[];
  };
  romanizer ??= (value) => pinyin(value, { toneType: 'none', type: 'array', v: true, nonZh: 'consecutive' });
  return romanizer(text);
};

export const slugFrom = (text: string) => slugify(text, romanize);

const uidFields = (strapi: Core.Strapi, uid: string) =>
  Object.entries((strapi.getModel(uid as UID.Schema)?.attributes ?? {}) as Record<string, UidAttribute>).filter(
    ([, attribute]) => attribute.type === 'uid' && attribute.targetField,
  ) as [string, UidAttribute & { targetField: string }][];

export const registerSlugs = (strapi: Core.Strapi) => {
  // Writes without a slug get one from their title, as the admin's form would have.
  strapi.documents.use((async (
    ctx: { uid: string; action: string; params: { data?: Record<string, unknown>; locale?: string } },
    next: () => Promise<unknown>,
  ) => {
    const { data } = ctx.params;
    if (ctx.action === 'create' && ctx.uid.startsWith('api::') && data) {
      const service = strapi.plugin('content-manager').service('uid') as unknown as UidService;
      for (const [field] of uidFields(strapi, ctx.uid)) {
        if (data[field] === undefined || data[field] === null || data[field] === '')
          data[field] = await service.generateUIDField({
            contentTypeUID: ctx.uid,
            field,
            data,
            locale: ctx.params.locale,
          });
      }
    }
    return next();
  }) as never);
};

/** The Content Manager's "generate" (the UID field's button and its automatic fill) in pinyin. */
export const bootstrapSlugs = (strapi: Core.Strapi) => {
  const service = strapi.plugin('content-manager').service('uid') as unknown as UidService;
  const strapiGenerate = service.generateUIDField.bind(service);
  service.generateUIDField = async (args) => {
    const attribute = uidFields(strapi, args.contentTypeUID).find(([field]) => field === args.field)?.[1];
    const target = attribute && args.data?.[attribute.targetField];
    const value = typeof target === 'string' ? slugFrom(target) : '';
    if (!value) return strapiGenerate(args);
    return service.findUniqueUID({
      contentTypeUID: args.contentTypeUID,
      field: args.field,
      value,
      locale: args.locale,
    });
  };
};
