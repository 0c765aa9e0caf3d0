import { permissionLabel, type Permission } from './permission';

/** JSON-RPC error code MCP Warden answers a denied request with (in the implementation-defined server-error range). */
export const PERMISSION_DENIED_CODE = -32003;

/**
 * A request the gate denied. The message names the permission, the rule that denied it and how to grant it,
 * since it reaches whoever made the call: a user, an agent, or a server asking the client.
 */
export class PermissionDeniedError extends Error {
  readonly code = PERMISSION_DENIED_CODE;

  constructor(
    readonly server: string,
    readonly permission: Permission,
    readonly rule: string,
    what: string,
  ) {
    super(
      `MCP Warden denied ${what} of server '${server}' (permission ${permissionLabel(permission)}): ${rule}. ` +
        'To allow it, call it again and choose Allow, or change the grant in the MCP Warden Permissions view.',
    );
    this.name = 'PermissionDeniedError';
  }
}
