// What a project's page shows of its site beyond the settings it always has, each only when the API tells it: the
// pin a rollback left (with Promote and Lift pin), its branch previews, its schedule and how many deployments
// retention keeps.
import { h } from '../dom';
import { api, type Project, type ProjectDeployment } from '../api';
import { access } from '../access';
import { act } from '../shell';
import { clock, duration, shortId } from '../format';

/** The settings rows of previews, schedules and retention, for the fields the project has. */
export function siteFields(p: Project): [string, string][] {
  const fields: [string, string][] = [];
  if (p.previewBranches !== undefined) {
    const branches = Array.isArray(p.previewBranches) ? p.previewBranches.join(', ') : p.previewBranches;
    fields.push(['Preview branches', branches]);
  }
  if (p.schedule) fields.push(['Schedule', `${p.schedule} (${p.timeZone ?? 'UTC'})`]);
  if (p.nextRun) {
    fields.push(['Next run', `${clock(p.nextRun)}, in ${duration(Math.max(0, Date.parse(p.nextRun) - Date.now()))}`]);
  }
  if (p.keep !== undefined) fields.push(['Keeps', `the newest ${p.keep} deployments and what its sites serve`]);
  return fields;
}

/** Told above the history while a rollback pins the site: later deployments build but do not move it. */
export function pinBanner(p: Project, changed: () => Promise<void>): HTMLElement | null {
  if (!p.pinned) return null;
  const lift = h('button.small', { type: 'button', 'data-action': 'unpin', hidden: !access.mayDeploy(p.name) }, 'Lift pin');
  lift.addEventListener('click', () => void act(lift, async () => {
    await api.unpin(p.name);
    await changed();
  }, `${p.name}'s next deployment moves its site again`));
  return h('div.alert.warning.pin', { role: 'status', 'data-pinned': p.pinned },
    h('div.pin-line', {},
      h('span', {}, 'The site is pinned to ',
        h('a', { href: `#/deployments/${p.pinned}` }, h('code', {}, shortId(p.pinned))),
        ' by a rollback: newer deployments build and get their own address, but move the site only when promoted.'),
      lift));
}

/** Promote, on a deployed row of a pinned project that its site does not serve. */
export function promoteButton(p: Project, d: ProjectDeployment, changed: () => Promise<void>): HTMLElement | null {
  if (!p.pinned || d.current || d.status !== 'deployed') return null;
  const promote = h('button.small.primary', {
    type: 'button', 'data-action': 'promote', title: 'Serve this deployment and lift the pin',
  }, 'Promote');
  promote.addEventListener('click', () => void act(promote, async () => {
    await api.promote(p.name, d.id);
    await changed();
  }, `${p.name} now serves ${shortId(d.id)}, unpinned`));
  return promote;
}

/** The project's branch previews, each with its address and what it serves; null when it has none. */
export function previewsSection(p: Project): HTMLElement | null {
  if (!p.previews || p.previews.length === 0) return null;
  return h('div.card.previews', {},
    h('h2', {}, 'Previews'),
    h('p.muted', {}, 'Each branch with a preview is served at an address of its own, moving forward as it builds.'),
    h('div.rows.preview-rows', { role: 'table', 'aria-label': 'Previews' }, ...p.previews.map((preview) =>
      h('div.row', { role: 'row', 'data-branch': preview.branch },
        h('div.cell', { role: 'cell' }, h('span.branch', {}, preview.branch)),
        h('div.cell', { role: 'cell' }, h('a', { href: preview.url, target: '_blank', rel: 'noopener' }, preview.url)),
        h('div.cell', { role: 'cell' }, preview.deployment
          ? h('a.id', { href: `#/deployments/${preview.deployment}` }, shortId(preview.deployment))
          : h('span.muted', {}, 'nothing deployed yet')),
        h('div.cell.actions', { role: 'cell' }, preview.deployment
          ? h('a.button.small.ghost', { href: preview.url, target: '_blank', rel: 'noopener' }, 'Visit ↗')
          : null)))));
}
