import assert from 'node:assert/strict';
import type { StateStore } from '../../src/core/accountKeys';
import { WriteThroughState } from '../../src/core/writeThroughState';

/**
 * A memento that behaves like VS Code's globalState under load: each flush is reported back later, and
 * the report replaces the whole value, rolling back writes made in between.
 */
class EchoingMemento implements StateStore {
  value: Record<string, unknown> = {};
  private echoes: Record<string, unknown>[] = [];
  get<T>(key: string): T | undefined {
    return this.value[key] as T | undefined;
  }
  async update(key: string, value: unknown): Promise<void> {
    this.value = { ...this.value, [key]: value };
    this.echoes.push({ ...this.value });
    await Promise.resolve();
  }
  /** The main thread's late report of the first flush. */
  deliverOldestEcho(): void {
    const echo = this.echoes.shift();
    if (echo) this.value = echo;
  }
}

describe('WriteThroughState: globalState that rolls writes back', () => {
  it('the raw memento loses an account written between a flush and its echo', async () => {
    const memento = new EchoingMemento();
    await memento.update('tokaify.accounts', ['a']);
    await memento.update('tokaify.activeAccount', 'a');
    memento.deliverOldestEcho(); // the echo of the first flush: no active account in it
    assert.equal(memento.get('tokaify.activeAccount'), undefined, 'the rollback this guards against');
  });

  it('reads our own copy, so a late echo cannot roll an account back', async () => {
    const memento = new EchoingMemento();
    const state = new WriteThroughState(memento);
    await state.update('tokaify.accounts', ['a']);
    await state.update('tokaify.activeAccount', 'a');
    memento.deliverOldestEcho();
    assert.deepEqual(state.get('tokaify.accounts'), ['a']);
    assert.equal(state.get('tokaify.activeAccount'), 'a');
  });

  it('sends a write again when the store does not hold it after flushing', async () => {
    const memento = new EchoingMemento();
    const state = new WriteThroughState(memento);
    await state.update('x', 1);
    const lose = memento.update.bind(memento);
    let calls = 0;
    memento.update = async (key, value) => {
      calls++;
      await lose(key, value);
      if (calls === 1) memento.value = {}; // rolled back before the first flush settled
    };
    await state.update('y', 2);
    assert.equal(calls, 2);
    assert.equal(memento.get('y'), 2);
  });
});
