// One deployment: its record, its timeline, and its log, followed live while it builds.
import Anser from 'anser';
import { h, clear } from '../dom';
import { api, follow, FINAL, token, type Deployment, type Stream } from '../api';
import { live, throttle } from '../live';
import { pageHeader, failure, type View } from '../shell';
import { badge, clock, duration, between, sinceOrBetween, shortId, repoName } from '../format';
import { deploymentActions, servedByProjects } from '../actions';
import { LogView } from '../log-view';

/** The error's first line is the reason; the last lines of the log that follow it fold away, without escapes. */
function errorAlert(d: Deployment): HTMLElement {
  const [reason, ...tail] = d.error!.split('\n');
  const title = d.status === 'cancelled' ? 'Cancelled' : 'Build failed';
  return h(`div.alert.${d.status === 'cancelled' ? 'warning' : 'error'}`, { role: 'alert', 'data-error': '' },
    h('strong', {}, title), h('p.reason', {}, reason),
    tail.length > 0 ? h('details', {}, h('summary', {}, 'The last lines of its log'),
      h('pre', {}, Anser.ansiToText(tail.join('\n')))) : null);
}

export function deploymentView(id: string): View {
  const header = h('div');
  const record = h('div.card.record');
  const timeline = h('ol.timeline', { 'aria-label': 'Timeline' });
  const errorBox = h('div');
  const log = new LogView();
  const logState = h('span.muted', {}, '');
  const raw = h('a.button.small.ghost', { href: api.logUrl(id), target: '_blank', rel: 'noopener', 'data-action': 'raw-log' }, 'Raw log');
  raw.addEventListener('click', (event) => {
    if (!token.get()) return; // the API is open: the link itself works
    event.preventDefault();
    api.log(id).then((text) => window.open(URL.createObjectURL(new Blob([text], { type: 'text/plain' })), '_blank'));
  });
  let stream: Stream | null = null;
  let deployment: Deployment | null = null;
  let logStarted = false;

  function startLog(d: Deployment): void {
    if (logStarted) return;
    logStarted = true;
    if (FINAL.has(d.status)) {
      logState.textContent = 'Stored log';
      api.log(id).then((text) => {
        log.addText(text);
        if (d.status === 'failed') log.scrollToFirstError();
      }, (error) => (logState.textContent = error.message));
      return;
    }
    logState.textContent = 'Following live…';
    let batch: string[] = [];
    const flush = throttle(() => {
      log.add(batch);
      batch = [];
    }, 100);
    stream = follow(`/deployments/${encodeURIComponent(id)}/logs?follow=true`, {
      onMessage: (message) => {
        batch.push(message.data);
        flush();
      },
      onEnd: (state) => {
        logState.textContent = `Ended: ${state}`;
        void refresh();
      },
    });
  }

  function render(d: Deployment, served: Map<string, string>): void {
    deployment = d;
    header.replaceChildren(pageHeader(h('span.title-id', {}, badge(d.status), h('span', {}, shortId(d.id))),
      ...deploymentActions(d, served, () => void refresh())));
    const rows: [string, Node | string][] = [
      ['Id', h('code', {}, d.id)],
      ['Repository', h('span', {}, repoName(d.repoUrl))],
      ['Branch', d.branch ?? 'default branch'],
      ['Commit', d.commit ? h('code', {}, d.commit) : '—'],
      ['Project', d.project ? h('a', { href: `#/projects/${d.project}` }, d.project) : '—'],
      ['Attempts', String(d.attempts)],
    ];
    if (d.queuePosition !== undefined) rows.push(['Queue', d.queuePosition === 0 ? 'built next' : `${d.queuePosition} ahead`]);
    if (d.url) rows.push(['Site', h('a', { href: d.url, target: '_blank', rel: 'noopener' }, d.url)]);
    record.replaceChildren(h('dl.fields', {}, ...rows.flatMap(([name, value]) => [h('dt', {}, name), h('dd', {}, value)])));
    errorBox.replaceChildren(d.error ? errorAlert(d) : '');
    renderTimeline(d);
    startLog(d);
  }

  function renderTimeline(d: Deployment): void {
    const ended = FINAL.has(d.status);
    const steps: { label: string; at?: string; took: string; done: boolean; state?: string }[] = [
      { label: 'Created', at: d.createdAt, took: '', done: true },
      { label: 'Fetched & uploaded', at: d.uploadedAt, took: duration(between(d.createdAt, d.uploadedAt)), done: !!d.uploadedAt },
      { label: 'Building', at: d.buildStartedAt, took: d.buildStartedAt ? `waited ${duration(between(d.uploadedAt, d.buildStartedAt))}` : '', done: !!d.buildStartedAt },
      {
        label: ended ? `Ended: ${d.status}` : 'Ends', at: d.finishedAt, done: ended, state: ended ? d.status : undefined,
        took: d.buildStartedAt ? `built in ${duration(sinceOrBetween(d.buildStartedAt, d.finishedAt))}` : '',
      },
    ];
    clear(timeline);
    timeline.append(...steps.map((step) => h(`li.step${step.done ? '.done' : ''}${step.state ? `.state-${step.state}` : ''}`, {},
      h('span.marker'), h('div', {}, h('strong', {}, step.label), h('div.sub', {}, step.at ? clock(step.at) : 'not yet'),
        step.took ? h('div.sub', {}, step.took) : null))));
  }

  async function refresh(): Promise<void> {
    try {
      const [d, served] = await Promise.all([api.deployment(id), servedByProjects()]);
      render(d, served);
    } catch (error) {
      header.replaceChildren(failure(error));
    }
  }

  const refreshSoon = throttle(() => void refresh(), 200);
  const stop = live.subscribe((move) => {
    if (move.id === id || (deployment?.project && move.project === deployment.project)) refreshSoon();
  });
  const ticker = window.setInterval(() => {
    if (deployment && !FINAL.has(deployment.status)) renderTimeline(deployment);
  }, 1000);
  void refresh();

  return {
    element: h('section.page.detail', {},
      h('a.back', { href: '#/deployments' }, '← Deployments'),
      header, errorBox,
      h('div.detail-grid', {}, record, h('div.card', {}, h('h2', {}, 'Timeline'), timeline)),
      h('div.card.log-card', {}, h('div.card-head', {}, h('h2', {}, 'Build log'), logState, h('span.spacer'), raw), log.element)),
    leave: () => {
      stop();
      stream?.close();
      window.clearInterval(ticker);
    },
  };
}
