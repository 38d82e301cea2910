// The frame around every view: the header with its navigation, the live indicator, and the messages shown after
// an action.
import { h, clear } from './dom';
import { token } from './api';
import { live } from './live';

export interface View {
  /** The element to show. */
  element: HTMLElement;
  /** Called when the view is left: streams close, timers stop. */
  leave?: () => void;
}

const NAV = [
  { href: '#/deployments', label: 'Deployments', match: /^#\/(deployments)?$|^#\/deployments\// },
  { href: '#/projects', label: 'Projects', match: /^#\/projects/ },
  { href: '#/queue', label: 'Queue', match: /^#\/queue/ },
];

let main: HTMLElement;
let nav: HTMLElement;
let toasts: HTMLElement;

export function renderShell(root: HTMLElement, onSignOut: () => void): HTMLElement {
  const indicator = h('span.live', { title: 'Live updates from GET /events' }, h('span.dot'), 'Connecting');
  live.onStatus((connected) => {
    indicator.classList.toggle('on', connected);
    indicator.lastChild!.textContent = connected ? 'Live' : 'Offline';
  });
  nav = h('nav.nav', { 'aria-label': 'Main' }, ...NAV.map((item) => h('a', { href: item.href }, item.label)));
  const signOut = token.get()
    ? h('button.ghost.small', { type: 'button', onclick: onSignOut, title: 'Forget the token in this tab' }, 'Sign out')
    : null;
  const header = h('header.topbar', {},
    h('a.brand', { href: '#/deployments' }, h('span.logo', {}, '▲'), h('span', {}, 'deploy-pipeline')),
    nav,
    h('div.topbar-end', {}, indicator, signOut));
  main = h('main.main', { id: 'main' });
  toasts = h('div.toasts', { role: 'status', 'aria-live': 'polite' });
  clear(root);
  root.append(header, main, toasts);
  return main;
}

export function markNav(hash: string): void {
  nav.querySelectorAll('a').forEach((link, index) => {
    link.classList.toggle('active', NAV[index].match.test(hash || '#/'));
  });
}

export function toast(message: string, kind: 'ok' | 'error' = 'ok'): void {
  const note = h(`div.toast.${kind}`, {}, message);
  toasts.append(note);
  window.setTimeout(() => note.remove(), kind === 'error' ? 8000 : 4000);
}

/** Runs a button's action: disabled meanwhile, its outcome told as a message. */
export async function act(button: HTMLButtonElement, action: () => Promise<unknown>, done?: string): Promise<void> {
  button.disabled = true;
  try {
    await action();
    if (done) toast(done);
  } catch (error) {
    toast(error instanceof Error ? error.message : String(error), 'error');
  } finally {
    button.disabled = false;
  }
}

export function pageHeader(title: string | Node, ...actions: (Node | null)[]): HTMLElement {
  return h('div.page-header', {}, h('h1', {}, title), h('div.actions', {}, ...actions));
}

export function empty(text: string): HTMLElement {
  return h('div.empty', {}, text);
}

export function failure(error: unknown): HTMLElement {
  return h('div.alert.error', { role: 'alert' }, error instanceof Error ? error.message : String(error));
}
