/**
 * Sites: the front ends that show our content. A list and a form (languages and content types as
 * checkboxes, path and preview patterns with a live example from a real document, the webhook with
 * a test notice), the webhook secret shown once at registration and at each rotation. Super Admins
 * only, like every change to sites (the server refuses anyone else).
 */
import {
  Alert,
  Badge,
  Box,
  Button,
  Checkbox,
  Dialog,
  Field,
  Flex,
  Grid,
  Table,
  Tbody,
  Td,
  TextInput,
  Th,
  Thead,
  Tr,
  Typography,
} from '@strapi/design-system';
import { ArrowLeft } from '@strapi/icons';
import { Layouts, Page, useFetchClient, useNotification } from '@strapi/strapi/admin';
import { useCallback, useEffect, useState, type ReactNode } from 'react';
import { useIntl } from 'react-intl';
import { translatorFor } from '../../../../editorial/admin/src/components/useT';
import { useTypeName } from '../../../../editorial/admin/src/components/names';

const useT = translatorFor('delivery');
type T = ReturnType<typeof useT>;

export interface SiteView {
  id: number;
  documentId: string;
  name: string;
  title: string | null;
  baseUrl: string;
  locales: string[];
  contentTypes: string[];
  pathPattern: string | null;
  localePaths: Record<string, string> | null;
  previewUrl: string | null;
  webhookUrl: string | null;
  enabled: boolean;
  apiTokenName: string | null;
  hasSecret: boolean;
}

interface Registry {
  results: SiteView[];
  locales: { code: string; name: string; isDefault: boolean }[];
  contentTypes: { uid: string; name: string; segment: string }[];
}

interface Example {
  document: { title: string | null; type: string; locale: string; slug: string | null; documentId: string } | null;
  path: string;
  pageUrl: string | null;
  previewUrl: string | null;
}

type TestResult =
  | { ok: true; status: number; ms: number }
  | { ok: false; status: number | null; code: string; values: Record<string, string>; error: string; ms: number };

interface Form {
  name: string;
  title: string;
  baseUrl: string;
  locales: string[];
  contentTypes: string[];
  pathPattern: string;
  localePaths: Record<string, string>;
  previewUrl: string;
  webhookUrl: string;
  enabled: boolean;
}

interface ApiError {
  message?: string;
  details?: {
    code?: string;
    values?: Record<string, string>;
    errors?: { path?: string[]; message?: string; code?: string; values?: Record<string, string> }[];
  };
}

const DEFAULT_PATH = '/{lang}/{type}/{slug}';

const emptyForm = (registry: Registry): Form => ({
  name: '',
  title: '',
  baseUrl: '',
  locales: registry.locales.map(({ code }) => code),
  contentTypes: [],
  pathPattern: '',
  localePaths: {},
  previewUrl: '',
  webhookUrl: '',
  enabled: true,
});

const formOf = (site: SiteView): Form => ({
  name: site.name,
  title: site.title ?? '',
  baseUrl: site.baseUrl,
  locales: site.locales,
  contentTypes: site.contentTypes,
  pathPattern: site.pathPattern ?? '',
  localePaths: site.localePaths ?? {},
  previewUrl: site.previewUrl ?? '',
  webhookUrl: site.webhookUrl ?? '',
  enabled: site.enabled,
});

/** What the server is sent: the languages' path prefixes only for the chosen languages. */
const bodyOf = (form: Form) => {
  const localePaths = Object.fromEntries(
    Object.entries(form.localePaths).filter(([code, prefix]) => form.locales.includes(code) && prefix.trim()),
  );
  return { ...form, localePaths: Object.keys(localePaths).length ? localePaths : null };
};

const apiError = (error: unknown): ApiError =>
  (error as { response?: { data?: { error?: ApiError } } })?.response?.data?.error ?? {
    message: (error as Error)?.message,
  };

/** A server error in the user's language: its code's translation, else the server's English. */
const explain = (t: T, code: string | undefined, fallback: string, values: Record<string, string | number> = {}) =>
  code ? t(`error.${code}`, fallback, values) : fallback;

/** Field → translated problems, from a ValidationError's details.errors. */
const fieldErrors = (t: T, error: ApiError) => {
  const byField: Record<string, string> = {};
  for (const entry of error.details?.errors ?? []) {
    const field = entry.path?.[0] ?? 'body';
    const text = explain(t, entry.code, entry.message ?? '', entry.values ?? {});
    byField[field] = byField[field] ? `${byField[field]}; ${text}` : text;
  }
  return byField;
};

/** A language's name in the admin's own language (简体中文, English), else the name i18n keeps. */
const useLanguageName = (registry: Registry) => {
  const { locale } = useIntl();
  return (code: string) => {
    try {
      const name = new Intl.DisplayNames([locale], { type: 'language' }).of(code);
      if (name && name !== code) return name;
    } catch {
      // an unusual code: the stored name
    }
    return registry.locales.find((entry) => entry.code === code)?.name ?? code;
  };
};

const toggle = (list: string[], value: string, on: boolean) =>
  on ? [...new Set([...list, value])] : list.filter((item) => item !== value);

export const SitesPage = () => {
  const t = useT();
  const { get } = useFetchClient();
  const [registry, setRegistry] = useState<Registry | null>(null);
  const [problem, setProblem] = useState<'forbidden' | 'failed' | null>(null);
  // null: the list; a site: editing it; 'new': registering one.
  const [editing, setEditing] = useState<SiteView | 'new' | null>(null);
  const [secret, setSecret] = useState<string | null>(null);

  const load = useCallback(
    () =>
      get<Registry>('/delivery/sites/registry')
        .then(({ data }) => {
          setRegistry(data);
          return data;
        })
        .catch((error) => {
          setProblem((error as { response?: { status?: number } })?.response?.status === 403 ? 'forbidden' : 'failed');
          return null;
        }),
    [get],
  );
  useEffect(() => void load(), [load]);

  if (problem === 'failed') return <Page.Error />;
  if (problem === 'forbidden')
    return (
      <Page.Main>
        <Page.Title>{t('sites.title', 'Sites')}</Page.Title>
        <Layouts.Header title={t('sites.title', 'Sites')} />
        <Layouts.Content>
          <Alert variant="warning" closeLabel={t('sites.close', 'Close')} title={t('sites.title', 'Sites')}>
            {t('error.write.access-needs-super-admin', 'Only a Super Admin may change sites and access tokens')}
          </Alert>
        </Layouts.Content>
      </Page.Main>
    );
  if (!registry) return <Page.Loading />;

  const saved = async (site: SiteView, newSecret?: string) => {
    const data = await load();
    setSecret(newSecret ?? null);
    setEditing(data?.results.find(({ documentId }) => documentId === site.documentId) ?? site);
  };

  return (
    <Page.Main>
      <Page.Title>{t('sites.title', 'Sites')}</Page.Title>
      {editing === null ? (
        <SiteList
          t={t}
          registry={registry}
          onAdd={() => {
            setSecret(null);
            setEditing('new');
          }}
          onEdit={(site) => {
            setSecret(null);
            setEditing(site);
          }}
        />
      ) : (
        <SiteForm
          key={editing === 'new' ? 'new' : editing.documentId}
          t={t}
          registry={registry}
          site={editing === 'new' ? null : editing}
          secret={secret}
          onSaved={saved}
          onClose={() => {
            setSecret(null);
            setEditing(null);
            void load();
          }}
        />
      )}
    </Page.Main>
  );
};

const SiteList = ({
  t,
  registry,
  onAdd,
  onEdit,
}: {
  t: T;
  registry: Registry;
  onAdd: () => void;
  onEdit: (site: SiteView) => void;
}) => {
  const localeName = useLanguageName(registry);
  const typeName = useTypeName();
  return (
    <>
      <Layouts.Header
        title={t('sites.title', 'Sites')}
        subtitle={t(
          'sites.subtitle',
          'The websites and apps that show our content: where each document lives on them, where they preview drafts, and where they are told about changes.',
        )}
        primaryAction={
          <Button onClick={onAdd} data-testid="sites-add">
            {t('sites.add', 'Add a site')}
          </Button>
        }
      />
      <Layouts.Content>
        {registry.results.length === 0 ? (
          <Typography textColor="neutral600">{t('sites.none', 'No site is registered yet.')}</Typography>
        ) : (
          <Table colCount={5} rowCount={registry.results.length + 1} data-testid="sites-list">
            <Thead>
              <Tr>
                <Th>{t('site', 'Site')}</Th>
                <Th>{t('sites.languages', 'Languages')}</Th>
                <Th>{t('sites.contentTypes', 'Content types')}</Th>
                <Th>{t('webhook', 'Webhook')}</Th>
                <Th>{t('actions', 'Actions')}</Th>
              </Tr>
            </Thead>
            <Tbody>
              {registry.results.map((site) => (
                <Tr key={site.documentId} data-testid={`site-${site.name}`}>
                  <Td>
                    <Flex direction="column" alignItems="flex-start">
                      <Typography fontWeight="bold">{site.title || site.name}</Typography>
                      <Typography variant="pi" textColor="neutral600">
                        {site.name} · {site.baseUrl}
                      </Typography>
                      {!site.enabled && <Badge>{t('sites.disabled', 'Off')}</Badge>}
                    </Flex>
                  </Td>
                  <Td>
                    <Typography>{site.locales.map(localeName).join(', ')}</Typography>
                  </Td>
                  <Td>
                    <Typography>{site.contentTypes.map(typeName).join(', ')}</Typography>
                  </Td>
                  <Td>
                    <Typography>{site.webhookUrl || '—'}</Typography>
                  </Td>
                  <Td>
                    <Button size="S" variant="secondary" onClick={() => onEdit(site)}>
                      {t('sites.edit', 'Edit')}
                    </Button>
                  </Td>
                </Tr>
              ))}
            </Tbody>
          </Table>
        )}
      </Layouts.Content>
    </>
  );
};

/** A text field with its label, hint and (translated) error. */
const TextField = ({
  name,
  label,
  hint,
  error,
  value,
  onChange,
  placeholder,
  disabled,
  required,
}: {
  name: string;
  label: string;
  hint?: ReactNode;
  error?: string;
  value: string;
  onChange: (value: string) => void;
  placeholder?: string;
  disabled?: boolean;
  required?: boolean;
}) => (
  <Field.Root name={name} hint={hint} error={error} required={required}>
    <Field.Label>{label}</Field.Label>
    <TextInput
      value={value}
      placeholder={placeholder}
      disabled={disabled}
      onChange={(event: { target: { value: string } }) => onChange(event.target.value)}
    />
    <Field.Hint />
    <Field.Error />
  </Field.Root>
);

const Section = ({ title, children }: { title: string; children: ReactNode }) => (
  <Box background="neutral0" hasRadius shadow="tableShadow" padding={6} marginBottom={6}>
    <Typography variant="delta" tag="h2">
      {title}
    </Typography>
    <Box paddingTop={4}>{children}</Box>
  </Box>
);

const SiteForm = ({
  t,
  registry,
  site,
  secret,
  onSaved,
  onClose,
}: {
  t: T;
  registry: Registry;
  site: SiteView | null;
  secret: string | null;
  onSaved: (site: SiteView, secret?: string) => Promise<void>;
  onClose: () => void;
}) => {
  const { post, put, del } = useFetchClient();
  const { toggleNotification } = useNotification();
  const [form, setForm] = useState<Form>(() => (site ? formOf(site) : emptyForm(registry)));
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);
  const [example, setExample] = useState<Example | null>(null);
  const [test, setTest] = useState<TestResult | null>(null);
  const [testing, setTesting] = useState(false);
  const [confirm, setConfirm] = useState<'delete' | 'rotate' | null>(null);
  const languageName = useLanguageName(registry);
  const typeName = useTypeName();
  const set = <K extends keyof Form>(key: K, value: Form[K]) => {
    setForm((current) => ({ ...current, [key]: value }));
    // A field's problem goes once it is edited (the next save checks it again).
    setErrors(({ [key]: _fixed, ...others }) => others);
  };

  // The live example follows the patterns as typed (debounced): the server renders it from a real
  // document with the same code the webhooks and the Preview button use.
  const exampleBody = JSON.stringify(bodyOf({ ...form, name: '', title: '', webhookUrl: '', enabled: true }));
  useEffect(() => {
    const timer = setTimeout(() => {
      post<Example>('/delivery/sites/example', JSON.parse(exampleBody))
        .then(({ data }) => setExample(data))
        .catch(() => setExample(null));
    }, 300);
    return () => clearTimeout(timer);
  }, [post, exampleBody]);

  const failed = (error: unknown) => {
    const body = apiError(error);
    const byField = fieldErrors(t, body);
    setErrors(byField);
    toggleNotification({
      type: 'danger',
      message: Object.keys(byField).length
        ? t('sites.fixErrors', 'The site was not saved: see the fields marked in red.')
        : explain(t, body.details?.code, body.message ?? '', body.details?.values ?? {}),
    });
  };

  const save = async () => {
    setBusy(true);
    setErrors({});
    try {
      const body = bodyOf(form);
      if (site) {
        const { name: _name, ...changes } = body;
        const { data } = await put<{ site: SiteView }>(`/delivery/sites/${site.documentId}`, changes);
        toggleNotification({ type: 'success', message: t('sites.saved', 'Site saved') });
        await onSaved(data.site);
      } else {
        const { data } = await post<{ site: SiteView; secret: string }>('/delivery/sites', body);
        toggleNotification({ type: 'success', message: t('sites.created', 'Site registered') });
        await onSaved(data.site, data.secret);
      }
    } catch (error) {
      failed(error);
    } finally {
      setBusy(false);
    }
  };

  const rotate = async () => {
    if (!site) return;
    setConfirm(null);
    try {
      const { data } = await post<{ site: SiteView; secret: string }>(`/delivery/sites/${site.documentId}/secret`);
      toggleNotification({ type: 'success', message: t('sites.rotated', 'A new secret was made') });
      await onSaved(data.site, data.secret);
    } catch (error) {
      failed(error);
    }
  };

  const remove = async () => {
    if (!site) return;
    setConfirm(null);
    try {
      await del(`/delivery/sites/${site.documentId}`);
      toggleNotification({ type: 'success', message: t('sites.deleted', 'Site deleted') });
      onClose();
    } catch (error) {
      failed(error);
    }
  };

  const sendTest = async () => {
    if (!site) return;
    setTesting(true);
    setTest(null);
    try {
      const { data } = await post<TestResult>(`/delivery/sites/${site.documentId}/test`);
      setTest(data);
    } catch (error) {
      failed(error);
    } finally {
      setTesting(false);
    }
  };

  // The test notice goes to the saved URL with the saved secret: a changed URL is saved first.
  const webhookChanged = !site || (site.webhookUrl ?? '') !== form.webhookUrl.trim();
  const placeholders = (keys: string[]) =>
    keys.map((key) => (
      <li key={key}>
        <Typography variant="pi">
          <code>{`{${key}}`}</code> — {t(`sites.placeholder.${key}`, key)}
        </Typography>
      </li>
    ));

  return (
    <>
      <Layouts.Header
        title={
          site ? t('sites.editTitle', 'Site: {name}', { name: site.title || site.name }) : t('sites.new', 'New site')
        }
        navigationAction={
          <Flex>
            <Button variant="tertiary" startIcon={<ArrowLeft />} onClick={onClose} data-testid="sites-back">
              {t('sites.back', 'Back to the sites')}
            </Button>
          </Flex>
        }
        primaryAction={
          <Button onClick={save} loading={busy} data-testid="sites-save">
            {site ? t('sites.save', 'Save') : t('sites.register', 'Register the site')}
          </Button>
        }
      />
      <Layouts.Content>
        {secret && (
          <Box marginBottom={6} data-testid="sites-secret">
            <Alert
              variant="success"
              closeLabel={t('sites.close', 'Close')}
              title={t('sites.secretTitle', 'Webhook secret')}
            >
              <Typography>
                {t(
                  'sites.secretOnce',
                  'Copy it now into the site’s configuration: it is shown only this once. The site checks the X-Wutong-Signature of each notice with it.',
                )}
              </Typography>
              <Box paddingTop={2}>
                <Typography fontWeight="bold" data-testid="sites-secret-value" style={{ wordBreak: 'break-all' }}>
                  <code>{secret}</code>
                </Typography>
              </Box>
            </Alert>
          </Box>
        )}

        <Section title={t('sites.about', 'The site')}>
          <Grid.Root gap={4}>
            <Grid.Item col={6} s={12} direction="column" alignItems="stretch">
              <TextField
                name="name"
                label={t('sites.name', 'Code name')}
                hint={t(
                  'sites.nameHint',
                  'Lower-case letters, digits and "-"; fixed once registered (its API token is named after it).',
                )}
                error={errors.name}
                value={form.name}
                disabled={!!site}
                required
                placeholder="investor-site"
                onChange={(value) => set('name', value)}
              />
            </Grid.Item>
            <Grid.Item col={6} s={12} direction="column" alignItems="stretch">
              <TextField
                name="title"
                label={t('sites.displayName', 'Display name')}
                error={errors.title}
                value={form.title}
                placeholder={t('sites.displayNamePlaceholder', 'English investor site')}
                onChange={(value) => set('title', value)}
              />
            </Grid.Item>
            <Grid.Item col={12} direction="column" alignItems="stretch">
              <TextField
                name="baseUrl"
                label={t('sites.baseUrl', 'Address of the site')}
                hint={t('sites.baseUrlHint', 'Where the site is published, e.g. https://invest.example.gov.cn')}
                error={errors.baseUrl}
                value={form.baseUrl}
                required
                placeholder="https://invest.example.gov.cn"
                onChange={(value) => set('baseUrl', value)}
              />
            </Grid.Item>
            <Grid.Item col={12} direction="column" alignItems="stretch">
              <Checkbox
                checked={form.enabled}
                onCheckedChange={(checked: boolean | 'indeterminate') => set('enabled', checked === true)}
              >
                {t('sites.enabled', 'On: the site gets change notices and previews')}
              </Checkbox>
            </Grid.Item>
          </Grid.Root>
        </Section>

        <Section title={t('sites.shows', 'What the site shows')}>
          <Field.Root name="locales" error={errors.locales} required>
            <Field.Label>{t('sites.languages', 'Languages')}</Field.Label>
            <Flex gap={6} wrap="wrap" paddingTop={1} paddingBottom={1} data-testid="sites-locales">
              {registry.locales.map(({ code }) => (
                <Checkbox
                  key={code}
                  checked={form.locales.includes(code)}
                  onCheckedChange={(checked: boolean | 'indeterminate') =>
                    set('locales', toggle(form.locales, code, checked === true))
                  }
                >
                  {languageName(code)} ({code})
                </Checkbox>
              ))}
            </Flex>
            <Field.Error />
          </Field.Root>
          <Box paddingTop={4}>
            <Field.Root name="contentTypes" error={errors.contentTypes} required>
              <Field.Label>{t('sites.contentTypes', 'Content types')}</Field.Label>
              <Flex gap={6} wrap="wrap" paddingTop={1} paddingBottom={1} data-testid="sites-types">
                {registry.contentTypes.map(({ uid, segment }) => (
                  <Checkbox
                    key={uid}
                    checked={form.contentTypes.includes(uid)}
                    onCheckedChange={(checked: boolean | 'indeterminate') =>
                      set('contentTypes', toggle(form.contentTypes, uid, checked === true))
                    }
                  >
                    {typeName(uid)} ({segment})
                  </Checkbox>
                ))}
              </Flex>
              <Field.Error />
            </Field.Root>
          </Box>
        </Section>

        <Section title={t('sites.addresses', 'Where pages and previews are')}>
          <Grid.Root gap={4}>
            <Grid.Item col={12} direction="column" alignItems="stretch">
              <TextField
                name="pathPattern"
                label={t('sites.pathPattern', 'Page path pattern')}
                hint={t('sites.pathPatternHint', 'Empty: {pattern}', { pattern: DEFAULT_PATH })}
                error={errors.pathPattern}
                value={form.pathPattern}
                placeholder={DEFAULT_PATH}
                onChange={(value) => set('pathPattern', value)}
              />
            </Grid.Item>
            {form.locales.map((code) => (
              <Grid.Item key={code} col={3} s={6} direction="column" alignItems="stretch">
                <TextField
                  name={`localePaths.${code}`}
                  label={t('sites.langPrefix', '{lang} for {language}', {
                    lang: '{lang}',
                    language: languageName(code),
                  })}
                  value={form.localePaths[code] ?? ''}
                  placeholder={code}
                  onChange={(value) => set('localePaths', { ...form.localePaths, [code]: value })}
                />
              </Grid.Item>
            ))}
            <Grid.Item col={12} direction="column" alignItems="stretch">
              <TextField
                name="previewUrl"
                label={t('sites.previewUrl', 'Preview URL pattern')}
                hint={t(
                  'sites.previewUrlHint',
                  'Where the Preview button opens a draft; empty: drafts cannot be previewed on this site.',
                )}
                error={errors.previewUrl}
                value={form.previewUrl}
                placeholder="https://invest.example.gov.cn/api/preview?token={token}&path={path}"
                onChange={(value) => set('previewUrl', value)}
              />
            </Grid.Item>
          </Grid.Root>
          <Grid.Root gap={4} paddingTop={4}>
            <Grid.Item col={6} s={12} direction="column" alignItems="stretch">
              <Typography variant="omega" fontWeight="bold">
                {t('sites.placeholders', 'In the path pattern')}
              </Typography>
              <ul data-testid="sites-placeholders">{placeholders(['lang', 'locale', 'type', 'slug', 'documentId'])}</ul>
            </Grid.Item>
            <Grid.Item col={6} s={12} direction="column" alignItems="stretch">
              <Typography variant="omega" fontWeight="bold">
                {t('sites.previewPlaceholders', 'Also in the preview URL pattern')}
              </Typography>
              <ul>{placeholders(['token', 'path', 'collection', 'uid'])}</ul>
            </Grid.Item>
          </Grid.Root>
          <Box background="neutral100" hasRadius padding={4} marginTop={4} data-testid="sites-example">
            <Typography variant="omega" fontWeight="bold">
              {t('sites.example', 'Live example')}
            </Typography>
            {example ? (
              <Flex direction="column" alignItems="flex-start" gap={1} paddingTop={2}>
                <Typography variant="pi" textColor="neutral600">
                  {example.document
                    ? t(
                        'sites.exampleFrom',
                        'From “{title}” ({type}, {locale}, documentId {documentId}, slug {slug})',
                        {
                          title: example.document.title ?? example.document.documentId,
                          type: example.document.type,
                          locale: example.document.locale,
                          documentId: example.document.documentId,
                          slug: example.document.slug ?? '—',
                        },
                      )
                    : t('sites.exampleNone', 'No document of this type in this language yet: made-up values.')}
                </Typography>
                <Typography>
                  {t('sites.examplePage', 'Page')}:{' '}
                  <code data-testid="sites-example-page">{example.pageUrl ?? example.path}</code>
                </Typography>
                <Typography>
                  {t('sites.examplePreview', 'Preview')}:{' '}
                  <code data-testid="sites-example-preview">
                    {example.previewUrl ?? t('sites.exampleNoPreview', 'no preview URL pattern')}
                  </code>
                </Typography>
              </Flex>
            ) : (
              <Typography variant="pi" textColor="neutral600">
                {' '}
                {t('sites.exampleWaiting', 'Choose a language and a content type to see where a page would be.')}
              </Typography>
            )}
          </Box>
        </Section>

        <Section title={t('sites.notices', 'Change notices (webhook)')}>
          <TextField
            name="webhookUrl"
            label={t('sites.webhookUrl', 'Webhook URL')}
            hint={t(
              'sites.webhookUrlHint',
              'The site is sent a signed POST here when a document it shows is published, unpublished or deleted. Addresses on private networks are refused unless allowed by WEBHOOK_ALLOWLIST.',
            )}
            error={errors.webhookUrl}
            value={form.webhookUrl}
            placeholder="https://invest.example.gov.cn/webhooks/wutong"
            onChange={(value) => set('webhookUrl', value)}
          />
          <Flex gap={4} paddingTop={4} alignItems="center" wrap="wrap">
            <Button
              variant="secondary"
              onClick={sendTest}
              loading={testing}
              disabled={webhookChanged || !form.webhookUrl}
              data-testid="sites-test"
            >
              {t('sites.test', 'Send a test notice')}
            </Button>
            {webhookChanged && form.webhookUrl && (
              <Typography variant="pi" textColor="neutral600">
                {t(
                  'sites.testSaveFirst',
                  'Save the site first: the test goes to the saved URL, signed with its secret.',
                )}
              </Typography>
            )}
            {test && (
              <Typography
                data-testid="sites-test-result"
                textColor={test.ok ? 'success600' : 'danger600'}
                fontWeight="bold"
              >
                {test.ok
                  ? t('sites.testOk', 'Delivered: the site answered HTTP {status} in {ms} ms.', {
                      status: test.status,
                      ms: test.ms,
                    })
                  : t('sites.testFailed', 'Not delivered: {reason}', {
                      reason: explain(t, test.code, test.error, {
                        ...test.values,
                        status: test.status ?? '',
                        // A network failure's cause in words (webhooks.ts sends it), not Node's English.
                        detail: test.values.cause
                          ? t(`error.webhook.cause.${test.values.cause}`, test.error)
                          : test.error,
                      }),
                    })}
              </Typography>
            )}
          </Flex>
          {site && (
            <Flex gap={4} paddingTop={6} alignItems="center" wrap="wrap">
              <Typography>
                {site.hasSecret
                  ? t('sites.secretSet', 'A webhook secret is set (it is never shown again).')
                  : t('sites.secretUnset', 'No webhook secret is set.')}
              </Typography>
              <Button variant="tertiary" onClick={() => setConfirm('rotate')} data-testid="sites-rotate">
                {t('sites.rotate', 'Make a new secret')}
              </Button>
            </Flex>
          )}
          {site?.apiTokenName && (
            <Box paddingTop={2}>
              <Typography variant="pi" textColor="neutral600">
                {t('sites.token', 'Its read-only API token: “{name}” (Settings → API Tokens).', {
                  name: site.apiTokenName,
                })}
              </Typography>
            </Box>
          )}
        </Section>

        {site && (
          <Section title={t('sites.danger', 'Delete')}>
            <Flex gap={4} alignItems="center">
              <Typography>
                {t('sites.deleteHint', 'The site gets no more notices or previews, and its API token is revoked.')}
              </Typography>
              <Button variant="danger-light" onClick={() => setConfirm('delete')} data-testid="sites-delete">
                {t('sites.delete', 'Delete the site')}
              </Button>
            </Flex>
          </Section>
        )}
      </Layouts.Content>

      <Dialog.Root open={confirm !== null} onOpenChange={(open: boolean) => !open && setConfirm(null)}>
        <Dialog.Content>
          <Dialog.Header>{t('sites.confirm', 'Are you sure?')}</Dialog.Header>
          <Dialog.Body>
            <Typography>
              {confirm === 'delete'
                ? t('sites.confirmDelete', 'Delete the site “{name}”? This cannot be undone.', {
                    name: site?.title || site?.name || '',
                  })
                : t(
                    'sites.confirmRotate',
                    'Make a new webhook secret for “{name}”? The old one stops working at once: the site must be given the new one.',
                    { name: site?.title || site?.name || '' },
                  )}
            </Typography>
          </Dialog.Body>
          <Dialog.Footer>
            <Dialog.Cancel>
              <Button variant="tertiary">{t('sites.cancel', 'Cancel')}</Button>
            </Dialog.Cancel>
            <Dialog.Action>
              <Button
                variant={confirm === 'delete' ? 'danger' : 'default'}
                onClick={confirm === 'delete' ? remove : rotate}
                data-testid="sites-confirm"
              >
                {confirm === 'delete' ? t('sites.delete', 'Delete the site') : t('sites.rotate', 'Make a new secret')}
              </Button>
            </Dialog.Action>
          </Dialog.Footer>
        </Dialog.Content>
      </Dialog.Root>
    </>
  );
};

export default SitesPage;
