/**
 * The Content Manager's own Publish button, only for those who may publish: Strapi shows it
 * disabled, without a reason, to everyone else (authors, translators), next to our panel's
 * Publish that says why. Publishers keep it; the server's workflow rules still apply to it.
 */
import { useRBAC } from '@strapi/strapi/admin';

type Description = unknown;
export interface DocumentAction {
  (props: { model: string }): Description;
  type?: string;
}

export const onlyForPublishers = (Publish: DocumentAction): DocumentAction => {
  const Action: DocumentAction = (props) => {
    // Both hooks run on every render, in the same order (the original action is a hook too).
    const description = Publish(props);
    const {
      allowedActions: { canPublish },
    } = useRBAC([{ action: 'plugin::content-manager.explorer.publish', subject: props.model }]);
    return canPublish ? description : null;
  };
  Action.type = Publish.type;
  return Action;
};
