// A stand-in for the `vscode` module, so unit tests can load glue modules (src/vscode) in plain Node
// and read the strings they show. Importing this file installs it: import it before any glue module.
// Not a test file itself (mocha loads only *.test.ts).
//
// `vscode.l10n.t` is @vscode/l10n's `t`, the same function the core translates with, so
// `useLanguage('zh-cn', bundle)` switches the glue's strings as VS Code's own bundle would.
import Module from 'node:module';
import * as l10n from '@vscode/l10n';

export interface ShownMessage {
  kind: 'info' | 'warning' | 'error';
  message: string;
  actions: string[];
}

/** Every notification the glue asked VS Code to show, in order. */
export const shownMessages: ShownMessage[] = [];
/** Every command the glue ran through `vscode.commands.executeCommand`. */
export const executedCommands: { command: string; args: unknown[] }[] = [];

const disposable = { dispose() {} };

class EventEmitter<T> {
  private readonly listeners: ((value: T) => void)[] = [];
  readonly event = (listener: (value: T) => void) => {
    this.listeners.push(listener);
    return disposable;
  };
  fire(value: T): void {
    for (const listener of this.listeners) listener(value);
  }
  dispose(): void {
    this.listeners.length = 0;
  }
}

class TreeItem {
  id?: string;
  description?: string;
  tooltip?: unknown;
  iconPath?: unknown;
  command?: unknown;
  contextValue?: string;
  constructor(readonly label: string, readonly collapsibleState?: number) {}
}

class ThemeIcon {
  constructor(readonly id: string, readonly color?: unknown) {}
}

class ThemeColor {
  constructor(readonly id: string) {}
}

class MarkdownString {
  isTrusted: unknown = false;
  supportHtml = false;
  constructor(readonly value = '', readonly supportThemeIcons = false) {}
}

function message(kind: ShownMessage['kind']) {
  return (text: string, ...rest: unknown[]): Promise<string | undefined> => {
    // showXMessage(message, options?, ...items): the options object is the one non-string argument.
    shownMessages.push({ kind, message: text, actions: rest.filter((r): r is string => typeof r === 'string') });
    return Promise.resolve(undefined);
  };
}

/** The window's focus as the glue reads it (`vscode.window.state`); fire `windowFocus` to change it as VS Code would. */
export const windowState = { focused: true };
export const windowFocus = new EventEmitter<{ focused: boolean }>();

const fake = {
  l10n: { t: l10n.t, bundle: undefined },
  env: { language: 'en' },
  EventEmitter, TreeItem, ThemeIcon, ThemeColor, MarkdownString,
  TreeItemCollapsibleState: { None: 0, Collapsed: 1, Expanded: 2 },
  StatusBarAlignment: { Left: 1, Right: 2 },
  ProgressLocation: { SourceControl: 1, Window: 10, Notification: 15 },
  ViewColumn: { Active: -1 },
  ExtensionMode: { Production: 1, Development: 2, Test: 3 },
  InputBoxValidationSeverity: { Info: 1, Warning: 2, Error: 3 },
  QuickInputButtons: { Back: {} },
  window: {
    state: windowState,
    onDidChangeWindowState: windowFocus.event,
    showInformationMessage: message('info'),
    showWarningMessage: message('warning'),
    showErrorMessage: message('error'),
    withProgress: <T>(_options: unknown, task: (progress: unknown, token: unknown) => Promise<T>) =>
      task({ report() {} }, { isCancellationRequested: false, onCancellationRequested: () => disposable }),
  },
  commands: {
    executeCommand: async (command: string, ...args: unknown[]) => {
      executedCommands.push({ command, args });
      return undefined;
    },
    registerCommand: () => disposable,
  },
  workspace: {
    workspaceFolders: undefined,
    getConfiguration: () => ({ get: () => undefined }),
    onDidChangeConfiguration: () => disposable,
  },
};

type Loader = (request: string, parent: unknown, isMain: boolean) => unknown;
const loader = Module as unknown as { _load: Loader };
const original = loader._load;
loader._load = (request, parent, isMain) => (request === 'vscode' ? fake : original(request, parent, isMain));
