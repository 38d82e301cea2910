// What the API answers, field by field as the README documents it; optional fields are those a service leaves out
// when they do not apply (or, for previews, pins, schedules and retention, when it does not have them).
export type State = 'cloning' | 'uploaded' | 'building' | 'deployed' | 'failed' | 'cancelled';
export const STATES: State[] = ['cloning', 'uploaded', 'building', 'deployed', 'failed', 'cancelled'];
export const FINAL: ReadonlySet<string> = new Set(['deployed', 'failed', 'cancelled']);

export interface Deployment {
  id: string;
  repoUrl: string;
  ref?: string;
  branch?: string;
  commit?: string;
  project?: string;
  status: State;
  error?: string;
  createdAt: string;
  uploadedAt?: string;
  buildStartedAt?: string;
  finishedAt?: string;
  attempts: number;
  queuePosition?: number;
  url?: string;
}

export interface Project {
  name: string;
  repoUrl: string;
  branch?: string;
  rootDirectory?: string;
  installCommand?: string;
  buildCommand?: string;
  outputDirectory?: string;
  env: string[];
  spaFallback: boolean;
  createdAt: string;
  deployment?: string;
  url: string;
  /** Which branches get a preview: "all", "none" or patterns (with branch previews). */
  previewBranches?: string | string[];
  previews?: Preview[];
  /** The deployment a rollback pinned the site to, while it is pinned. */
  pinned?: string;
  /** A cron schedule that deploys the branch, its time zone and its next run (with scheduled rebuilds). */
  schedule?: string;
  timeZone?: string;
  nextRun?: string;
  /** How many of its newest deployments retention keeps. */
  keep?: number;
}

export interface Preview {
  branch: string;
  alias: string;
  url: string;
  deployment?: string;
}

/** A notification target as the API lists it: never its secret or token, a Slack URL as its host only. */
export interface NotificationTarget {
  id: string;
  type: 'webhook' | 'slack' | 'github';
  url: string;
  events: string[];
  hasSecret: boolean;
  hasToken: boolean;
  createdAt: string;
}

export interface Delivery {
  id: string;
  target: string;
  type: string;
  event: string;
  deployment?: string;
  state: 'pending' | 'delivered' | 'failed';
  attempts: number;
  createdAt: string;
  lastAttemptAt?: string;
  lastStatus?: number;
  lastResponse?: string;
  lastError?: string;
  nextAttemptAt?: string;
  deliveredAt?: string;
}

export interface SiteMove {
  project: string;
  id: string;
  pinned: boolean;
}

export interface ProjectDeployment {
  id: string;
  status: State;
  ref?: string;
  commit?: string;
  createdAt: string;
  finishedAt?: string;
  error?: string;
  current: boolean;
}

export interface QueueView {
  length: number;
  building: number;
  waiting: { id: string; position: number }[];
  consumers: { consumer: string; replica: string; alive: boolean; heartbeatAt?: string; building: string[] }[];
  deadLetters: { id: string; project?: string; error?: string; finishedAt?: string }[];
  lastHour: {
    deployed: number;
    failed: number;
    cancelled: number;
    queueLength: { at: string; length: number }[];
    builds: { id: string; state: State; finishedAt: string; seconds: number }[];
  };
}

export interface Move {
  id: string;
  state: State;
  previous?: State;
  project?: string;
  at: string;
}

/** Who the token is, as GET /caller answers. */
export interface Caller {
  name: string;
  scope: 'read' | 'deploy' | 'admin';
  /** The projects a deploy token is limited to; absent when it may deploy any. */
  projects?: string[];
}
