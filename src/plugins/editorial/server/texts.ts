/**
 * The admin's own texts, for what the server writes in a person's language (e-mails, the audit
 * CSV): the editorial plugin's templates (`msg.*`, stages, actions) and the admin's labels (content
 * types, fields). A language is added here, beside its admin translation files.
 */
import templatesEn from '../admin/src/translations/en.json';
import templatesZh from '../admin/src/translations/zh-Hans.json';
import labelsEn from '../../../admin/translations/en.json';
import labelsZh from '../../../admin/translations/zh-Hans.json';

export const TEMPLATES: Record<string, Record<string, string>> = { en: templatesEn, 'zh-Hans': templatesZh };
export const LABELS: Record<string, Record<string, string>> = { en: labelsEn, 'zh-Hans': labelsZh };
export const LANGUAGES = Object.keys(TEMPLATES);
