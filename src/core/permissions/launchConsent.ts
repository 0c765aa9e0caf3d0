import type { VariableContext } from '../config/variables';
import { LaunchError } from '../lifecycle/launchError';
import type { SupervisorDeps } from '../lifecycle/serverSupervisor';
import { describeLaunch } from './launchIdentity';
import type { Hasher } from './permission';
import type { RequestAuthorizer } from './permissionBroker';

/**
 * The supervisor's launch check: a definition runs only when a grant approves its exact launch (pinned to the
 * launch's hash) or the user approves it now. Nothing is resolved before — no `${input:…}` prompt, no env file read.
 */
export function launchConsent(authorizer: RequestAuthorizer, variables: () => VariableContext, hasher: Hasher): SupervisorDeps['authorizeLaunch'] {
  return async (definition, keyPath, context) => {
    const launch = describeLaunch(definition, variables(), hasher);
    const decision = await authorizer.authorize(
      { server: definition.name, session: context.session, permission: { kind: 'launch', target: '' }, pin: launch.pin, method: 'launch' },
      { signal: context.signal, onWaiting: () => context.onWaiting(launch.summary), launch: { summary: launch.summary, notes: launch.notes }, risks: launch.risks },
    );
    if (decision.verdict !== 'allow') {
      throw new LaunchError(`${keyPath}: not started, its launch is not approved (${decision.rule}). Start it again to be asked.`, false);
    }
  };
}
