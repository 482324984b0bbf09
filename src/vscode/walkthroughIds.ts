/**
 * The "Get started with Tokaify" walkthrough (package.json contributes.walkthroughs): the ids the glue
 * (firstRun.ts) and the manifest test share. No vscode import, so plain-Node unit tests can read it.
 */
export const Walkthrough = {
  /** contributes.walkthroughs[].id; the workbench addresses it as `<publisher>.<name>#<id>`. */
  id: 'getStarted',
  /** Opens it again: the welcome view's "Get Started" button and the palette. */
  command: 'tokaify.getStarted',
  /** globalState: true once the walkthrough was offered after install (opened or skipped), so it opens once. */
  offeredKey: 'tokaify.walkthroughOffered',
} as const;
