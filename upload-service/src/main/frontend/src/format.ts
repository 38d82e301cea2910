// How times, durations and ids read on the page.
import { h } from './dom';
import type { Deployment, State } from './api';

export function shortId(id: string): string {
  return id.length > 12 ? id.slice(0, 12) : id;
}

export function shortCommit(commit?: string): string {
  return commit ? commit.slice(0, 7) : '—';
}

/** 4s, 2m 05s, 1h 02m. */
export function duration(ms: number | null): string {
  if (ms === null || !Number.isFinite(ms) || ms < 0) return '—';
  const seconds = Math.round(ms / 1000);
  if (seconds < 60) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes}m ${String(seconds % 60).padStart(2, '0')}s`;
  return `${Math.floor(minutes / 60)}h ${String(minutes % 60).padStart(2, '0')}m`;
}

export function between(from?: string, to?: string): number | null {
  if (!from || !to) return null;
  return Date.parse(to) - Date.parse(from);
}

/** Until now when the second time is not there yet (a build still running). */
export function sinceOrBetween(from?: string, to?: string): number | null {
  if (!from) return null;
  return (to ? Date.parse(to) : Date.now()) - Date.parse(from);
}

export function ago(time?: string): string {
  if (!time) return '—';
  const ms = Date.now() - Date.parse(time);
  if (ms < 45_000) return 'just now';
  if (ms < 3_600_000) return `${Math.round(ms / 60_000)} min ago`;
  if (ms < 86_400_000) return `${Math.round(ms / 3_600_000)} h ago`;
  return new Date(time).toLocaleDateString(undefined, { day: 'numeric', month: 'short', year: 'numeric' });
}

export function clock(time?: string): string {
  return time ? new Date(time).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'medium' }) : '—';
}

const LABELS: Record<State, string> = {
  cloning: 'Fetching',
  uploaded: 'Queued',
  building: 'Building',
  deployed: 'Ready',
  failed: 'Failed',
  cancelled: 'Cancelled',
};

export function badge(state: State): HTMLElement {
  return h(`span.badge.state-${state}`, { 'data-state': state, title: state }, h('span.dot'), LABELS[state] ?? state);
}

/** How long it waited in the queue: from uploaded until a builder took it (or until now). */
export function queueWait(d: Deployment): number | null {
  if (!d.uploadedAt) return null;
  if (d.buildStartedAt) return between(d.uploadedAt, d.buildStartedAt);
  return d.status === 'uploaded' ? sinceOrBetween(d.uploadedAt) : between(d.uploadedAt, d.finishedAt);
}

export function buildTime(d: Deployment): number | null {
  if (!d.buildStartedAt) return null;
  return d.status === 'building' ? sinceOrBetween(d.buildStartedAt) : between(d.buildStartedAt, d.finishedAt);
}

/** The repository's name for a URL: github.com/acme/shop for https://github.com/acme/shop.git. */
export function repoName(url: string): string {
  return url.replace(/^[a-z+]+:\/\//, '').replace(/\.git$/, '').replace(/\/$/, '');
}
