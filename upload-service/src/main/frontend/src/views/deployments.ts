// Deployments: newest first, filtered by project, branch and state, each row changing as its deployment moves.
import { h, clear } from '../dom';
import { api, FINAL, STATES, type Deployment } from '../api';
import { live, throttle } from '../live';
import { pageHeader, empty, failure, type View } from '../shell';
import { badge, ago, duration, queueWait, buildTime, shortCommit, shortId, repoName } from '../format';
import { deploymentActions, servedByProjects } from '../actions';
import { deployForm } from './deploy-form';
import { access } from '../access';

const FILTERS_KEY = 'deploy-pipeline.filters';
const LIMIT = 50;

interface Filters {
  project: string;
  branch: string;
  state: string;
}

function savedFilters(): Filters {
  try {
    return { project: '', branch: '', state: '', ...JSON.parse(sessionStorage.getItem(FILTERS_KEY) ?? '{}') };
  } catch {
    return { project: '', branch: '', state: '' };
  }
}

export function deploymentsView(): View {
  const filters = savedFilters();
  const rows = new Map<string, HTMLElement>();
  const records = new Map<string, Deployment>();
  let served = new Map<string, string>();
  const list = h('div.rows.deployments', { role: 'table', 'aria-label': 'Deployments' });
  const status = h('div.list-status');

  const projectSelect = h('select', { name: 'project', 'aria-label': 'Project' }, h('option', { value: '' }, 'All projects'));
  const branchInput = h('input', { name: 'branch', type: 'search', placeholder: 'Branch', 'aria-label': 'Branch', value: filters.branch });
  const stateSelect = h('select', { name: 'state', 'aria-label': 'State' }, h('option', { value: '' }, 'All states'),
    ...STATES.map((state) => h('option', { value: state }, state)));
  stateSelect.value = filters.state;

  const matches = (d: Deployment) => (!filters.project || d.project === filters.project)
    && (!filters.branch || d.branch === filters.branch) && (!filters.state || d.status === filters.state);

  function row(d: Deployment): HTMLElement {
    const element = h('div.row', { role: 'row', 'data-id': d.id, 'data-state': d.status },
      h('div.cell.state', { role: 'cell' }, badge(d.status)),
      h('div.cell.ident', { role: 'cell' },
        h('a.id', { href: `#/deployments/${d.id}` }, shortId(d.id)),
        h('div.sub', {}, repoName(d.repoUrl))),
      h('div.cell.where', { role: 'cell' },
        d.project ? h('a.project', { href: `#/projects/${d.project}` }, d.project) : h('span.muted', {}, 'no project'),
        h('div.sub', {}, h('span.branch', {}, d.branch ?? 'default branch'), ' · ', h('code', {}, shortCommit(d.commit)))),
      h('div.cell.times', { role: 'cell' },
        h('span', { title: d.createdAt }, ago(d.createdAt)),
        h('div.sub', {}, `wait ${duration(queueWait(d))} · build ${duration(buildTime(d))}`)),
      h('div.cell.actions', { role: 'cell' }, ...deploymentActions(d, served, () => void refreshRow(d.id))));
    return element;
  }

  function put(d: Deployment): void {
    records.set(d.id, d);
    const fresh = row(d);
    const old = rows.get(d.id);
    if (old) old.replaceWith(fresh);
    else list.prepend(fresh);
    rows.set(d.id, fresh);
  }

  // Reads of one deployment may answer out of order (one after `building`, the next after `deployed`): only the
  // newest read counts, a deployment that has ended never shows as running again, and a move of one whose first
  // read has not answered yet reads it again.
  const reads = new Map<string, number>();
  let lastRead = 0;

  async function refreshRow(id: string): Promise<void> {
    const read = ++lastRead;
    reads.set(id, read);
    try {
      const d = await api.deployment(id);
      if (reads.get(id) !== read) return;
      const shown = records.get(id);
      if (shown && FINAL.has(shown.status) && !FINAL.has(d.status)) return;
      if (d.project && d.status === 'deployed') served = await servedByProjects();
      if (matches(d)) put(d);
      else {
        rows.get(id)?.remove();
        rows.delete(id);
      }
    } catch {
      // gone or unreachable: the next move or reload tells
    }
  }

  async function load(): Promise<void> {
    sessionStorage.setItem(FILTERS_KEY, JSON.stringify(filters));
    status.textContent = 'Loading…';
    try {
      const [deployments, projects] = await Promise.all([
        api.deployments({ ...filters, limit: LIMIT }), api.projects()]);
      served = new Map(projects.filter((p) => p.deployment).map((p) => [p.name, p.deployment!]));
      const chosen = projectSelect.value || filters.project;
      projectSelect.replaceChildren(h('option', { value: '' }, 'All projects'),
        ...projects.map((p) => h('option', { value: p.name }, p.name)));
      projectSelect.value = chosen;
      clear(list);
      rows.clear();
      records.clear();
      [...deployments].reverse().forEach(put);
      status.replaceChildren(deployments.length === 0 ? empty('No deployments match. Deploy a repository to start.') : '');
    } catch (error) {
      status.replaceChildren(failure(error));
    }
  }

  const reload = throttle(() => void load(), 300);
  projectSelect.addEventListener('change', () => { filters.project = projectSelect.value; reload(); });
  stateSelect.addEventListener('change', () => { filters.state = stateSelect.value; reload(); });
  branchInput.addEventListener('input', throttle(() => { filters.branch = branchInput.value.trim(); void load(); }, 400));

  const pending = new Set<string>();
  const flush = throttle(() => {
    const ids = [...pending];
    pending.clear();
    ids.forEach((id) => void refreshRow(id));
  }, 250);
  const stop = live.subscribe((move) => {
    if (rows.has(move.id) || !move.previous || reads.has(move.id)) {
      pending.add(move.id);
      flush();
    }
  });
  // Running durations go on while nothing moves.
  const ticker = window.setInterval(() => {
    records.forEach((d) => {
      if (d.status === 'building' || d.status === 'uploaded') put(d);
    });
  }, 5000);

  const form = deployForm(() => void load());
  const newButton = h('button.primary', {
    type: 'button', 'data-action': 'new-deployment', hidden: !access.mayDeployAny(),
  }, 'New deployment');
  newButton.addEventListener('click', () => form.toggle());

  void load();
  return {
    element: h('section.page', {},
      pageHeader('Deployments', newButton),
      form.element,
      h('div.filters', {}, projectSelect, branchInput, stateSelect),
      h('div.rows-head', { 'aria-hidden': 'true' },
        h('span', {}, 'State'), h('span', {}, 'Deployment'), h('span', {}, 'Project · branch · commit'),
        h('span', {}, 'Created · wait · build'), h('span', {}, '')),
      list, status),
    leave: () => {
      stop();
      window.clearInterval(ticker);
    },
  };
}
