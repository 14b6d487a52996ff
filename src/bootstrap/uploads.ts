/**
 * The upload rules (src/lib/uploads.ts) on the one path every upload, replace, info update and
 * delete takes: the upload plugin's `upload` service. Its controllers (admin Media Library and
 * Content Manager dialogs, POST /api/upload, upload from URL, GraphQL, MCP) all call it, so a
 * check here cannot be skipped by choosing another route.
 */
import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import { detectFileType } from '../lib/file-type';
import { changedPublicInfo, checkUpload, mayChangeLiveMedia, parseMaxBytes } from '../lib/uploads';
import { runningAs } from '../lib/system-actor';
import { userName } from '../plugins/editorial/server/services/actor';
import type { EventStream, EventType } from '../plugins/events/server/services/stream';

const FILE_UID = 'plugin::upload.file';

interface IncomingFile {
  filepath?: string;
  originalFilename?: string | null;
  name?: string;
  mimetype?: string | null;
  type?: string | null;
  size?: number;
  detectedMimeType?: string;
}

interface StoredFile {
  id: number;
  documentId?: string;
  name?: string;
  hash?: string;
  ext?: string;
  url?: string;
  [field: string]: unknown;
}

interface LiveUse {
  uid: string;
  documentId: string;
  locale: string | null;
}

type JoinTable = {
  name: string;
  joinColumn: { name: string };
  inverseJoinColumn?: { name: string };
  morphColumn?: { idColumn: { name: string }; typeColumn: { name: string } };
  pivotColumns?: string[];
};

export const maxUploadBytes = () => parseMaxBytes(process.env.UPLOAD_MAX_BYTES);

/** Refuses the files unless each one's content is on the allow-list and agrees with its name. */
const vetFiles = async (files: IncomingFile | IncomingFile[] | undefined) => {
  const max = maxUploadBytes();
  for (const file of ([] as IncomingFile[]).concat(files ?? [])) {
    const name = file.originalFilename ?? file.name ?? '';
    const detected = file.filepath ? await detectFileType(file.filepath) : undefined;
    const { refusal, mime } = checkUpload(
      { name, declaredMime: file.mimetype ?? file.type, size: file.size ?? 0, detected },
      max,
    );
    if (refusal) {
      const details = { code: refusal.code, fileName: name, detectedType: detected?.mime ?? null };
      if (refusal.status === 413) throw new errors.PayloadTooLargeError(refusal.message, details);
      throw new errors.ValidationError(refusal.message, details);
    }
    // Stored and served as what the content is, whatever the client declared.
    file.mimetype = mime;
    file.detectedMimeType = mime;
  }
};

/** Who is acting, for the live-media rule and the audit log. */
const currentActor = (strapi: Core.Strapi) => {
  const running = runningAs();
  if (running) return { kind: running.kind, key: running.key, name: running.name, roleCodes: [] as string[] };
  const state = (
    strapi.requestContext.get() as
      | {
          state?: {
            route?: { info?: { type?: string } };
            user?: { id: number; roles?: { code: string }[] };
            auth?: { credentials?: { id?: number; name?: string; type?: string } | null };
          };
        }
      | undefined
  )?.state;
  const type = state?.route?.info?.type;
  if (type === 'admin' && state?.user)
    return {
      kind: 'user',
      key: `user:${state.user.id}`,
      name: userName(state.user),
      roleCodes: (state.user.roles ?? []).map(({ code }) => code),
    };
  const token = state?.auth?.credentials;
  if (type === 'content-api' && token?.type && token.id !== undefined)
    return { kind: 'api-token', key: `api-token:${token.id}`, name: `API token "${token.name}"`, roleCodes: [] };
  return {
    kind: state ? 'anonymous' : 'code',
    key: state ? 'anonymous' : 'code',
    name: 'no admin user',
    roleCodes: [],
  };
};

/** Every (content type, join table) that holds a component type, directly or in a dynamic zone. */
const componentHolders = (strapi: Core.Strapi, component: string) => {
  const holders: { table: string; entity: string; id: string; type: string; parent: string }[] = [];
  for (const [uid, meta] of strapi.db.metadata as unknown as Map<
    string,
    { attributes: Record<string, { joinTable?: JoinTable }> }
  >) {
    const model = strapi.getModel(uid as never) as
      | { attributes: Record<string, { type: string; component?: string; components?: string[] }> }
      | undefined;
    for (const [name, attribute] of Object.entries(model?.attributes ?? {})) {
      const holds =
        (attribute.type === 'component' && attribute.component === component) ||
        (attribute.type === 'dynamiczone' && attribute.components?.includes(component));
      const joinTable = meta.attributes[name]?.joinTable;
      if (!holds || !joinTable) continue;
      holders.push({
        table: joinTable.name,
        entity: joinTable.joinColumn.name,
        id: joinTable.inverseJoinColumn?.name ?? joinTable.morphColumn!.idColumn.name,
        type: joinTable.morphColumn?.typeColumn.name ?? joinTable.pivotColumns![3],
        parent: uid,
      });
    }
  }
  return holders;
};

/**
 * The published documents that show a file: its rows in the media morph table, followed up
 * through components (nested, and in dynamic zones) to the entries that hold them.
 */
export const liveUsesOf = async (strapi: Core.Strapi, fileId: number): Promise<LiveUse[]> => {
  const morph = (strapi.db.metadata.get(FILE_UID).attributes as unknown as Record<string, { joinTable: JoinTable }>)
    .related.joinTable;
  const rows = (await strapi.db
    .connection(morph.name)
    .select({ id: morph.morphColumn!.idColumn.name, type: morph.morphColumn!.typeColumn.name })
    .where(morph.joinColumn.name, fileId)) as { id: number; type: string }[];

  const entries: { uid: string; id: number }[] = [];
  const seen = new Set<string>();
  const visit = async (type: string, id: number): Promise<void> => {
    if (seen.has(`${type}:${id}`)) return;
    seen.add(`${type}:${id}`);
    if (strapi.contentTypes[type as never]) return void entries.push({ uid: type, id });
    if (!strapi.components[type as never]) return;
    for (const holder of componentHolders(strapi, type)) {
      const parents = (await strapi.db
        .connection(holder.table)
        .select({ id: holder.entity })
        .where(holder.id, id)
        .andWhere(holder.type, type)) as { id: number }[];
      for (const parent of parents) await visit(holder.parent, parent.id);
    }
  };
  for (const row of rows) await visit(row.type, row.id);

  const uses: LiveUse[] = [];
  for (const { uid, id } of entries) {
    const model = strapi.contentTypes[uid as never] as { options?: { draftAndPublish?: boolean } };
    // Without draft & publish, whatever is saved is live.
    const where = model.options?.draftAndPublish ? { id, publishedAt: { $notNull: true } } : { id };
    const row = (await strapi.db.query(uid as never).findOne({ where })) as {
      documentId: string;
      locale?: string | null;
    } | null;
    if (row) uses.push({ uid, documentId: row.documentId, locale: row.locale ?? null });
  }
  return uses;
};

const label = (file: StoredFile) => `"${file.name ?? file.hash}" (${file.url ?? `file ${file.id}`})`;

export const registerUploadRules = (strapi: Core.Strapi) => {
  const service = strapi.plugin('upload').service('upload');
  const base = {
    upload: service.upload,
    replace: service.replace,
    updateFileInfo: service.updateFileInfo,
    remove: service.remove,
  };
  const bus = () => strapi.plugin('events').service('stream') as EventStream;

  /**
   * Refuses a change to a file that published content shows unless a Publisher or Super Admin
   * makes it; returns the audit record to write once the change is done (undefined if unused).
   */
  const guardLive = async (file: StoredFile, change: 'replace' | 'delete' | 'info', extra = {}) => {
    const uses = await liveUsesOf(strapi, file.id);
    if (!uses.length) return undefined;
    const actor = currentActor(strapi);
    if (!mayChangeLiveMedia(actor)) {
      const verb = { replace: 'replaced', delete: 'deleted', info: 'edited' }[change];
      throw new errors.PolicyError(
        `This file is shown by ${uses.length} published document(s); only a Publisher or Super Admin may change it, so it cannot be ${verb} here`,
        { code: `upload.live-file-${change}`, fileId: file.id, usedBy: uses },
      );
    }
    const type: EventType =
      change === 'delete' ? 'media.deleted' : change === 'replace' ? 'media.replaced' : 'media.info-changed';
    return () =>
      bus().publish({
        type,
        // A file has no locale.
        target: { uid: FILE_UID, documentId: file.documentId ?? String(file.id), locale: null as never },
        actor: { kind: actor.kind, key: actor.key, name: actor.name },
        payload: {
          summary: `media ${label(file)} ${change === 'info' ? 'details changed' : `${change}d`}, shown by ${uses.length} published document(s)`,
          fileId: file.id,
          usedBy: uses,
          ...extra,
        },
      });
  };

  const findFile = async (id: unknown) =>
    (await strapi.db.query(FILE_UID).findOne({ where: { id: Number(id) } })) as StoredFile | null;

  // "Upload from URL" makes the server fetch any address an editor names; Strapi's own check
  // misses forms such as 0.0.0.0 and follows redirects. Refused (default-deny) until it goes
  // through the webhook SSRF rules; its controller reports this per URL as a file:error event.
  Object.assign(strapi.plugin('upload').service('file'), {
    async fetchUrlToInputFile() {
      throw new errors.ForbiddenError('Uploading from a URL is disabled: download the file and upload it', {
        code: 'upload.from-url-disabled',
      });
    },
  });

  Object.assign(service, {
    async upload(input: { data: unknown; files: IncomingFile | IncomingFile[] }, opts?: unknown) {
      await vetFiles(input.files);
      return base.upload(input, opts);
    },

    async replace(id: unknown, input: { data: unknown; file: IncomingFile }, opts?: unknown) {
      await vetFiles(input.file);
      const file = await findFile(id);
      const record = file && (await guardLive(file, 'replace', { newName: input.file.originalFilename ?? null }));
      const result = await base.replace(id, input, opts);
      await record?.();
      return result;
    },

    async updateFileInfo(id: unknown, info: Record<string, unknown> | undefined, opts?: unknown) {
      const file = await findFile(id);
      const changed = file ? changedPublicInfo(file, info) : [];
      const record = file && changed.length ? await guardLive(file, 'info', { changed }) : undefined;
      const result = await base.updateFileInfo(id, info, opts);
      await record?.();
      return result;
    },

    async remove(file: StoredFile) {
      const record = await guardLive(file, 'delete');
      const result = await base.remove(file);
      await record?.();
      return result;
    },
  });
};
