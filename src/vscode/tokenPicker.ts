/**
 * Token pickers that reach every token, not only the loaded ones: the loaded tokens first, the
 * gateway's own search as the user types (debounced, one search at a time, results cached: new-api
 * allows 10 searches a minute per user), and "Load more…" for the next page, which the tree shows too.
 */
import * as vscode from 'vscode';
import { errorMessage, isGatewayError } from '../core/errors';
import type { TokenList } from '../core/tokenList';
import type { Token } from '../core/tokenModel';
import { labelText } from '../core/untrustedText';
import { count, tokenName, tokenStatusText } from './names';
import { recordPick, trackQuickPick } from './ui';

export interface TokenPickOptions {
  title: string;
  placeholder: string;
  many: boolean;
  /** Only tokens the action applies to (Enable: the disabled ones…). */
  applies?: (token: Token) => boolean;
  /** Our own first item, e.g. "$(add) Create a new token…". */
  extra?: { label: string; description?: string };
  /** Order of the loaded tokens (default: the list's own). */
  order?: (a: Token, b: Token) => number;
}

export type TokenPick = { tokens: Token[] } | { extra: true } | undefined;

type Item = vscode.QuickPickItem & ({ token: Token } | { action: 'more' | 'extra' | 'none' });

const SEARCH_DELAY_MS = 400;

export function pickTokens(list: TokenList, options: TokenPickOptions): Promise<TokenPick> {
  const qp = vscode.window.createQuickPick<Item>();
  qp.title = options.title;
  qp.placeholder = options.placeholder;
  qp.canSelectMany = options.many;
  qp.matchOnDescription = true;
  qp.ignoreFocusOut = true;
  trackQuickPick(qp);

  const applies = options.applies ?? (() => true);
  const searched = new Map<string, Token[]>();
  const chosen = new Map<number, Token>();
  let searchNote: string | undefined;
  let timer: NodeJS.Timeout | undefined;
  let searching: Promise<void> | undefined;

  const tokenItem = (token: Token, alwaysShow = false): Item => ({
    label: labelText(tokenName(token)), description: token.status === 'enabled' ? undefined : tokenStatusText(token.status),
    detail: undefined, token, alwaysShow,
  });

  const render = () => {
    if ((!list.state.loaded && !list.state.error) || filling) {
      qp.busy = true; // the first pages are on their way; render() runs again when they land
      return;
    }
    qp.busy = !!searching;
    const loaded = [...list.state.tokens].filter(applies);
    if (options.order) loaded.sort(options.order);
    const ids = new Set(loaded.map((t) => t.id));
    const found = (searched.get(qp.value.trim()) ?? []).filter((t) => applies(t) && !ids.has(t.id));
    const items: Item[] = [
      ...(options.extra ? [{ label: options.extra.label, description: options.extra.description, action: 'extra' as const, alwaysShow: true }] : []),
      ...loaded.map((t) => tokenItem(t)),
      ...found.map((t) => tokenItem(t, true)),
    ];
    if (searchNote) items.push({ label: searchNote, action: 'none', alwaysShow: true });
    if (list.state.hasMore) {
      const loadedCount = count(list.state.tokens.length);
      const description = list.state.total !== undefined
        ? vscode.l10n.t('{0} of {1} loaded; or type to search the gateway', loadedCount, count(list.state.total))
        : vscode.l10n.t('{0} loaded; or type to search the gateway', loadedCount);
      items.push({ label: `$(ellipsis) ${vscode.l10n.t('Load more…')}`, description, action: 'more', alwaysShow: true });
    }
    if (!loaded.length && !found.length && !list.state.hasMore) items.push({ label: vscode.l10n.t('No token to choose from'), action: 'none', alwaysShow: true });
    const selected = options.many ? items.filter((i) => 'token' in i && chosen.has(i.token.id)) : [];
    qp.items = items;
    if (options.many) qp.selectedItems = selected;
    recordPick(qp.title, qp.placeholder, items);
  };

  const search = (keyword: string) => {
    if (keyword.length < 2 || searched.has(keyword) || searching) return;
    qp.busy = true;
    searching = list.search(keyword).then((tokens) => {
      searched.set(keyword, tokens);
      searchNote = undefined;
    }, (error: unknown) => {
      searchNote = isGatewayError(error, 'rateLimited')
        ? vscode.l10n.t('The gateway limits searches (10 a minute): wait a moment, or use Load more…')
        : vscode.l10n.t('Search failed: {0}', labelText(errorMessage(error), 120));
    }).finally(() => {
      searching = undefined;
      qp.busy = false;
      render();
      // The user typed on while we searched: search for what is there now.
      const now = qp.value.trim();
      if (now !== keyword) search(now);
    });
  };

  /** Enough pages that the action has something to offer (Enable on a list whose first pages are all enabled), up to 5. */
  let filling = true;
  const fillFirstScreen = async () => {
    try {
      await list.ensureLoaded();
      for (let page = 0; page < 5 && list.state.hasMore && !list.state.tokens.some(applies); page++) await list.loadMore();
    } finally {
      filling = false;
    }
  };

  return new Promise<TokenPick>((resolve) => {
    let done = false;
    const finish = (value: TokenPick) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      resolve(value);
      qp.dispose();
    };
    qp.onDidChangeValue((value) => {
      clearTimeout(timer);
      render();
      timer = setTimeout(() => search(value.trim()), SEARCH_DELAY_MS);
    });
    const isMore = (i: Item | undefined) => !!i && 'action' in i && i.action === 'more';
    let loadingMore = false;
    const loadMore = async () => {
      if (loadingMore) return;
      loadingMore = true;
      qp.busy = true;
      try {
        await list.loadMore();
      } finally {
        loadingMore = false;
        render();
      }
    };
    // "Load more…" acts as soon as it is chosen (clicked, or ticked in a multi-select), and the picker stays open.
    qp.onDidChangeSelection((items) => {
      if (items.some(isMore)) void loadMore();
      if (!options.many) return;
      chosen.clear();
      for (const item of items) if ('token' in item) chosen.set(item.token.id, item.token);
    });
    qp.onDidAccept(() => {
      const picked = options.many ? [...qp.selectedItems] : qp.selectedItems.slice(0, 1).concat(qp.selectedItems.length ? [] : qp.activeItems.slice(0, 1));
      if (picked.some(isMore)) {
        void loadMore();
        return;
      }
      if (picked.some((i) => 'action' in i && i.action === 'extra')) return finish({ extra: true });
      const tokens = picked.flatMap((i) => ('token' in i ? [i.token] : []));
      if (tokens.length) finish({ tokens });
    });
    qp.onDidHide(() => finish(undefined));
    render();
    qp.show();
    void fillFirstScreen().then(render);
  });
}
