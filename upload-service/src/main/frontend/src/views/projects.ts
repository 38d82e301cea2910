// Projects: each one's settings, what its site serves, and its history with one-click rollbacks; beside them,
// when the project has them, the pin a rollback left, its branch previews and its notification targets.
import { h } from '../dom';
import { api, type Project, type ProjectDeployment } from '../api';
import { live, newestRead, throttle } from '../live';
import { access } from '../access';
import { act, pageHeader, empty, failure, type View } from '../shell';
import { badge, ago, shortCommit, shortId, repoName } from '../format';
import { notificationsSection } from './notifications';
import { pinBanner, previewsSection, promoteButton, siteFields } from './project-site';


export function projectsView(): View {
  const list = h('div.cards');
  const reads = newestRead(list);
  async function load(): Promise<void> {
    const read = reads.begin();
    try {
      const projects = await api.projects();
      if (!read.isNewest()) return;
      list.replaceChildren(...(projects.length === 0
        ? [empty('No projects yet. Create one with POST /projects or deployctl.')]
        : projects.map(card)));
    } catch (error) {
      if (read.isNewest()) list.replaceChildren(failure(error));
    } finally {
      read.end();
    }
  }
  const reload = throttle(() => void load(), 500);
  const stop = live.subscribe((move) => {
    if (move.project) reload();
  });
  void load();
  return { element: h('section.page', {}, pageHeader('Projects'), list), leave: stop };
}

function card(p: Project): HTMLElement {
  return h('article.card.project-card', { 'data-project': p.name },
    h('div.card-head', {}, h('h2', {}, h('a', { href: `#/projects/${p.name}` }, p.name)), h('span.spacer'),
      h('a.button.small.ghost', { href: p.url, target: '_blank', rel: 'noopener' }, 'Visit ↗')),
    h('div.sub', {}, repoName(p.repoUrl)),
    h('div.sub', {}, h('span.branch', {}, p.branch ?? 'default branch'), ' · serves ',
      p.deployment ? h('a', { href: `#/deployments/${p.deployment}` }, h('code', {}, shortId(p.deployment))) : 'nothing yet'));
}

export function projectView(name: string): View {
  const element = h('section.page.detail');
  // A read that answers after a newer one (a rollback's, then a move's) is dropped, never shown over it.
  const reads = newestRead(element);
  const header = h('div');
  const settings = h('div.card');
  const history = h('div.rows.history', { role: 'table', 'aria-label': 'History' });
  const pin = h('div.pin-slot');
  const previews = h('div.previews-slot');
  const notifications = notificationsSection(name);

  function historyRow(project: Project, d: ProjectDeployment): HTMLElement {
    const actions: HTMLElement[] = [];
    if (d.current) {
      actions.push(h('span.pill.current', {}, project.pinned === d.id ? 'Current · pinned' : 'Current'));
    } else if (d.status === 'deployed' && access.mayDeploy(project.name)) {
      const promote = promoteButton(project, d, load);
      if (promote) actions.push(promote);
      const rollback = h('button.small', { type: 'button', 'data-action': 'rollback' }, 'Roll back here');
      rollback.addEventListener('click', () => void act(rollback, async () => {
        await api.rollback(project.name, d.id);
        await load();
      }, `${project.name} now serves ${shortId(d.id)}`));
      actions.push(rollback);
    }
    return h(`div.row${d.current ? '.current' : ''}`, { role: 'row', 'data-id': d.id },
      h('div.cell.state', {}, badge(d.status)),
      h('div.cell.ident', {}, h('a.id', { href: `#/deployments/${d.id}` }, shortId(d.id)),
        h('div.sub', {}, h('code', {}, shortCommit(d.commit)), d.ref ? ` · ${d.ref}` : '')),
      h('div.cell.times', {}, h('span', { title: d.createdAt }, ago(d.createdAt)),
        d.error ? h('div.sub.error-text', { title: d.error }, d.error.split('\n')[0]) : null),
      h('div.cell.actions', {}, ...actions));
  }

  async function load(): Promise<void> {
    const read = reads.begin();
    try {
      const [project, deployments] = await Promise.all([api.project(name), api.projectDeployments(name)]);
      if (!read.isNewest()) return;
      const deploy = h('button.primary', {
        type: 'button', 'data-action': 'deploy', hidden: !access.mayDeploy(name),
      }, 'Deploy');
      deploy.addEventListener('click', () => void act(deploy, async () => {
        const made = await api.deploy({ project: name });
        location.hash = `#/deployments/${made.id}`;
      }, 'Deploying'));
      header.replaceChildren(pageHeader(name, h('a.button.ghost', { href: project.url, target: '_blank', rel: 'noopener' }, 'Visit ↗'), deploy));
      const fields: [string, string][] = [
        ['Repository', repoName(project.repoUrl)],
        ['Branch', project.branch ?? 'default branch'],
        ['Root directory', project.rootDirectory ?? '—'],
        ['Install command', project.installCommand ?? 'detected'],
        ['Build command', project.buildCommand ?? 'detected'],
        ['Output directory', project.outputDirectory ?? 'detected'],
        ['Variables', project.env.length > 0 ? project.env.join(', ') : 'none'],
        ['Single-page app', project.spaFallback ? 'yes: unknown paths serve index.html' : 'no'],
        ['Site', project.url],
        ['Serves', project.deployment ?? 'nothing yet'],
        ...siteFields(project),
      ];
      settings.replaceChildren(h('h2', {}, 'Settings'),
        h('dl.fields', {}, ...fields.flatMap(([field, value]) => [h('dt', {}, field), h('dd', {}, value)])));
      pin.replaceChildren(...[pinBanner(project, load)].filter((node) => node !== null));
      previews.replaceChildren(...[previewsSection(project)].filter((node) => node !== null));
      history.replaceChildren(...(deployments.length === 0 ? [empty('No deployments yet.')]
        : deployments.map((d) => historyRow(project, d))));
    } catch (error) {
      if (read.isNewest()) header.replaceChildren(failure(error));
    } finally {
      read.end();
    }
  }

  // Deliveries are made from the events a moment after a move, and retried later: look again now and then.
  let poll: number | undefined;
  async function loadNotifications(): Promise<void> {
    window.clearTimeout(poll);
    const again = await notifications.load();
    if (again !== null) poll = window.setTimeout(() => void loadNotifications(), again);
  }
  const reload = throttle(() => {
    void load();
    void loadNotifications();
  }, 300);
  const stop = live.subscribe((move) => {
    if (move.project === name) reload();
  });
  void load();
  void loadNotifications();
  // The page's sections, in order; a section the project has nothing for stays empty or hidden.
  const sections = [
    h('div.detail-grid.single', {}, settings),
    previews,
    h('div.card', {}, h('h2', {}, 'History'),
      access.mayDeploy(name) ? h('p.muted', {}, 'Roll back points the site at a deployment at once, with no rebuild.') : null,
      pin, history),
    notifications.element,
  ];
  element.append(h('a.back', { href: '#/projects' }, '← Projects'), header, ...sections);
  return {
    element,
    leave: () => {
      stop();
      window.clearTimeout(poll);
    },
  };
}
