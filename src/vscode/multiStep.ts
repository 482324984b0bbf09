import * as vscode from 'vscode';
import { recordPick } from './ui';

/** Returned by a step when the user pressed the Back button. */
export const BACK = Symbol('back');
export type StepResult<T> = T | typeof BACK | undefined;

interface Common {
  title: string;
  step: number;
  totalSteps: number;
}

export interface PickOptions<T extends vscode.QuickPickItem> extends Common {
  items: readonly T[];
  placeholder: string;
  selected?: readonly T[];
  active?: T;
}

/**
 * Quick-pick and input-box steps with a Back button, the shape VS Code users know from multi-step
 * flows (see the quickinput sample). Resolves BACK for Back, undefined when dismissed.
 */
export function pickOne<T extends vscode.QuickPickItem>(options: PickOptions<T>): Promise<StepResult<T>> {
  return pick(options, false).then((r) => (Array.isArray(r) ? r[0] : r));
}

export function pickMany<T extends vscode.QuickPickItem>(options: PickOptions<T>): Promise<StepResult<T[]>> {
  return pick(options, true) as Promise<StepResult<T[]>>;
}

function pick<T extends vscode.QuickPickItem>(options: PickOptions<T>, many: boolean): Promise<StepResult<T | T[]>> {
  const qp = vscode.window.createQuickPick<T>();
  Object.assign(qp, { title: options.title, step: options.step, totalSteps: options.totalSteps, placeholder: options.placeholder, ignoreFocusOut: true, canSelectMany: many });
  qp.items = options.items;
  recordPick(options.title, options.placeholder, options.items);
  if (options.selected) qp.selectedItems = options.selected;
  if (options.active) qp.activeItems = [options.active];
  qp.buttons = options.step > 1 ? [vscode.QuickInputButtons.Back] : [];
  return new Promise((resolve) => {
    const done = (value: StepResult<T | T[]>) => {
      resolve(value);
      qp.dispose();
    };
    qp.onDidTriggerButton(() => done(BACK));
    qp.onDidAccept(() => done(many ? [...qp.selectedItems] : qp.selectedItems[0] ?? qp.activeItems[0]));
    qp.onDidHide(() => done(undefined));
    qp.show();
  });
}

export interface InputOptions extends Common {
  prompt: string;
  value?: string;
  placeholder?: string;
  password?: boolean;
  validate?: (value: string) => string | undefined;
}

export function input(options: InputOptions): Promise<StepResult<string>> {
  const box = vscode.window.createInputBox();
  Object.assign(box, { title: options.title, step: options.step, totalSteps: options.totalSteps, prompt: options.prompt,
    value: options.value ?? '', placeholder: options.placeholder, password: options.password ?? false, ignoreFocusOut: true });
  box.buttons = options.step > 1 ? [vscode.QuickInputButtons.Back] : [];
  return new Promise((resolve) => {
    const done = (value: StepResult<string>) => {
      resolve(value);
      box.dispose();
    };
    const check = (value: string) => (box.validationMessage = options.validate?.(value));
    if (box.value) check(box.value); // an empty first step is not an error yet
    box.onDidChangeValue(check);
    box.onDidTriggerButton(() => done(BACK));
    box.onDidAccept(() => {
      if (!options.validate?.(box.value)) done(box.value);
    });
    box.onDidHide(() => done(undefined));
    box.show();
  });
}
