// The buttons a deployment offers, wherever it is shown: cancel while it is not over, redeploy once it is, and for
// a deployed deployment of a project that its site does not serve, roll the site back (or forward) to it; each only
// to a token that may deploy the deployment's project.
import { h } from './dom';
import { api, FINAL, type Deployment } from './api';
import { act } from './shell';
import { access } from './access';
import { shortId } from './format';

export function deploymentActions(d: Deployment, servedByProject: ReadonlyMap<string, string>,
  changed: () => void): HTMLElement[] {
  const buttons: HTMLElement[] = [];
  const mayDeploy = access.mayDeploy(d.project);
  if (mayDeploy && !FINAL.has(d.status)) {
    const cancel = h('button.danger.small', { type: 'button', 'data-action': 'cancel' }, 'Cancel');
    cancel.addEventListener('click', () => void act(cancel, async () => {
      await api.cancel(d.id);
      changed();
    }, `Cancelled ${shortId(d.id)}`));
    buttons.push(cancel);
  } else if (mayDeploy) {
    const redeploy = h('button.small', { type: 'button', 'data-action': 'redeploy' }, 'Redeploy');
    redeploy.addEventListener('click', () => void act(redeploy, async () => {
      const made = await api.redeploy(d.id);
      location.hash = `#/deployments/${made.id}`;
    }, 'Redeploying'));
    buttons.push(redeploy);
  }
  if (d.project && d.status === 'deployed') {
    if (servedByProject.get(d.project) === d.id) {
      buttons.push(h('span.pill.current', { title: `${d.project}'s site serves this deployment` }, 'Current'));
    } else if (mayDeploy) {
      const rollback = h('button.small', {
        type: 'button', 'data-action': 'rollback', title: `Point ${d.project}'s site at this deployment, no rebuild`,
      }, 'Roll back here');
      rollback.addEventListener('click', () => void act(rollback, async () => {
        await api.rollback(d.project!, d.id);
        changed();
      }, `${d.project} now serves ${shortId(d.id)}`));
      buttons.push(rollback);
    }
  }
  if (d.url) {
    buttons.push(h('a.button.small.ghost', { href: d.url, target: '_blank', rel: 'noopener' }, 'Visit ↗'));
  }
  return buttons;
}

/** Project name → the deployment its site serves. */
export async function servedByProjects(): Promise<Map<string, string>> {
  const projects = await api.projects();
  return new Map(projects.filter((p) => p.deployment).map((p) => [p.name, p.deployment!]));
}
