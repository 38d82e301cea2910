// The documented API of upload-service, as the dashboard calls it: JSON over fetch with the bearer token the user
// gave (kept for the browser session), and server-sent events read with fetch, since EventSource cannot send
// an Authorization header.
import { fetchEventSource, type EventSourceMessage } from '@microsoft/fetch-event-source';
import type { Caller, Delivery, Deployment, NotificationTarget, Project, ProjectDeployment, QueueView, SiteMove, State } from './model';

export * from './model';

const TOKEN_KEY = 'deploy-pipeline.token';

/** An answer other than 2xx, with the detail of its problem+json body. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    detail: string,
  ) {
    super(detail);
  }
}

let onUnauthorized: () => void = () => {};

export const token = {
  get: (): string | null => sessionStorage.getItem(TOKEN_KEY),
  set: (value: string) => sessionStorage.setItem(TOKEN_KEY, value),
  forget: () => sessionStorage.removeItem(TOKEN_KEY),
  /** Called when the API answers 401: the token is missing, wrong or revoked. */
  whenRefused: (handler: () => void) => (onUnauthorized = handler),
};

function headers(extra: Record<string, string> = {}): Record<string, string> {
  const value = token.get();
  return value ? { ...extra, Authorization: `Bearer ${value}` } : extra;
}

async function problem(response: Response): Promise<ApiError> {
  let detail = `${response.status} ${response.statusText}`;
  try {
    const body = await response.json();
    if (body && typeof body.detail === 'string') detail = body.detail;
  } catch {
    // not JSON: the status says enough
  }
  return new ApiError(response.status, detail);
}

async function call<T>(method: string, path: string, body?: unknown): Promise<T> {
  const response = await fetch(path, {
    method,
    headers: headers(body === undefined ? {} : { 'Content-Type': 'application/json' }),
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (response.status === 401) onUnauthorized();
  if (!response.ok) throw await problem(response);
  return (await response.json()) as T;
}

const get = <T>(path: string) => call<T>('GET', path);
const post = <T>(path: string, body: unknown = {}) => call<T>('POST', path, body);
const remove = <T>(path: string) => call<T>('DELETE', path);
const query = (params: Record<string, string | number | undefined>) =>
  new URLSearchParams(
    Object.entries(params).filter((entry): entry is [string, string | number] => entry[1] !== undefined && entry[1] !== '')
      .map(([key, value]) => [key, String(value)]),
  ).toString();

export const api = {
  /** Whether the API answers with the token held now (or without one): false on 401. */
  async check(): Promise<boolean> {
    const response = await fetch('/deployments?limit=1', { headers: headers() });
    if (response.status === 401) return false;
    if (!response.ok) throw await problem(response);
    return true;
  },
  deployments: (filters: { project?: string; branch?: string; state?: string; limit?: number }) =>
    get<Deployment[]>(`/deployments?${query(filters)}`),
  deployment: (id: string) => get<Deployment>(`/deployments/${encodeURIComponent(id)}`),
  deploy: (body: Record<string, unknown>) => post<{ id: string; status: State }>('/deploy', body),
  cancel: (id: string) => post<{ id: string; status: State }>(`/deployments/${encodeURIComponent(id)}/cancel`),
  redeploy: (id: string) => post<{ id: string; status: State }>(`/deployments/${encodeURIComponent(id)}/redeploy`),
  projects: () => get<Project[]>('/projects'),
  project: (name: string) => get<Project>(`/projects/${encodeURIComponent(name)}`),
  projectDeployments: (name: string, limit = 50) =>
    get<ProjectDeployment[]>(`/projects/${encodeURIComponent(name)}/deployments?limit=${limit}`),
  rollback: (name: string, id: string) => post<SiteMove>(`/projects/${encodeURIComponent(name)}/rollback`, { id }),
  /** The site serves that deployed deployment at once and its pin is lifted. */
  promote: (name: string, id: string) => post<SiteMove>(`/projects/${encodeURIComponent(name)}/promote`, { id }),
  /** Lifts the pin, leaving the site where it is until the next deployment moves it. */
  unpin: (name: string) => remove<SiteMove>(`/projects/${encodeURIComponent(name)}/pin`),
  notifications: (name: string) => get<NotificationTarget[]>(`/projects/${encodeURIComponent(name)}/notifications`),
  deliveries: (name: string, limit = 50) =>
    get<Delivery[]>(`/projects/${encodeURIComponent(name)}/notifications/deliveries?limit=${limit}`),
  queue: () => get<QueueView>('/queue'),
  /** Who the token held now is, and what its scope allows. */
  caller: () => get<Caller>('/caller'),
  requeue: (id: string) => post<{ id: string; status: State }>(`/dead-letters/${encodeURIComponent(id)}/requeue`),
  logUrl: (id: string) => `/deployments/${encodeURIComponent(id)}/logs`,
  /** The whole log as text (the stored one once the build has ended). */
  async log(id: string): Promise<string> {
    const response = await fetch(api.logUrl(id), { headers: headers() });
    if (response.status === 401) onUnauthorized();
    if (!response.ok) throw await problem(response);
    return response.text();
  },
};

export interface Stream {
  close(): void;
}

/**
 * Follows a server-sent events endpoint with the token, reconnecting with Last-Event-ID after a drop (the
 * library keeps the last id); {@code onEnd} is called for an `end` event, after which the stream is closed.
 */
export function follow(
  path: string,
  handlers: { onMessage: (message: EventSourceMessage) => void; onEnd?: (data: string) => void; onOpen?: () => void },
): Stream {
  const controller = new AbortController();
  let ended = false;
  void fetchEventSource(path, {
    headers: headers(),
    signal: controller.signal,
    openWhenHidden: true,
    async onopen(response) {
      if (response.status === 401) onUnauthorized();
      if (!response.ok) throw await problem(response);
      handlers.onOpen?.();
    },
    onmessage(message) {
      if (message.event === 'end') {
        ended = true;
        handlers.onEnd?.(message.data);
        controller.abort();
      } else {
        handlers.onMessage(message);
      }
    },
    onclose() {
      // The server closes a follow after an hour, or lets a slow client go: go on from the last id.
      if (!ended) throw new Error('closed');
    },
    onerror(error) {
      if (error instanceof ApiError && error.status < 500 && error.status !== 429) throw error; // do not retry
      return 3000;
    },
  }).catch(() => {});
  return { close: () => controller.abort() };
}
