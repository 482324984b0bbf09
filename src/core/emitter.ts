/** A minimal event source for the vscode-free core, shaped like vscode.Event so glue can pass it through. */
export type Listener<T> = (value: T) => void;
export interface Disposable { dispose(): void }
export type Event<T> = (listener: Listener<T>) => Disposable;

export class Emitter<T> {
  private readonly listeners = new Set<Listener<T>>();
  readonly event: Event<T> = (listener) => {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  };
  fire(value: T): void {
    for (const listener of [...this.listeners]) listener(value);
  }
}
