// The form that starts a deployment: a repository URL or a project, with a ref, a root directory and variables.
import { h } from '../dom';
import { api } from '../api';
import { toast } from '../shell';

export function deployForm(deployed: () => void): { element: HTMLElement; toggle: () => void } {
  const target = h('input', {
    name: 'target', required: true, placeholder: 'https://github.com/acme/site or a project name',
    'aria-label': 'Repository URL or project', list: 'known-projects',
  });
  const projects = h('datalist', { id: 'known-projects' });
  const ref = h('input', { name: 'ref', placeholder: 'Branch or tag (default branch)', 'aria-label': 'Ref' });
  const rootDirectory = h('input', { name: 'rootDirectory', placeholder: 'Root directory (e.g. web)', 'aria-label': 'Root directory' });
  const env = h('textarea', { name: 'env', rows: 2, placeholder: 'KEY=value, one per line', 'aria-label': 'Environment variables' });
  const submit = h('button.primary', { type: 'submit' }, 'Deploy');
  const form = h('form.card.deploy-form', {
    hidden: true,
    onsubmit: async (event: Event) => {
      event.preventDefault();
      const value = target.value.trim();
      const body: Record<string, unknown> = /^[a-z0-9][a-z0-9-]*$/.test(value) ? { project: value } : { repoUrl: value };
      if (ref.value.trim()) body.ref = ref.value.trim();
      if (rootDirectory.value.trim()) body.rootDirectory = rootDirectory.value.trim();
      const variables = env.value.split('\n').map((line) => line.trim()).filter(Boolean);
      if (variables.length > 0) {
        body.env = Object.fromEntries(variables.map((line) => [line.split('=')[0], line.slice(line.indexOf('=') + 1)]));
      }
      submit.disabled = true;
      try {
        const made = await api.deploy(body);
        toast(`Deploying ${made.id}`);
        deployed();
        location.hash = `#/deployments/${made.id}`;
      } catch (error) {
        toast(error instanceof Error ? error.message : String(error), 'error');
      } finally {
        submit.disabled = false;
      }
    },
  },
  h('div.form-grid', {},
    h('label.wide', {}, h('span', {}, 'Repository URL or project'), target, projects),
    h('label', {}, h('span', {}, 'Ref'), ref),
    h('label', {}, h('span', {}, 'Root directory'), rootDirectory),
    h('label.wide', {}, h('span', {}, 'Environment variables'), env)),
  h('div.form-actions', {}, submit));
  return {
    element: form,
    toggle: () => {
      form.hidden = !form.hidden;
      if (!form.hidden) {
        target.focus();
        api.projects().then((list) => projects.replaceChildren(...list.map((p) => h('option', { value: p.name }))),
          () => {});
      }
    },
  };
}
