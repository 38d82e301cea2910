// A project's notification targets, each with its newest deliveries: how each went, the target's last answer and
// how often it was tried. The section is left out for a project that has no targets.
import { h } from '../dom';
import { api, type Delivery, type NotificationTarget } from '../api';
import { ago, duration, shortId } from '../format';

const SHOWN_PER_TARGET = 5;
const WHILE_PENDING_MS = 4000;
const WHILE_IDLE_MS = 15000;
const TYPES: Record<NotificationTarget['type'], string> = {
  webhook: 'Webhook',
  slack: 'Slack',
  github: 'GitHub status',
};

export interface NotificationsSection {
  element: HTMLElement;
  /** Reads the targets and deliveries again; answers when to read them next, null when there are no targets. */
  load(): Promise<number | null>;
}

export function notificationsSection(project: string): NotificationsSection {
  const targets = h('div.rows.targets', { role: 'table', 'aria-label': 'Notification targets' });
  const element = h('div.card.notifications', { hidden: true },
    h('h2', {}, 'Notifications'),
    h('p.muted', {}, 'Where each deployment event is told, and how its newest deliveries went.'),
    targets);

  async function load(): Promise<number | null> {
    try {
      const [listed, deliveries] = await Promise.all([api.notifications(project), api.deliveries(project)]);
      element.hidden = listed.length === 0;
      targets.replaceChildren(...listed.map((target) =>
        targetRow(target, deliveries.filter((d) => d.target === target.id).slice(0, SHOWN_PER_TARGET))));
      if (listed.length === 0) return null;
      return deliveries.some((d) => d.state === 'pending') ? WHILE_PENDING_MS : WHILE_IDLE_MS;
    } catch {
      // A service without notifications, or a token that may not read them: the rest of the page still shows.
      element.hidden = true;
      return null;
    }
  }

  return { element, load };
}

function targetRow(target: NotificationTarget, deliveries: Delivery[]): HTMLElement {
  const credentials = [target.hasSecret ? 'signed' : null, target.hasToken ? 'token set' : null].filter(Boolean);
  return h('div.target', { role: 'row', 'data-target': target.id, 'data-type': target.type },
    h('div.target-head', {},
      h(`span.pill.type-${target.type}`, {}, TYPES[target.type] ?? target.type),
      h('code.target-url', { title: target.url }, target.url),
      credentials.length > 0 ? h('span.sub', {}, credentials.join(' · ')) : null),
    h('div.events', {}, ...(target.events.length === 0
      ? [h('span.sub', {}, 'all events')]
      : target.events.map((event) => h('span.chip', {}, event.replace(/^deployment\./, ''))))),
    deliveries.length === 0
      ? h('div.sub.no-deliveries', {}, 'Nothing sent yet.')
      : h('ul.deliveries', {}, ...deliveries.map(deliveryItem)));
}

function deliveryItem(d: Delivery): HTMLElement {
  const answer = d.lastStatus !== undefined ? `HTTP ${d.lastStatus}` : d.lastError ? 'no answer' : '—';
  const tries = `${d.attempts} ${d.attempts === 1 ? 'try' : 'tries'}`;
  const when = d.deliveredAt ?? d.lastAttemptAt ?? d.createdAt;
  const waiting = d.state === 'pending' && d.nextAttemptAt ? ` · next try in ${duration(Math.max(0, Date.parse(d.nextAttemptAt) - Date.now()))}` : '';
  return h('li', { 'data-delivery': d.id, 'data-state': d.state },
    h(`span.delivery-state.delivery-${d.state}`, {}, d.state),
    h('span.delivery-event', {}, d.event.replace(/^deployment\./, '')),
    d.deployment ? h('a.id', { href: `#/deployments/${d.deployment}` }, shortId(d.deployment)) : null,
    h('span.delivery-status', { title: d.lastResponse ?? d.lastError ?? '' }, answer),
    h('span.sub', {}, tries),
    h('span.sub.delivery-when', { title: when }, `${ago(when)}${waiting}`),
    d.lastError && d.state !== 'delivered' ? h('div.sub.error-text.delivery-error', { title: d.lastError }, d.lastError) : null);
}
