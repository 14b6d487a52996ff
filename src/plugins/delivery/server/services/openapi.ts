import type { Core } from '@strapi/strapi';
import { generate } from '@strapi/openapi';

export const publicOpenApi = (strapi: Core.Strapi) => {
  const { document } = generate(strapi, { type: 'content-api' });
  return document as unknown as Record<string, unknown>;
};
