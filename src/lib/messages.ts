/**
 * Server messages in the editor's language. The server sends a stable code and its params
 * (field names, limits, who and when) beside its English text; the admin renders them here with
 * its own templates (the editorial plugin's translations, `msg.<code>`), field names shown as
 * their labels. History and audit entries are described the same way, from the structured data
 * they store (fields, stages, version numbers), so old entries read in Chinese too.
 *
 * Pure: no Strapi, no React; the admin and the unit tests call it.
 */
import { failedMembers, memberParams, RELEASE_FAILED_CODE } from './release-failure';

export type MessageParams = Record<string, unknown>;

export interface Coded {
  code: string;
  params?: MessageParams;
}

export interface RenderContext {
  /** The template (or word) for a translation key of the editorial plugin, without its prefix. */
  template: (key: string) => string | undefined;
  /** A field's human label in the interface language, when one is known. */
  label?: (field: string) => string | undefined;
  /** The interface language (`zh-Hans`, `en`): how lists and times are written. */
  language: string;
}

const isChinese = (language: string) => language.toLowerCase().startsWith('zh');

/** "a, b and c" / "a、b和c". */
export const joinList = (items: string[], language: string): string => {
  if (items.length <= 1) return items.join('');
  if (isChinese(language)) return `${items.slice(0, -1).join('、')}和${items.at(-1)}`;
  return `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`;
};

const fieldLabel = (field: string, context: RenderContext) => context.label?.(field) ?? field;

/** A param as the editor reads it: fields by label, stages and transitions by name, times local. */
const showParam = (name: string, value: unknown, context: RenderContext): string => {
  if (value === null || value === undefined || value === '') {
    if (name === 'who') return context.template('msg.someone') ?? 'someone';
    return '';
  }
  if (typeof value === 'object' && typeof (value as Coded).code === 'string')
    return renderMessage(value as Coded, context) ?? ''; // a message within a message: a failure's reason
  if (name === 'field') return fieldLabel(String(value), context);
  if (name === 'fields') {
    const fields = ([] as unknown[]).concat(value).map(String);
    return joinList(
      fields.map((field) => fieldLabel(field, context)),
      context.language,
    );
  }
  if (name === 'fieldList') {
    // The first few of a longer list: "a, b, c, d and 2 more", so no "and" of its own.
    const labels = ([] as unknown[]).concat(value).map((field) => fieldLabel(String(field), context));
    return labels.join(isChinese(context.language) ? '、' : ', ');
  }
  if (name === 'from' || name === 'to' || name === 'stage')
    return context.template(`stage.${String(value)}`) ?? String(value);
  if (name === 'transition' || name === 'right')
    return context.template(`${name}.${String(value)}`) ?? String(value).replace('_', ' ');
  if (name === 'siteFields') {
    // A site's fields (Sites page), named as that page names them.
    const fields = ([] as unknown[]).concat(value).map(String);
    return joinList(
      fields.map((field) => context.template(`siteField.${field}`) ?? field),
      context.language,
    );
  }
  if (name === 'tokenKind') return context.template(`tokenKind.${String(value)}`) ?? String(value);
  if (name === 'token') {
    // A site's own token is named after the site (`site: <name>`, src/plugins/delivery/server/services/sites.ts).
    const site = /^site: (.+)$/.exec(String(value));
    const template = site && context.template('tokenName.site');
    return template ? fill(template, { site: site[1] }, context) : String(value);
  }
  if (name === 'members') {
    // The members of a release that refused (release-failure.ts), each by title, language and reason.
    const template = context.template('msg.release.member') ?? '{title} ({locale}): {why}';
    return failedMembers(RELEASE_FAILED_CODE, { members: value })
      .map((member) => fill(template, memberParams(member), context))
      .join(isChinese(context.language) ? '；' : '; ');
  }
  if (name === 'when') {
    const date = new Date(String(value));
    return Number.isNaN(date.getTime()) ? String(value) : date.toLocaleString(context.language);
  }
  if (Array.isArray(value)) return joinList(value.map(String), context.language);
  return String(value);
};

/** Fills `{name}` placeholders; an unknown name is left empty rather than shown as code. */
export const fill = (template: string, params: MessageParams, context: RenderContext): string =>
  template.replace(/\{(\w+)\}/g, (_match, name: string) => showParam(name, params[name], context));

/** A coded message in the interface language, or undefined when no template knows its code. */
export const renderMessage = (coded: Coded, context: RenderContext): string | undefined => {
  const template = context.template(`msg.${coded.code}`);
  return template === undefined ? undefined : fill(template, coded.params ?? {}, context);
};

/**
 * The language to write to someone in, of those we have templates for: their interface language
 * (Strapi's `preferedLanguage`), any Chinese as ours, unset as `fallback` (our editors' source
 * language), anything else as English, the language every table has.
 */
export const languageFor = (
  preferred: string | null | undefined,
  available: readonly string[],
  fallback: string,
): string => {
  if (!preferred) return fallback;
  const exact = available.find((language) => language.toLowerCase() === preferred.toLowerCase());
  if (exact) return exact;
  const chinese = available.find(isChinese);
  if (isChinese(preferred) && chinese) return chinese;
  return available.includes('en') ? 'en' : fallback;
};

/** A render context over per-language tables: templates by key, field labels by content type and field. */
export const tableContext = (
  language: string,
  templates: Record<string, Record<string, string>>,
  label?: (field: string) => string | undefined,
): RenderContext => ({
  language,
  template: (key) => templates[language]?.[key] ?? templates.en?.[key],
  label,
});

/** A translator: the text for `key` with its params, `fallback` (English) where no table has it. */
export type Say = (key: string, fallback: string, params?: Record<string, string | number>) => string;

/**
 * An actor's name as stored, the system's own actors ("system (seed)", "schedule #4", "schedule
 * #4 (set by …)") said in the reader's language; people's names as they are.
 */
export const nameActor = (name: string, say: Say): string => {
  const system = /^system \((.+)\)$/.exec(name);
  if (system) {
    const [, reason] = system;
    const language = /^language (\S+) added$/.exec(reason);
    const said = language
      ? say('actor.reason.language-added', 'language {code} added', { code: language[1] })
      : say(`actor.reason.${reason}`, reason);
    return say('actor.system', 'system ({reason})', { reason: said });
  }
  const schedule = /^schedule #(\d+)(?: \(set by (.+)\))?$/.exec(name);
  if (schedule?.[2])
    return say('actor.schedule-by', 'schedule #{id} (set by {who})', { id: schedule[1], who: schedule[2] });
  if (schedule) return say('actor.schedule', 'schedule #{id}', { id: schedule[1] });
  return name;
};

/** The code and params an error carries in its details (our refusals do), or undefined. */
export const codeOf = (error: unknown): Coded | undefined => {
  const details = (error as { details?: { code?: unknown; params?: unknown } } | null)?.details;
  if (typeof details?.code !== 'string') return undefined;
  const params = details.params && typeof details.params === 'object' ? (details.params as MessageParams) : {};
  return { code: details.code, params };
};

interface ErrorBody {
  status?: number;
  message?: string;
  details?: {
    code?: string;
    params?: MessageParams;
    errors?: { message?: string; code?: string; params?: MessageParams; path?: string[] }[];
  };
}

/**
 * An error in Strapi's format, its messages rendered from their codes (the whole error's and each
 * validation issue's): what the Content Manager shows in its toast and under each field. Returns
 * the same object when nothing is known, so API clients' English stays.
 */
export const translateError = <T extends ErrorBody>(error: T, context: RenderContext): T => {
  // Strapi's own permission checks (the Content Manager's ForbiddenError, "Forbidden"; admin
  // policies' "Policy Failed") refuse with a bare 403: said as what it is, the role's limit.
  const code = error.details?.code ?? (error.status === 403 ? 'policy.permission' : undefined);
  if (!code) return error;
  const details = { ...error.details, code };
  const errors = details.errors?.map((issue) =>
    issue.code ? { ...issue, message: renderMessage(issue as Coded, context) ?? issue.message } : issue,
  );
  const message = renderMessage(details as Coded, context) ?? error.message;
  return { ...error, message, details: { ...details, ...(errors ? { errors } : {}) } };
};

/** How many field names a summary names before "and N more". */
const SUMMARY_FIELDS = 4;

const changed = (fields: string[]): Coded =>
  fields.length > SUMMARY_FIELDS
    ? {
        code: 'summary.changed-more',
        params: { fieldList: fields.slice(0, SUMMARY_FIELDS), more: fields.length - SUMMARY_FIELDS },
      }
    : { code: 'summary.changed', params: { fields } };

/**
 * A history version's one-line summary, from what it stores. `summary` is the English line kept
 * for API clients and entries older than the codes ("created <title>", "a, b changed").
 */
export const describeVersion = (row: { summary: string | null; fields: string[] | null }): Coded | undefined => {
  const summary = row.summary ?? '';
  if (summary === 'created' || summary.startsWith('created '))
    return { code: 'summary.created', params: { title: summary.slice('created '.length) } };
  if (row.fields?.length) return changed(row.fields);
  return undefined;
};

export interface AuditEntryLike {
  action: string;
  summary: string | null;
  details?: Record<string, unknown> | null;
}

/** A failure's reason as stored: its code and params when it has one, else the text kept before codes. */
const reasonOf = (details: Record<string, unknown>, text: unknown) =>
  typeof details.reasonCode === 'string' ? { code: details.reasonCode, params: details.reasonParams ?? {} } : text;

const titleIn = (summary: string, verb: string) =>
  summary.startsWith(`${verb} `) ? summary.slice(verb.length + 1) : '';

/** An audit entry's summary from its action and details; undefined where only its text exists. */
export const describeAudit = (entry: AuditEntryLike): Coded | undefined => {
  const details = entry.details ?? {};
  const summary = entry.summary ?? '';
  switch (entry.action) {
    case 'create':
      return { code: 'summary.created', params: { title: titleIn(summary, 'created') } };
    case 'update':
    case 'translation-current':
      return Array.isArray(details.fields) && details.fields.length
        ? entry.action === 'update'
          ? changed(details.fields as string[])
          : { code: 'summary.translation-current', params: { fields: details.fields } }
        : undefined;
    case 'delete':
      return { code: 'summary.deleted', params: { title: titleIn(summary, 'deleted') } };
    case 'publish':
    case 'unpublish':
      return { code: `summary.${entry.action}ed`, params: { title: titleIn(summary, `${entry.action}ed`) } };
    case 'discard-draft':
      return { code: 'summary.draft-discarded', params: {} };
    case 'restore':
      return typeof details.number === 'number'
        ? { code: 'summary.restored', params: { number: details.number } }
        : undefined;
    case 'stage-change':
      return typeof details.to === 'string'
        ? {
            code: details.reason ? 'summary.stage-reason' : 'summary.stage',
            params: { transition: details.transition, from: details.from, to: details.to, reason: details.reason },
          }
        : undefined;
    case 'comment':
      return { code: 'summary.comment', params: { text: summary } };
    case 'schedule':
      return typeof details.runAt === 'string'
        ? { code: 'summary.scheduled', params: { transition: details.action, when: details.runAt } }
        : undefined;
    case 'schedule-failed':
      return typeof details.action === 'string'
        ? {
            code: 'summary.schedule-failed',
            params: {
              transition: details.action,
              reason: reasonOf(details, details.reason),
            },
          }
        : undefined;
    case 'unschedule':
      return typeof details.action === 'string'
        ? { code: 'summary.unscheduled', params: { transition: details.action } }
        : undefined;
    default:
      return describeOther(entry.action, summary, details);
  }
};

const VERB_OF: Record<string, string> = {
  create: 'created',
  update: 'updated',
  delete: 'deleted',
  clone: 'cloned',
  regenerate: 'regenerated',
  revoke: 'revoked',
};

/** The English verbs the summaries of admin events end with, back to their action. */
const ACTION_OF: Record<string, string> = Object.fromEntries(Object.entries(VERB_OF).map(([key, verb]) => [verb, key]));

/**
 * Summaries of changes made in Settings and on the Sites page (sites, tokens, roles, users,
 * permissions, languages), of media, releases and assignments: from their details, or from the
 * English text they were stored with (src/plugins/editorial/server/services/access-changes.ts,
 * src/plugins/editorial/server/index.ts, src/bootstrap/uploads.ts, services/schedules.ts).
 */
const describeOther = (action: string, summary: string, details: Record<string, unknown>): Coded | undefined => {
  let match: RegExpExecArray | null;
  switch (action) {
    case 'site-change': {
      match = /^site "(.*)" (\w+)$/.exec(summary);
      const verb = typeof details.action === 'string' ? details.action : ACTION_OF[match?.[2] ?? ''];
      const site = typeof details.site === 'string' ? details.site : (match?.[1] ?? '');
      if (!verb || !VERB_OF[verb]) return undefined;
      const fields = Array.isArray(details.fields) ? (details.fields as string[]) : [];
      return verb === 'update' && fields.length
        ? { code: 'summary.site-updated-fields', params: { site, siteFields: fields } }
        : { code: `summary.site-${VERB_OF[verb]}`, params: { site } };
    }
    case 'token-change': {
      match = /^(API token|admin token) "(.*)" (\w+)$/.exec(summary);
      const verb = typeof details.action === 'string' ? details.action : ACTION_OF[match?.[3] ?? ''];
      const kind = (typeof details.kind === 'string' ? details.kind : match?.[1]) === 'admin token' ? 'admin' : 'api';
      const token = typeof details.token === 'string' ? details.token : (match?.[2] ?? '');
      return verb && VERB_OF[verb]
        ? { code: `summary.token-${VERB_OF[verb]}`, params: { tokenKind: kind, token } }
        : undefined;
    }
    case 'role-change':
      return (match = /^role "(.*)" (\w+)$/.exec(summary)) && ACTION_OF[match[2]]
        ? { code: `summary.role-${match[2]}`, params: { role: match[1] } }
        : undefined;
    case 'user-change':
      return (match = /^admin user (\S*) (\w+)(?: \(roles: (.*)\))?$/.exec(summary)) && ACTION_OF[match[2]]
        ? { code: `summary.user-${match[2]}`, params: { user: match[1], roles: match[3] ?? '' } }
        : undefined;
    case 'permission-change':
      if (details.scope === 'content-api') return { code: 'summary.public-permissions', params: {} };
      return (match = /^(\d+) permission\(s\) (\w+)/.exec(summary)) && ACTION_OF[match[2]]
        ? { code: `summary.permissions-${match[2]}`, params: { count: Number(match[1]) } }
        : undefined;
    case 'locale-add':
    case 'locale-remove':
      return typeof details.locale === 'string'
        ? { code: `summary.${action}`, params: { locale: details.locale } }
        : undefined;
    case 'media-replace':
    case 'media-delete':
    case 'media-info-change':
      match = /^media (.*) (?:replaced|deleted|details changed), shown by (\d+)/.exec(summary);
      return match
        ? {
            code: `summary.${action}`,
            params: { file: match[1], count: Array.isArray(details.usedBy) ? details.usedBy.length : Number(match[2]) },
          }
        : undefined;
    case 'assign':
      if (summary === 'unassigned') return { code: 'summary.unassigned', params: {} };
      match = /^assigned to (.+?)(?:, due (\S+))?$/.exec(summary);
      return match
        ? { code: match[2] ? 'summary.assigned-due' : 'summary.assigned', params: { who: match[1], due: match[2] } }
        : undefined;
    case 'release-publish':
      return typeof details.releaseId === 'number'
        ? { code: 'summary.release-published', params: { id: details.releaseId, count: details.entries ?? 0 } }
        : undefined;
    case 'release-fail':
      return typeof details.releaseId === 'number'
        ? {
            code: 'summary.release-failed',
            params: {
              id: details.releaseId,
              reason: reasonOf(details, details.reason ?? ''),
            },
          }
        : undefined;
    case 'release-change': {
      const id = details.releaseId;
      if ((match = /^release #\d+ "(.*)" created$/.exec(summary)))
        return { code: 'summary.release-created', params: { id, name: match[1] } };
      if ((match = /^added to release #\d+ \((\w+)\)$/.exec(summary)))
        return { code: 'summary.release-added', params: { id, transition: details.action ?? match[1] } };
      if (/^removed from release #\d+$/.test(summary)) return { code: 'summary.release-removed', params: { id } };
      if (/^release #\d+ scheduled for /.test(summary) && typeof details.runAt === 'string')
        return { code: 'summary.release-scheduled', params: { id, when: details.runAt } };
      if (/^release #\d+ deleted$/.test(summary)) return { code: 'summary.release-deleted', params: { id } };
      return undefined;
    }
    default:
      return undefined;
  }
};

/** Rendered, or the stored English text when the entry predates its code or no template exists. */
export const describe = (coded: Coded | undefined, fallback: string | null, context: RenderContext): string =>
  (coded && renderMessage(coded, context)) || fallback || '';
