/**
 * A progress bar on stderr for transfers large enough to wait for, drawn with `cli-progress` from got's
 * `uploadProgress` / `downloadProgress` events. It appears only once a transfer is known to exceed
 * {@link PROGRESS_THRESHOLD_BYTES} (by its announced size, or by the bytes moved so far when the size is not
 * announced), so small requests print nothing, and only when the caller decided stderr is a terminal.
 *
 * @module
 */
import { createRequire } from 'node:module';
import type { Writable } from 'node:stream';
import type cliProgress from 'cli-progress';

/**
 * Transfers below this size get no progress bar: 4 MiB.
 * @category CLI
 */
export const PROGRESS_THRESHOLD_BYTES = 4 * 1024 * 1024;

/**
 * got's progress event payload.
 * @category CLI
 */
export interface TransferProgressEvent {
  readonly transferred: number;
  readonly total?: number | undefined;
}

function humanBytes(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${unit === 0 ? value : value.toFixed(1)} ${units[unit]}`;
}

const requireCjs = createRequire(import.meta.url);
let loadedCliProgress: typeof cliProgress | null | undefined;

/**
 * cli-progress, loaded on the first transfer big enough for a bar: it is an optional dependency, so that
 * library users may omit it (`npm install --omit=optional`); without it the command draws no bar.
 */
function loadCliProgress(): typeof cliProgress | undefined {
  if (loadedCliProgress === undefined) {
    try {
      loadedCliProgress = requireCjs('cli-progress') as typeof cliProgress;
    } catch {
      loadedCliProgress = null;
    }
  }
  return loadedCliProgress ?? undefined;
}

/**
 * One direction of one transfer: created idle, drawn once it is big enough, stopped at the end.
 * @category CLI
 */
export class TransferProgress {
  readonly #stream: Writable;
  readonly #label: string;
  #bar: cliProgress.SingleBar | undefined;
  #knownTotal = false;

  /**
   * @param stream - where to draw (stderr)
   * @param label - `upload` or `download`
   */
  constructor(stream: Writable, label: 'upload' | 'download') {
    this.#stream = stream;
    this.#label = label;
  }

  /**
   * Records progress; draws or redraws the bar when the transfer is large enough.
   *
   * @param event - got's progress event
   */
  update(event: TransferProgressEvent): void {
    const total = event.total !== undefined && event.total > 0 ? event.total : undefined;
    if (this.#bar === undefined) {
      if ((total ?? event.transferred) < PROGRESS_THRESHOLD_BYTES || event.transferred === total) return;
      const bars = loadCliProgress();
      if (bars === undefined) return;
      this.#knownTotal = total !== undefined;
      this.#bar = new bars.SingleBar({
        stream: this.#stream,
        format: this.#knownTotal ? `${this.#label} [{bar}] {percentage}% | {done} of {size} | ETA {eta_formatted}` : `${this.#label} {done}`,
        barsize: 30,
        hideCursor: false,
        gracefulExit: false,
        // The caller decided the stream is a terminal; cli-progress would otherwise ask the stream itself.
        noTTYOutput: true,
        notTTYSchedule: 1000,
      });
      this.#bar.start(total ?? 0, event.transferred, { done: humanBytes(event.transferred), size: humanBytes(total ?? 0) });
      return;
    }
    this.#bar.update(this.#knownTotal ? Math.min(event.transferred, total ?? event.transferred) : event.transferred, { done: humanBytes(event.transferred) });
  }

  /** Draws the final state and releases the bar's timer. Safe to call more than once. */
  stop(): void {
    if (this.#bar === undefined) return;
    this.#bar.stop();
    this.#bar = undefined;
  }
}
