/**
 * `global::has-permission`: admin::hasPermissions for our own admin routes, refusing with a
 * reason and a stable code instead of Strapi's bare "Policy Failed" (a policy that returns false
 * is answered with that text, which the admin can neither explain nor translate).
 */
import { errors } from '@strapi/utils';

interface Ability {
  can: (action: string, subject?: unknown) => boolean;
}

export default (ctx: { state: { userAbility?: Ability } }, config: { actions: string[] }) => {
  const ability = ctx.state.userAbility;
  const missing = config.actions.find((action) => !ability?.can(action));
  if (missing)
    throw new errors.PolicyError(`Your role does not allow this (${missing})`, {
      code: 'policy.permission',
      params: { action: missing },
    });
  return true;
};
