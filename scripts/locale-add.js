#!/usr/bin/env node
/**
 * npm run locale:add -- <code> "<name>": add a content language (e.g. ja "Japanese"). The API
 * serves it at once, the translation status covers it, and a "Translator (<code>)" role is created.
 */
const withStrapi = require('./with-strapi');

const [code, ...nameParts] = process.argv.slice(2);
if (!code) {
  console.error('usage: npm run locale:add -- <code> "<name>"   (e.g. npm run locale:add -- ja "Japanese")');
  process.exit(2);
}

withStrapi(async (strapi) => {
  const i18n = strapi.plugin('i18n');
  const known = i18n.service('iso-locales').getIsoLocales();
  const iso = known.find((locale) => locale.code === code);
  if (!iso) throw new Error(`"${code}" is not a locale code Strapi knows (e.g. ja, ko, ru, de, fr, zh-Hant)`);
  if (await i18n.service('locales').findByCode(code)) throw new Error(`The language ${code} exists already`);
  const name = nameParts.join(' ').trim() || iso.name;
  await i18n.service('locales').create({ code, name });
  console.log(`Added ${name} (${code}). A "Translator 译者 (${code})" role now exists for its translators.`);
});
