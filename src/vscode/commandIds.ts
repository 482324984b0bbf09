/** Every command id in one place; package.json must list exactly the public ones (checked by a test). */
export const Commands = {
  addGateway: 'tokaify.addGateway',
  switchGateway: 'tokaify.switchGateway',
  signOut: 'tokaify.signOut',
  refresh: 'tokaify.refresh',
  showLog: 'tokaify.showLog',
  openConsole: 'tokaify.openConsole',
  createToken: 'tokaify.createToken',
  editToken: 'tokaify.editToken',
  enableToken: 'tokaify.enableToken',
  disableToken: 'tokaify.disableToken',
  deleteToken: 'tokaify.deleteToken',
  copyKey: 'tokaify.copyKey',
  copyConnectionString: 'tokaify.copyConnectionString',
  openTokenInConsole: 'tokaify.openTokenInConsole',
  loadMoreTokens: 'tokaify.loadMoreTokens',
  loadAllTokens: 'tokaify.loadAllTokens',
  filterTokens: 'tokaify.filterTokens',
  clearTokenFilter: 'tokaify.clearTokenFilter',
  sortTokens: 'tokaify.sortTokens',
  configureCodex: 'tokaify.configureCodex',
  configureClaudeCode: 'tokaify.configureClaudeCode',
  configureOpenCode: 'tokaify.configureOpenCode',
  configureAgents: 'tokaify.configureAgents',
  restoreAgentConfig: 'tokaify.restoreAgentConfig',
  rotateKey: 'tokaify.rotateKey',
  verify: 'tokaify.verify',
  refreshStatus: 'tokaify.refreshStatus',
  openFileAt: 'tokaify.openFileAt',
  openTerminalEnvSettings: 'tokaify.openTerminalEnvSettings',
  runRealAgent: 'tokaify.runRealAgent',
  showUsage: 'tokaify.showUsage',
  useForWorkspace: 'tokaify.useForWorkspace',
  clearWorkspaceProfile: 'tokaify.clearWorkspaceProfile',
} as const;

export type CommandId = (typeof Commands)[keyof typeof Commands];

/** workspaceState key of the workspace profile (names only); the startup chunk only checks it is there. */
export const WORKSPACE_PROFILE_STATE = 'tokaify.workspaceProfile';

export const ContextKeys = {
  hasAccounts: 'tokaify.hasAccounts',
} as const;
