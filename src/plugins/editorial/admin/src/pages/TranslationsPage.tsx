/** "My language": what is missing or outdated in a translated language, with links to fix it. */
import {
  Box,
  Flex,
  Link,
  SingleSelect,
  SingleSelectOption,
  Table,
  Tbody,
  Td,
  Th,
  Thead,
  Tr,
  Typography,
} from '@strapi/design-system';
import { Layouts, Page, useFetchClient } from '@strapi/strapi/admin';
import { useEffect, useState } from 'react';
import { NavLink } from 'react-router-dom';
import type { TranslationStatus } from '../api';
import { SOURCE_LOCALE, TranslationBadge } from '../components/TranslationSection';
import { useT } from '../components/useT';
import { useTypeName } from '../components/names';
import { forType, useMessages } from '../messages';
import { WRAP } from '../components/table';

interface Item {
  uid: string;
  documentId: string;
  locale: string;
  title: string;
  status: TranslationStatus;
  outdatedFields: string[];
  untranslated: number;
  glossaryFlags: number;
}

const STATUSES: TranslationStatus[] = ['missing', 'outdated', 'draft', 'in_review', 'published'];

export const TranslationsPage = () => {
  const t = useT();
  const typeName = useTypeName();
  const messages = useMessages();
  const { get } = useFetchClient();
  const [locales, setLocales] = useState<{ code: string; name: string }[]>([]);
  const [locale, setLocale] = useState('');
  const [status, setStatus] = useState('');
  const [summary, setSummary] = useState<Record<TranslationStatus, number> | null>(null);
  const [items, setItems] = useState<Item[] | null>(null);

  useEffect(() => {
    get<{ code: string; name: string }[]>('/i18n/locales').then(({ data }) => {
      const translated = data.filter(({ code }) => code !== SOURCE_LOCALE);
      setLocales(translated);
      setLocale((current) => current || translated[0]?.code || '');
    });
  }, [get]);

  useEffect(() => {
    if (!locale) return;
    setItems(null);
    void get<{ data: Record<TranslationStatus, number> }>('/editorial/translations/summary', {
      params: { locale },
    }).then(({ data }) => setSummary(data.data));
    void get<{ data: Item[] }>('/editorial/translations', { params: { locale, ...(status ? { status } : {}) } }).then(
      ({ data }) => setItems(data.data),
    );
  }, [get, locale, status]);

  const open = (item: Item) =>
    `/content-manager/${item.uid.includes('district-profile') ? `single-types/${item.uid}` : `collection-types/${item.uid}/${item.documentId}`}?plugins[i18n][locale]=${item.locale}`;

  return (
    <Page.Main>
      <Page.Title>{t('translations.title', 'Translations')}</Page.Title>
      <Layouts.Header
        title={t('translations.title', 'Translations')}
        subtitle={
          summary
            ? t(
                'translations.summary',
                '{missing} missing, {outdated} outdated, {draft} in draft, {in_review} in review, {published} published',
                summary,
              )
            : ''
        }
        navigationAction={
          <Link tag={NavLink} to="..">
            {t('queue.title', 'Waiting for me')}
          </Link>
        }
      />
      <Layouts.Content>
        <Flex gap={2} paddingBottom={4}>
          <SingleSelect
            size="S"
            aria-label={t('translations.language', 'Language')}
            value={locale}
            onChange={(value: string | number) => setLocale(String(value))}
          >
            {locales.map(({ code, name }) => (
              <SingleSelectOption key={code} value={code}>
                {name}
              </SingleSelectOption>
            ))}
          </SingleSelect>
          <SingleSelect
            size="S"
            aria-label={t('translations.status', 'Status')}
            placeholder={t('translations.allStatuses', 'All statuses')}
            value={status}
            onChange={(value: string | number) => setStatus(String(value))}
            onClear={() => setStatus('')}
            clearLabel={t('filter.clear', 'Clear')}
          >
            {STATUSES.map((value) => (
              <SingleSelectOption key={value} value={value}>
                {t(`translation.${value}`, value)}
              </SingleSelectOption>
            ))}
          </SingleSelect>
        </Flex>
        {!items ? (
          <Page.Loading />
        ) : items.length === 0 ? (
          <Box padding={8} background="neutral0" hasRadius>
            <Typography>{t('translations.none', 'Nothing here.')}</Typography>
          </Box>
        ) : (
          <Table colCount={4} rowCount={items.length + 1} data-testid="editorial-translations">
            <Thead>
              <Tr>
                <Th>{t('queue.document', 'Document')}</Th>
                <Th>{t('queue.type', 'Type')}</Th>
                <Th>{t('translations.status', 'Status')}</Th>
                <Th>{t('translations.todo', 'To do')}</Th>
              </Tr>
            </Thead>
            <Tbody>
              {items.map((item) => (
                <Tr key={`${item.uid}-${item.documentId}`}>
                  <Td style={WRAP}>
                    <Link tag={NavLink} to={open(item)}>
                      {item.title}
                    </Link>
                  </Td>
                  <Td>
                    <Typography>{typeName(item.uid)}</Typography>
                  </Td>
                  <Td>
                    <TranslationBadge status={item.status} />
                  </Td>
                  <Td style={WRAP}>
                    <Typography variant="pi">
                      {[
                        item.outdatedFields.length
                          ? t('translations.changed', 'source changed: {fields}', {
                              fields: item.outdatedFields
                                .map((field) => forType(messages, item.uid).label?.(field) ?? field)
                                .join(', '),
                            })
                          : '',
                        item.untranslated
                          ? t('translations.empty', '{count} field(s) to translate', { count: item.untranslated })
                          : '',
                        item.glossaryFlags
                          ? t('translations.glossaryCount', '{count} glossary warning(s)', {
                              count: item.glossaryFlags,
                            })
                          : '',
                      ]
                        .filter(Boolean)
                        .join(' · ')}
                    </Typography>
                  </Td>
                </Tr>
              ))}
            </Tbody>
          </Table>
        )}
      </Layouts.Content>
    </Page.Main>
  );
};
