import './style.css';
import { h, clear } from './dom';
import { api, token } from './api';
import { live } from './live';
import { access } from './access';
import { renderShell, markNav, failure, type View } from './shell';
import { deploymentsView } from './views/deployments';
import { deploymentView } from './views/deployment';
import { projectsView, projectView } from './views/projects';
import { queueView } from './views/queue';

const root = document.getElementById('app')!;
let current: View | null = null;
let main: HTMLElement | null = null;

function route(hash: string): View {
  const [, page, param] = hash.replace(/^#\/?/, '').match(/^([^/]*)\/?(.*)$/) ?? [];
  switch (page) {
    case '':
    case 'deployments':
      return param ? deploymentView(decodeURIComponent(param)) : deploymentsView();
    case 'projects':
      return param ? projectView(decodeURIComponent(param)) : projectsView();
    case 'queue':
      return queueView();
    default:
      return { element: failure(`Nothing here: ${hash}`) };
  }
}

function show(): void {
  if (!main) return;
  current?.leave?.();
  current = route(location.hash);
  markNav(location.hash);
  clear(main);
  main.append(current.element);
  window.scrollTo(0, 0);
}

/** Asks for the token: nothing else is shown until the API accepts one. */
function prompt(reason?: string): void {
  current?.leave?.();
  current = null;
  main = null;
  live.stop();
  const input = h('input', {
    type: 'password', name: 'token', id: 'token', autocomplete: 'current-password', required: true,
    placeholder: 'dp_… or the API_TOKEN', 'aria-label': 'API token',
  });
  const error = h('p.form-error', { role: 'alert' }, reason ?? '');
  const submit = h('button.primary', { type: 'submit' }, 'Continue');
  const form = h('form.token-card', {
    onsubmit: async (event: Event) => {
      event.preventDefault();
      submit.disabled = true;
      token.set(input.value.trim());
      try {
        if (await api.check()) {
          void start();
          return;
        }
        token.forget();
        error.textContent = 'The API does not accept this token.';
      } catch (e) {
        error.textContent = e instanceof Error ? e.message : String(e);
      } finally {
        submit.disabled = false;
      }
    },
  },
  h('div.brand.big', {}, h('span.logo', {}, '▲'), h('span', {}, 'deploy-pipeline')),
  h('h1', {}, 'Sign in with a token'),
  h('p.muted', {}, 'This pipeline asks for a token (API_TOKEN, API_READ_TOKEN or one made with POST /tokens). ' +
    'It is kept in this browser tab only and sent as the bearer header.'),
  h('label', { for: 'token' }, 'Token'), input, error, submit);
  clear(root);
  root.append(h('div.token-page', {}, form));
  input.focus();
}

async function start(): Promise<void> {
  await access.load();
  main = renderShell(root, () => {
    token.forget();
    prompt();
  });
  show();
}

token.whenRefused(() => {
  if (main !== null) prompt(token.get() ? 'The token was refused: it may have been revoked.' : undefined);
});
window.addEventListener('hashchange', () => {
  if (main !== null) show();
});

api.check().then((open) => (open ? void start() : prompt()), (error) => {
  clear(root);
  root.append(failure(error));
});
