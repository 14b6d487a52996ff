/**
 * Plants the suite's documents (as the system) and removes them: see generate.ts for the design.
 */
import fs from 'fs';
import os from 'os';
import path from 'path';
import type { Core } from '@strapi/strapi';
import { FILES } from '../helpers/files';
import { asSystem, createDocument, deleteDocuments } from '../helpers/strapi';
import {
  documentData,
  kindOf,
  managedTypes,
  owningRelations,
  Values,
  type Instance,
  type ModelDef,
  type Schema,
} from './generate';

export const LOCALES = ['zh-Hans', 'en'] as const;
export type Locale = (typeof LOCALES)[number];

export interface Planted {
  uid: string;
  single: boolean;
  A: string;
  D?: string;
  B?: string;
  /** the attribute lists are scoped by (a uid attribute, else documentId) */
  scopeAttr: string;
  /** per locale: A's and D's published values of scopeAttr, and B's draft value */
  scope: Record<Locale, string[]>;
  /** single types: locales that had a published version before the suite edited the draft */
  restore?: Locale[];
}

export interface World {
  schema: Schema;
  values: Values;
  types: Record<string, Planted>;
}

const uploads = (app: Core.Strapi) => app.plugin('upload').service('upload');

/** One image for the components whose media field is required (shared.image). */
const uploadImage = async (app: Core.Strapi, tag: string): Promise<number> => {
  const file = path.join(os.tmpdir(), `security-${tag}.png`);
  fs.writeFileSync(file, FILES.png);
  try {
    const [stored] = await uploads(app).upload({
      data: {},
      files: { filepath: file, originalFilename: `security-${tag}.png`, mimetype: 'image/png', size: FILES.png.length },
    });
    return stored.id;
  } finally {
    fs.rmSync(file, { force: true });
  }
};

const documents = (app: Core.Strapi, uid: string) =>
  app.documents(uid as never) as unknown as {
    update(params: unknown): Promise<unknown>;
    publish(params: unknown): Promise<unknown>;
    discardDraft(params: unknown): Promise<unknown>;
    delete(params: unknown): Promise<unknown>;
    findFirst(params: unknown): Promise<{ documentId: string } | null>;
  };

export const schemaOf = (app: Core.Strapi): Schema => ({
  contentTypes: app.contentTypes as unknown as Record<string, ModelDef>,
  components: app.components as unknown as Record<string, ModelDef>,
});

/** Values already in numeric columns (any version), which numeric markers avoid. */
const takenValues = async (app: Core.Strapi, schema: Schema) => {
  const taken = new Map<string, Set<string>>();
  const models = [...managedTypes(schema).map((uid) => schema.contentTypes[uid]), ...Object.values(schema.components)];
  for (const model of models) {
    for (const [attr, def] of Object.entries(model.attributes)) {
      if (kindOf(def) !== 'number') continue;
      const rows = (await app.db.query(model.uid as never).findMany({ select: [attr] } as never)) as Record<
        string,
        unknown
      >[];
      taken.set(`${model.uid}.${attr}`, new Set(rows.map((row) => String(row[attr]))));
    }
  }
  return (owner: string, attr: string) => taken.get(`${owner}.${attr}`) ?? new Set<string>();
};

const EN: Record<'A' | 'B' | 'D', Instance> = { A: 'Aen', B: 'Ben', D: 'Den' };

export const plant = async (app: Core.Strapi, tag: string): Promise<World> => {
  const schema = schemaOf(app);
  const values = new Values(tag, await takenValues(app, schema), await uploadImage(app, tag));
  const types: Record<string, Planted> = {};
  const uids = managedTypes(schema);
  const data = (uid: string, instance: Instance, published: boolean) =>
    documentData(schema, values, uid, instance, published);

  // 1. The twins, published in both locales without relations; B, a draft in both locales.
  for (const uid of uids) {
    const model = schema.contentTypes[uid];
    const scopeAttr = Object.entries(model.attributes).find(([, def]) => def.type === 'uid')?.[0] ?? 'documentId';
    if (model.kind === 'singleType') {
      const existing = await documents(app, uid).findFirst({ locale: 'zh-Hans', status: 'published' });
      const A = existing?.documentId ?? (await createDocument(app, uid, 'zh-Hans', data(uid, 'A', true)));
      const restore: Locale[] = [];
      for (const locale of LOCALES)
        if (await documents(app, uid).findFirst({ locale, status: 'published' })) restore.push(locale);
      types[uid] = { uid, single: true, A, scopeAttr, scope: { 'zh-Hans': [], en: [] }, restore };
      continue;
    }
    const ids: Record<string, string> = {};
    for (const twin of ['A', 'D'] as const) {
      ids[twin] = await createDocument(app, uid, 'zh-Hans', data(uid, twin, true));
      await asSystem(async () => {
        await documents(app, uid).update({ documentId: ids[twin], locale: 'en', data: data(uid, EN[twin], true) });
        await documents(app, uid).publish({ documentId: ids[twin], locale: 'en' });
      });
    }
    const draft = (instance: Instance) => {
      const value = data(uid, instance, false);
      for (const { name } of owningRelations(schema, uid)) delete value[name];
      return value;
    };
    ids.B = await createDocument(app, uid, 'zh-Hans', draft('B'), 'draft');
    await asSystem(() => documents(app, uid).update({ documentId: ids.B, locale: 'en', data: draft('Ben') }));
    const scoped = (instance: Instance, published: boolean) =>
      scopeAttr === 'documentId' ? '' : String(data(uid, instance, published)[scopeAttr]);
    types[uid] = {
      uid,
      single: false,
      A: ids.A,
      D: ids.D,
      B: ids.B,
      scopeAttr,
      scope: {
        'zh-Hans':
          scopeAttr === 'documentId'
            ? [ids.A, ids.D, ids.B]
            : [scoped('A', true), scoped('D', true), scoped('B', false)],
        en:
          scopeAttr === 'documentId'
            ? [ids.A, ids.D, ids.B]
            : [scoped('Aen', true), scoped('Den', true), scoped('Ben', false)],
      },
    };
  }

  // 2. The twins' published relations: both to the target type's A, in each locale.
  for (const uid of uids.filter((uid) => !types[uid].single)) {
    const relations = owningRelations(schema, uid).filter(({ target }) => types[target] && !types[target].single);
    if (!relations.length) continue;
    const linked = Object.fromEntries(
      relations.map(({ name, target, toMany }) => [name, toMany ? [types[target].A] : types[target].A]),
    );
    for (const twin of [types[uid].A, types[uid].D!])
      for (const locale of LOCALES)
        await asSystem(async () => {
          await documents(app, uid).update({ documentId: twin, locale, data: linked });
          await documents(app, uid).publish({ documentId: twin, locale });
        });
  }

  // 3. Drafts only: A's markers and draft relations (also to the draft-only B), B's relations.
  for (const uid of uids) {
    const planted = types[uid];
    const relations = owningRelations(schema, uid).filter(({ target }) => types[target] && !types[target].single);
    const draftLinks = Object.fromEntries(
      relations.map(({ name, target, toMany }) => [
        name,
        toMany ? [types[target].A, types[target].B] : types[target].B,
      ]),
    );
    const edits: [string, Locale, Instance][] = [
      [planted.A, 'zh-Hans', 'A'],
      [planted.A, 'en', 'Aen'],
    ];
    if (planted.B) edits.push([planted.B, 'zh-Hans', 'B'], [planted.B, 'en', 'Ben']);
    for (const [documentId, locale, instance] of edits)
      await asSystem(() =>
        documents(app, uid).update({
          documentId,
          locale,
          data: { ...data(uid, instance, false), ...(planted.single ? {} : draftLinks) },
        }),
      );
  }
  return { schema, values, types };
};

export const cleanUp = async (app: Core.Strapi, world: World | undefined) => {
  if (!world) return;
  const collections = Object.values(world.types).filter(({ single }) => !single);
  await deleteDocuments(
    app,
    collections.flatMap(({ uid, A, D, B }) => [
      [uid, B],
      [uid, A],
      [uid, D],
    ]),
  );
  for (const { uid, A, restore } of Object.values(world.types).filter(({ single }) => single))
    for (const locale of LOCALES)
      await asSystem(() =>
        restore!.includes(locale)
          ? documents(app, uid).discardDraft({ documentId: A, locale })
          : documents(app, uid).delete({ documentId: A, locale }),
      );
  const image = world.values.mediaId === undefined ? null : await uploads(app).findOne(world.values.mediaId);
  if (image) await asSystem(() => uploads(app).remove(image));
};
