// One connection to GET /events for the whole page, whatever view listens: every move of every deployment.
import { follow, type Move, type Stream } from './api';

type Listener = (move: Move) => void;

const listeners = new Set<Listener>();
const statusListeners = new Set<(connected: boolean) => void>();
let stream: Stream | null = null;

function connect(): void {
  stream = follow('/events', {
    onOpen: () => statusListeners.forEach((listener) => listener(true)),
    onMessage: (message) => {
      if (message.event !== 'deployment') return;
      const move = JSON.parse(message.data) as Move;
      listeners.forEach((listener) => listener(move));
    },
  });
}

export const live = {
  /** Calls {@code listener} with each move from now on; returns how to stop. */
  subscribe(listener: Listener): () => void {
    listeners.add(listener);
    if (stream === null) connect();
    return () => listeners.delete(listener);
  },
  onStatus(listener: (connected: boolean) => void): void {
    statusListeners.add(listener);
  },
  stop(): void {
    stream?.close();
    stream = null;
  },
};

/** Calls {@code task} at most once per {@code ms}, the last call winning. */
export function throttle(task: () => void, ms: number): () => void {
  let timer: number | null = null;
  return () => {
    if (timer !== null) return;
    timer = window.setTimeout(() => {
      timer = null;
      task();
    }, ms);
  };
}

/**
 * Reads of one page that may answer out of order: {@link begin} starts one and returns whether it is still the
 * newest when it answers (only that one is shown), and {@code element} is `aria-busy` while any is under way, so a
 * reader (or a test) knows when the page has settled.
 */
export function newestRead(element: HTMLElement): { begin(): { isNewest(): boolean; end(): void } } {
  let started = 0;
  let underWay = 0;
  return {
    begin() {
      const read = ++started;
      underWay++;
      element.setAttribute('aria-busy', 'true');
      return {
        isNewest: () => read === started,
        end: () => {
          underWay--;
          if (underWay === 0) element.setAttribute('aria-busy', 'false');
        },
      };
    },
  };
}
