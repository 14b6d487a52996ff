/**
 * GraphQL (@strapi/plugin-graphql, configured in config/plugins.ts) held to the public API's rules.
 *
 * Published-only reads are enforced where REST's are, in the Document Service rules
 * (src/bootstrap/document-rules.ts: the plugin marks /graphql requests as content-api). This file
 * adds what is specific to GraphQL; the decisions are in src/lib/graphql.ts.
 */
import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import { mayMutate, type RequestAuth } from '../lib/access';
import { hiddenFromGraphql, readStatus, refusedArgument } from '../lib/graphql';

interface GraphqlContext {
  state?: { auth?: RequestAuth };
  /** root query arguments by alias, kept by the plugin so relations inherit the root's `status` */
  rootQueryArgsByPath?: Map<string | number, Record<string, unknown>>;
}

interface FieldInfo {
  fieldName: string;
  path: { key: string | number; prev?: unknown };
  operation: { operation: string };
}

/**
 * A refusal Apollo answers with HTTP 403: it copies the thrown error's `extensions` (where it reads
 * the status) and the plugin's error formatter maps a ForbiddenError to code FORBIDDEN.
 */
const mutationRefused = () =>
  Object.assign(new errors.ForbiddenError('GraphQL mutations need a signed-in user or an API token that may write'), {
    extensions: { code: 'FORBIDDEN', http: { status: 403 } },
  });

/** A refused query argument: a 400 with Strapi's ValidationError (code BAD_USER_INPUT). */
const argumentRefused = ({ argument, message }: { argument: string; message: string }) =>
  Object.assign(
    new errors.ValidationError(`Invalid parameter ${argument}: ${message}`, {
      code: 'query.invalid-parameter',
      path: argument.split('.'),
    }),
    { extensions: { code: 'BAD_USER_INPUT', http: { status: 400 } } },
  );

/**
 * An Apollo Server plugin: no mutations without credentials, public reads run as `status: PUBLISHED`,
 * and arguments that could reveal drafts are refused (src/lib/graphql.ts refusedArgument).
 */
export const publicGraphqlRules = {
  async requestDidStart() {
    return {
      async didResolveOperation({
        operation,
        contextValue,
      }: {
        operation?: { operation: string };
        contextValue: GraphqlContext;
      }) {
        if (operation?.operation === 'mutation' && !mayMutate(contextValue.state?.auth)) throw mutationRefused();
      },
      async executionDidStart() {
        return {
          willResolveField({
            source,
            args,
            contextValue,
            info,
          }: {
            source: unknown;
            args: Record<string, unknown>;
            contextValue: GraphqlContext;
            info: FieldInfo;
          }) {
            // Every field with arguments, root or relation: the plugin passes them on to the Document Service.
            const refused = refusedArgument(args, contextValue.state?.auth, info.fieldName);
            if (refused) throw argumentRefused(refused);
            if (source || info.operation.operation !== 'query' || args.status === undefined) return;
            // The Document Service rules already serve the root published rows; rewriting the argument
            // too keeps relations right: the plugin applies the root's `status` to them, and a draft
            // filter on a published row's relations would return them empty.
            const status = readStatus(args.status, contextValue.state?.auth);
            if (status === args.status) return;
            args.status = status;
            const stored = contextValue.rootQueryArgsByPath?.get(info.path.key);
            if (stored) stored.status = status;
          },
        };
      },
    };
  },
};

/** Leaves our plugins' internal types out of the schema (called at register, before the plugin builds it). */
export const hideInternalTypes = (strapi: Core.Strapi) => {
  const graphql = strapi.plugin('graphql');
  if (!graphql) return;
  const extension = graphql.service('extension') as { shadowCRUD(uid: string): { disable(): void } };
  for (const uid of hiddenFromGraphql(Object.keys(strapi.contentTypes))) extension.shadowCRUD(uid).disable();
};
