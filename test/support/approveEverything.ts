// For tests about something else than permissions: a gate that allows everything, clearly named so that no
// production path can mistake it for a real one. Permission tests use the real gate and broker instead.
import type { SupervisorDeps } from '../../src/core/lifecycle/serverSupervisor';
import type { RequestAuthorizer } from '../../src/core/permissions/permissionBroker';
import type { Hasher } from '../../src/core/permissions/permission';

export const approveEverything: RequestAuthorizer = {
  authorize: async () => ({ verdict: 'allow', rule: 'the test approves everything', risks: [] }),
};

export const approveEveryLaunch: SupervisorDeps['authorizeLaunch'] = async () => undefined;

/** Not a hash: enough for tests where pins only need to differ when definitions differ. */
export const textHasher: Hasher = { sha256: (text) => text };
