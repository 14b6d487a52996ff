/**
 * The slug follows the title as it is typed (in pinyin for Chinese, from the server's generator,
 * src/bootstrap/slugs.ts) on a document that was never published, until the editor changes the
 * slug themselves. Strapi's UID field only generates on a click. Registered as an edit-view side
 * panel that shows nothing: panels render inside the form, so it can read and set its values.
 */
import { useEffect, useRef } from 'react';
import { unstable_useContentManagerContext, useFetchClient, useForm, useQueryParams } from '@strapi/strapi/admin';
import { followsTitle, fromTitle, nextSlug, slugChanged, type SlugFollowState } from '../../../../../lib/slug-follow';

interface PanelProps {
  model: string;
  documentId?: string;
  document?: { status?: string; publishedAt?: string | null } | null;
  meta?: { availableStatus?: { publishedAt?: string | null }[] } | null;
}

interface UidAttribute {
  type: string;
  targetField?: string;
}

/** How long typing pauses before the slug is asked for. */
const PAUSE_MS = 300;

/** A document with a live version: its slug is someone's link. */
const isPublished = ({ document, meta }: PanelProps) =>
  !!document?.publishedAt ||
  (!!document?.status && document.status !== 'draft') ||
  !!meta?.availableStatus?.some(({ publishedAt }) => !!publishedAt);

export const SlugFollow = (props: PanelProps) => {
  const { contentType } = unstable_useContentManagerContext();
  // Not the context's isCreatingEntry: it compares an id that is already undefined on the create page.
  const isCreatingEntry = !props.documentId;
  const [{ query }] = useQueryParams<{ plugins?: { i18n?: { locale?: string } } }>();
  const { post } = useFetchClient();
  const [field, attribute] = (Object.entries(contentType?.attributes ?? {}) as [string, UidAttribute][]).find(
    ([, value]) => value.type === 'uid' && value.targetField,
  ) ?? [undefined, undefined];
  const values = useForm('SlugFollow', (form) => form.values as Record<string, unknown>);
  const onChange = useForm('SlugFollow', (form) => form.onChange);
  const slug = field ? (values[field] as string | undefined) : undefined;
  const title = attribute?.targetField ? values[attribute.targetField] : undefined;
  const published = isPublished(props);

  // A saved draft's slug is "by hand" until shown to have come from its title (checked below).
  const state = useRef<SlugFollowState>({ machine: undefined, byHand: !isCreatingEntry });
  const previous = useRef(slug);
  const asked = useRef(0);
  const lastTitle = useRef(title);

  const generate = async () => {
    const { data } = await post<{ data: string }>(
      `/content-manager/uid/generate${query.plugins?.i18n?.locale ? `?locale=${query.plugins.i18n.locale}` : ''}`,
      { contentTypeUID: props.model, field, data: { id: props.documentId ?? '', ...values } },
    );
    return data.data;
  };

  // Who changed the slug: Strapi's first fill and our follows are the machine, anything else the editor.
  useEffect(() => {
    state.current = slugChanged(state.current, previous.current, slug);
    previous.current = slug;
  }, [slug]);

  // A saved, never-published draft follows if its slug is still the one its title gives.
  useEffect(() => {
    if (isCreatingEntry || published || !field || typeof title !== 'string' || !title) return;
    let current = true;
    generate()
      .then((generated) => {
        if (current && fromTitle(previous.current, generated))
          state.current = { machine: previous.current, byHand: false };
      })
      .catch(() => undefined); // stays as typed: nothing is changed on a doubt
    return () => {
      current = false;
    };
  }, [props.documentId, field]); // once per document opened

  useEffect(() => {
    if (!field || title === lastTitle.current) return;
    lastTitle.current = title;
    if (typeof title !== 'string' || !title.trim() || !followsTitle(published, state.current)) return;
    const ask = ++asked.current;
    const timer = window.setTimeout(() => {
      generate()
        .then((generated) => {
          // Only the answer to the latest title, and only if the editor has not taken the slug meanwhile.
          if (ask !== asked.current || !followsTitle(published, state.current)) return;
          const value = nextSlug(previous.current, generated);
          state.current = { ...state.current, machine: value };
          if (value !== previous.current) onChange(field, value);
        })
        .catch(() => undefined); // the regenerate button still says what went wrong
    }, PAUSE_MS);
    return () => window.clearTimeout(timer);
  }, [title, field, published]);

  return null;
};
