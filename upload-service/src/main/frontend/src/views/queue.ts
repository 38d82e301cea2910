// The queue: live counts, a chart of the last hour, who waits, what each consumer builds, and the dead letters.
import { h, svg } from '../dom';
import { api, type QueueView } from '../api';
import { live, throttle } from '../live';
import { access } from '../access';
import { act, pageHeader, empty, failure, type View } from '../shell';
import { ago, duration, shortId } from '../format';

export function queueView(): View {
  const stats = h('div.stats');
  const charts = h('div.charts');
  const waiting = h('div.card');
  const consumers = h('div.card');
  const dead = h('div.card');
  const problem = h('div');

  async function load(): Promise<void> {
    try {
      const queue = await api.queue();
      problem.replaceChildren();
      render(queue);
    } catch (error) {
      problem.replaceChildren(failure(error));
    }
  }

  function render(q: QueueView): void {
    stats.replaceChildren(
      stat('Waiting', q.length, 'waiting'), stat('Building', q.building, 'building'),
      stat('Deployed', q.lastHour.deployed, 'deployed', 'last hour'), stat('Failed', q.lastHour.failed, 'failed', 'last hour'),
      stat('Cancelled', q.lastHour.cancelled, 'cancelled', 'last hour'));
    charts.replaceChildren(
      h('div.card.chart-card', {}, h('h2', {}, 'Queue length, last hour'), lineChart(q.lastHour.queueLength.map((p) => p.length))),
      h('div.card.chart-card', {}, h('h2', {}, 'Build durations, last hour'),
        q.lastHour.builds.length === 0 ? empty('No build ended in the last hour.') : barChart(q.lastHour.builds)));
    waiting.replaceChildren(h('h2', {}, `Waiting (${q.length})`), q.waiting.length === 0 ? empty('Nobody waits.') :
      h('ol.waiting', {}, ...q.waiting.map((w) => h('li', { 'data-id': w.id },
        h('span.position', {}, w.position === 0 ? 'next' : `#${w.position + 1}`),
        h('a', { href: `#/deployments/${w.id}` }, h('code', {}, shortId(w.id))),
        h('span.sub', {}, w.position === 0 ? 'built next' : `${w.position} ahead`)))));
    const replicas = new Map<string, QueueView['consumers']>();
    q.consumers.forEach((c) => replicas.set(c.replica, [...(replicas.get(c.replica) ?? []), c]));
    consumers.replaceChildren(h('h2', {}, 'Replicas and their workers'), replicas.size === 0 ? empty('No deploy replica is running.') :
      h('div.replicas', {}, ...[...replicas].map(([replica, workers]) => h('div.replica', {},
        h('h3', {}, replica),
        h('ul.workers', {}, ...workers.map((c) => h(`li${c.alive ? '.alive' : '.dead'}`, { 'data-consumer': c.consumer },
          h('span.dot', { title: c.alive ? 'heartbeat alive' : 'heartbeat lapsed: the reaper puts its work back' }),
          h('span.worker', {}, c.consumer.slice(replica.length + 1) || c.consumer),
          c.building.length > 0
            ? h('span', {}, 'building ', ...c.building.map((id) => h('a', { href: `#/deployments/${id}` }, h('code', {}, shortId(id)))))
            : h('span.muted', {}, 'idle'),
          h('span.sub', {}, c.alive ? `beat ${ago(c.heartbeatAt)}` : 'no heartbeat'))))))));
    dead.replaceChildren(h('h2', {}, `Dead letters (${q.deadLetters.length})`), q.deadLetters.length === 0 ? empty('None: nothing was given up on.') :
      h('ul.dead-letters', {}, ...q.deadLetters.map((d) => {
        const requeue = h('button.small', { type: 'button', 'data-action': 'requeue', hidden: !access.isAdmin() }, 'Requeue');
        requeue.addEventListener('click', () => void act(requeue, async () => {
          await api.requeue(d.id);
          await load();
        }, `Queued ${shortId(d.id)} again`));
        return h('li', { 'data-id': d.id }, h('a', { href: `#/deployments/${d.id}` }, h('code', {}, shortId(d.id))),
          h('span.sub.error-text', {}, d.error ?? ''), requeue);
      })));
  }

  const reload = throttle(() => void load(), 1000);
  const stop = live.subscribe(reload);
  const timer = window.setInterval(() => void load(), 15_000);
  void load();
  return {
    element: h('section.page', {}, pageHeader('Queue'), problem, stats, charts,
      h('div.detail-grid', {}, waiting, consumers), dead),
    leave: () => {
      stop();
      window.clearInterval(timer);
    },
  };
}

function stat(label: string, value: number, state: string, note = 'now'): HTMLElement {
  return h(`div.stat.state-${state}`, { 'data-stat': label.toLowerCase() },
    h('span.stat-label', {}, label), h('span.stat-value', {}, String(value)), h('span.sub', {}, note));
}

const WIDTH = 480;
const HEIGHT = 140;
const PAD = 24;

function axis(max: number, unit: (v: number) => string): SVGElement {
  const label = (y: number, text: string) => svg('text', { x: 0, y, class: 'axis' }, document.createTextNode(text));
  return svg('g', {}, label(PAD - 8, unit(max)), label(HEIGHT - 4, unit(0)),
    svg('line', { x1: PAD + 8, x2: WIDTH, y1: HEIGHT - PAD / 2, y2: HEIGHT - PAD / 2, class: 'baseline' }));
}

function lineChart(values: number[]): SVGElement {
  const max = Math.max(1, ...values);
  const x = (i: number) => PAD + 8 + (i / Math.max(1, values.length - 1)) * (WIDTH - PAD - 8);
  const y = (v: number) => HEIGHT - PAD / 2 - (v / max) * (HEIGHT - PAD * 1.5);
  const points = values.map((v, i) => `${x(i).toFixed(1)},${y(v).toFixed(1)}`).join(' ');
  const area = `${x(0)},${y(0)} ${points} ${x(values.length - 1)},${y(0)}`;
  return svg('svg', { viewBox: `0 0 ${WIDTH} ${HEIGHT}`, class: 'chart', role: 'img', 'aria-label': 'Queue length over the last hour' },
    axis(max, String), svg('polygon', { points: area, class: 'area' }), svg('polyline', { points, class: 'line' }));
}

function barChart(builds: QueueView['lastHour']['builds']): SVGElement {
  const max = Math.max(1, ...builds.map((b) => b.seconds));
  const slot = (WIDTH - PAD - 8) / Math.max(builds.length, 12);
  const bars = builds.map((b, i) => {
    const height = (b.seconds / max) * (HEIGHT - PAD * 1.5);
    const bar = svg('rect', {
      x: PAD + 8 + i * slot + 1, y: HEIGHT - PAD / 2 - height, width: Math.max(2, slot - 3), height, rx: 2, class: `bar state-${b.state}`,
    });
    bar.appendChild(svg('title', {}, document.createTextNode(`${shortId(b.id)}: ${duration(b.seconds * 1000)}, ${b.state}`)));
    return bar;
  });
  return svg('svg', { viewBox: `0 0 ${WIDTH} ${HEIGHT}`, class: 'chart', role: 'img', 'aria-label': 'Durations of the builds that ended in the last hour' },
    axis(max, (v) => duration(v * 1000)), ...bars);
}
