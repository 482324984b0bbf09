/** Every command id in one place; package.json must list exactly the public ones (checked by a test). */
export const Commands = {
  addGateway: 'tokaify.addGateway',
  switchGateway: 'tokaify.switchGateway',
  signOut: 'tokaify.signOut',
  refresh: 'tokaify.refresh',
  showLog: 'tokaify.showLog',
  openConsole: 'tokaify.openConsole',
} as const;

export const ContextKeys = {
  hasAccounts: 'tokaify.hasAccounts',
} as const;
