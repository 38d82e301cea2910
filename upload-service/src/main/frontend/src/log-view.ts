// A build log: ANSI colours rendered as colours, and only the lines in sight in the page, so a log of 10 MB
// (a hundred thousand lines and more) scrolls as fast as a short one. Colours are set through the DOM, never as
// inline style attributes, which the page's Content-Security-Policy forbids.
import Anser from 'anser';
import { h } from './dom';

const LINE_HEIGHT = 20;
const OVERSCAN = 30;
const ERROR = /(\berror\b|\bERR!|\bfailed\b|\bfatal\b|exited with code [1-9])/i;
// A line as the API gives it: its time, a space, the text the build printed.
const TIMED = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?Z) (.*)$/s;

// The 16 colours of a terminal as anser names them (for a black background), made readable on the log's dark
// grey; 256-colour and true-colour text keeps the colour it asked for.
const PALETTE: Record<string, string> = {
  '0, 0, 0': '#6e7681', '187, 0, 0': '#ff7b72', '0, 187, 0': '#3fb950', '187, 187, 0': '#d29922',
  '0, 0, 187': '#58a6ff', '187, 0, 187': '#bc8cff', '0, 187, 187': '#39c5cf', '255, 255, 255': '#e6edf3',
  '85, 85, 85': '#8b949e', '255, 85, 85': '#ffa198', '0, 255, 0': '#56d364', '255, 255, 85': '#e3b341',
  '85, 85, 255': '#79c0ff', '255, 85, 255': '#d2a8ff', '85, 255, 255': '#56d4dd',
};
const colour = (rgb: string) => PALETTE[rgb] ?? `rgb(${rgb})`;

interface Line {
  time: string;
  text: string;
  error: boolean;
}

export class LogView {
  readonly element: HTMLElement;
  private readonly viewport: HTMLElement;
  private readonly spacer: HTMLElement;
  private readonly rows: HTMLElement;
  private readonly counter: HTMLElement;
  private readonly lines: Line[] = [];
  private readonly errors: number[] = [];
  private following = true;
  private scheduled = false;

  constructor() {
    this.rows = h('div.log-rows');
    this.spacer = h('div.log-spacer', {}, this.rows);
    this.viewport = h('div.log-viewport', { tabindex: 0, role: 'log', 'aria-label': 'Build log' }, this.spacer);
    this.counter = h('span.muted', {}, '0 lines');
    const jump = h('button.small.ghost', { type: 'button', 'data-action': 'first-error' }, 'First error');
    jump.addEventListener('click', () => this.scrollToLine(this.errors[0] ?? 0));
    const bottom = h('button.small.ghost', { type: 'button' }, 'Follow ↓');
    bottom.addEventListener('click', () => {
      this.following = true;
      this.scrollToEnd();
    });
    this.element = h('div.log', {}, h('div.log-toolbar', {}, this.counter, h('span.spacer'), jump, bottom), this.viewport);
    this.viewport.addEventListener('scroll', () => {
      const atEnd = this.viewport.scrollTop + this.viewport.clientHeight >= this.viewport.scrollHeight - LINE_HEIGHT;
      this.following = atEnd;
      this.schedule();
    });
    new ResizeObserver(() => this.schedule()).observe(this.viewport);
  }

  /** Adds lines as the API gives them ("time text"); the view keeps to the end while it was there. */
  add(raw: string[]): void {
    for (const line of raw) {
      const match = TIMED.exec(line);
      const text = match ? match[2] : line;
      const error = ERROR.test(Anser.ansiToText(text));
      if (error) this.errors.push(this.lines.length);
      this.lines.push({ time: match ? match[1] : '', text, error });
    }
    this.schedule();
  }

  /** The whole text of a log, a line per line. */
  addText(text: string): void {
    const lines = text.split('\n');
    if (lines[lines.length - 1] === '') lines.pop();
    this.add(lines);
  }

  get errorCount(): number {
    return this.errors.length;
  }

  scrollToFirstError(): void {
    if (this.errors.length > 0) this.scrollToLine(this.errors[0]);
  }

  private scrollToLine(index: number): void {
    this.following = false;
    this.viewport.scrollTop = Math.max(0, index * LINE_HEIGHT - this.viewport.clientHeight / 3);
    this.schedule();
  }

  private scrollToEnd(): void {
    this.viewport.scrollTop = this.viewport.scrollHeight;
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    requestAnimationFrame(() => {
      this.scheduled = false;
      this.render();
    });
  }

  private render(): void {
    this.spacer.style.height = `${this.lines.length * LINE_HEIGHT}px`;
    // A short log takes the room it needs; a long one scrolls in a window of the screen's height.
    this.viewport.style.height = `min(62vh, 640px, ${this.lines.length * LINE_HEIGHT + 24}px)`;
    if (this.following) this.scrollToEnd();
    const first = Math.max(0, Math.floor(this.viewport.scrollTop / LINE_HEIGHT) - OVERSCAN);
    const last = Math.min(this.lines.length, Math.ceil((this.viewport.scrollTop + this.viewport.clientHeight) / LINE_HEIGHT) + OVERSCAN);
    this.rows.style.transform = `translateY(${first * LINE_HEIGHT}px)`;
    const rendered: HTMLElement[] = [];
    for (let index = first; index < last; index++) rendered.push(this.row(index));
    this.rows.replaceChildren(...rendered);
    this.counter.textContent = `${this.lines.length.toLocaleString()} lines` +
      (this.errors.length > 0 ? ` · ${this.errors.length} with errors` : '');
  }

  private row(index: number): HTMLElement {
    const line = this.lines[index];
    const text = h('span.log-text');
    for (const part of Anser.ansiToJson(line.text, { json: true, remove_empty: true })) {
      const span = document.createElement('span');
      span.textContent = part.content;
      if (part.fg) span.style.color = colour(part.fg);
      if (part.bg) span.style.backgroundColor = colour(part.bg);
      if (part.decorations.includes('bold')) span.classList.add('ansi-bold');
      if (part.decorations.includes('dim')) span.classList.add('ansi-dim');
      if (part.decorations.includes('italic')) span.classList.add('ansi-italic');
      if (part.decorations.includes('underline')) span.classList.add('ansi-underline');
      text.appendChild(span);
    }
    return h(`div.log-line${line.error ? '.error' : ''}`, {},
      h('span.log-number', {}, String(index + 1)),
      h('span.log-time', { title: line.time }, line.time ? line.time.slice(11, 19) : ''),
      text);
  }
}
