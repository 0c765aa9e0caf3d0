// The broker's plug-in points, as the UI implements them.
export type { GrantStore, PermissionPrompter, PermissionQuestion } from '../../core/permissions/permissionBroker';
