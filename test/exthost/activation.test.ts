import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { EXTENSION_ID } from './helpers';

interface ContributedCommand {
  command: string;
}

describe('activation', () => {
  it(`${EXTENSION_ID} is present and activates`, async () => {
    const extension = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(extension, `${EXTENSION_ID} is not loaded in this extension host`);
    await extension.activate();
    assert.equal(extension.isActive, true);
  });

  it('registers exactly the commands package.json contributes', async () => {
    const extension = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(extension);
    await extension.activate();
    const contributed: string[] = (extension.packageJSON.contributes?.commands ?? []).map((c: ContributedCommand) => c.command);
    assert.ok(contributed.length > 0, 'package.json contributes no commands');
    const registered = new Set(await vscode.commands.getCommands(true));
    // `tokaify._*` ids are internal helpers, registered on purpose without a palette entry; VS Code itself
    // registers `<viewId>.focus` and friends for every contributed view.
    const views: string[] = Object.values(extension.packageJSON.contributes?.views ?? {}).flat().map((v) => (v as { id: string }).id);
    const ours = [...registered].filter(
      (id) => id.startsWith('tokaify.') && !id.startsWith('tokaify._') && !views.some((view) => id.startsWith(`${view}.`)),
    );
    assert.deepEqual(contributed.filter((id) => !registered.has(id)), [], 'contributed in package.json but never registered');
    assert.deepEqual(ours.filter((id) => !contributed.includes(id)), [], 'registered but missing from package.json contributes.commands');
  });
});
