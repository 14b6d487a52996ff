/** "Waiting for me": everything the current user can act on now, soonest due first. */
import { Box, Flex, Link, Table, Tbody, Td, Th, Thead, Tr, Typography } from '@strapi/design-system';
import { Layouts, Page, useFetchClient } from '@strapi/strapi/admin';
import { useEffect, useState } from 'react';
import { NavLink } from 'react-router-dom';
import type { Stage } from '../api';
import { StageBadge } from '../components/StageBadge';
import { useT } from '../components/useT';
import { useTypeName } from '../components/names';

interface QueueItem {
  uid: string;
  kind: 'collectionType' | 'singleType';
  documentId: string;
  locale: string;
  title: string;
  stage: Stage;
  reason: string | null;
  dueDate: string | null;
  assignee: { firstname?: string; lastname?: string } | null;
  actions: string[];
  mine: boolean;
}

export const QueuePage = () => {
  const t = useT();
  const typeName = useTypeName();
  const { get } = useFetchClient();
  const [items, setItems] = useState<QueueItem[] | null>(null);
  const [failed, setFailed] = useState(false);

  useEffect(() => {
    get<{ data: QueueItem[] }>('/editorial/queue')
      .then(({ data }) => setItems(data.data))
      .catch(() => setFailed(true));
  }, [get]);

  if (failed) return <Page.Error />;
  if (!items) return <Page.Loading />;
  return (
    <Page.Main>
      <Page.Title>{t('queue.title', 'Waiting for me')}</Page.Title>
      <Layouts.Header
        title={t('queue.title', 'Waiting for me')}
        subtitle={t('queue.subtitle', '{count} item(s) to review, publish, fix or handle', { count: items.length })}
        secondaryAction={
          <Flex gap={4}>
            <Link tag={NavLink} to="translations">
              {t('translations.title', 'Translations')}
            </Link>
            <Link tag={NavLink} to="releases">
              {t('releases.title', 'Releases')}
            </Link>
            <Link tag={NavLink} to="audit">
              {t('audit.title', 'Audit log')}
            </Link>
          </Flex>
        }
      />
      <Layouts.Content>
        {items.length === 0 ? (
          <Box padding={8} background="neutral0" hasRadius>
            <Typography>{t('queue.empty', 'Nothing is waiting for you.')}</Typography>
          </Box>
        ) : (
          <Table colCount={6} rowCount={items.length + 1} data-testid="editorial-queue">
            <Thead>
              <Tr>
                <Th>{t('queue.document', 'Document')}</Th>
                <Th>{t('queue.type', 'Type')}</Th>
                <Th>{t('queue.locale', 'Language')}</Th>
                <Th>{t('queue.stage', 'Stage')}</Th>
                <Th>{t('queue.due', 'Due')}</Th>
                <Th>{t('queue.next', 'Next step')}</Th>
              </Tr>
            </Thead>
            <Tbody>
              {items.map((item) => (
                <Tr key={`${item.uid}-${item.documentId}-${item.locale}`}>
                  <Td>
                    <Link
                      tag={NavLink}
                      to={`/content-manager/${item.kind === 'singleType' ? `single-types/${item.uid}` : `collection-types/${item.uid}/${item.documentId}`}?plugins[i18n][locale]=${item.locale}`}
                    >
                      {item.title}
                    </Link>
                    {item.reason && (
                      <Typography variant="pi" textColor="neutral600" tag="p">
                        {item.reason}
                      </Typography>
                    )}
                  </Td>
                  <Td>
                    <Typography>{typeName(item.uid)}</Typography>
                  </Td>
                  <Td>
                    <Typography>{item.locale}</Typography>
                  </Td>
                  <Td>
                    <StageBadge stage={item.stage} />
                  </Td>
                  <Td>
                    <Typography>{item.dueDate ?? '—'}</Typography>
                  </Td>
                  <Td>
                    <Flex gap={1} wrap="wrap">
                      <Typography>
                        {item.actions.map((action) => t(`transition.${action}`, action)).join(' · ') ||
                          (item.mine ? t('queue.assigned', 'Assigned to you') : '')}
                      </Typography>
                    </Flex>
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
