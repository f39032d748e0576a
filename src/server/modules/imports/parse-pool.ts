import { Worker } from 'node:worker_threads';
import { AppError, type ErrorCode } from '../../http/errors.js';
import type { ParseJob, ParseResult } from './parse-jobs.js';

/**
 * A few worker threads that read uploads and pastes and map them, one job each at a time. Each
 * worker has a heap cap (`resourceLimits`) and each job a time limit: a file that would take the
 * server's memory or time makes its worker run out or time out, the worker is thrown away and the
 * request gets a Japanese refusal — other users' requests never wait on it. Jobs beyond the workers
 * wait in a short queue; a full queue answers 503 at once.
 */

export interface ParsePoolOptions {
  workers: number;
  memoryMb: number;
  timeoutMs: number;
  queue: number;
}

interface Task {
  job: ParseJob;
  resolve(v: unknown): void;
  reject(e: unknown): void;
}

interface Slot {
  worker: Worker | null;
  task: Task | null;
  timer: NodeJS.Timeout | null;
}

// From the sources the worker is TypeScript, loaded through tsx; the built server (dist/server) has
// it bundled as parse-worker.js beside its own file.
const ENTRY = import.meta.url.endsWith('.ts')
  ? new URL('./parse-worker-entry.mjs', import.meta.url)
  : new URL('./parse-worker.js', import.meta.url);

export class ParsePool {
  private readonly slots: Slot[];
  private readonly waiting: Task[] = [];
  private closed = false;

  constructor(private readonly options: ParsePoolOptions) {
    this.slots = Array.from({ length: Math.max(1, options.workers) }, () => ({
      worker: null,
      task: null,
      timer: null,
    }));
  }

  run<J extends ParseJob>(job: J): Promise<ParseResult<J>> {
    if (this.closed) return Promise.reject(new AppError('INTERNAL', 'サーバーを停止しています'));
    return new Promise((resolve, reject) => {
      const task: Task = { job, resolve: resolve, reject };
      const free = this.slots.find((s) => s.task === null);
      if (free) this.start(free, task);
      else if (this.waiting.length >= this.options.queue)
        reject(
          new AppError('UNAVAILABLE', 'ファイルの読み込みが混み合っています。しばらくしてからもう一度お試しください'),
        );
      else this.waiting.push(task);
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const t of this.waiting.splice(0)) t.reject(new AppError('UNAVAILABLE', 'サーバーを停止しています'));
    await Promise.all(this.slots.map((s) => this.discard(s)));
  }

  private spawn(slot: Slot): Worker {
    const worker = new Worker(ENTRY, {
      resourceLimits: {
        maxOldGenerationSizeMb: this.options.memoryMb,
        maxYoungGenerationSizeMb: Math.min(64, Math.max(8, Math.floor(this.options.memoryMb / 8))),
      },
    });
    // A worker thrown away (timed out) may still report: only the slot's current worker counts.
    const current = () => slot.worker === worker;
    worker.on(
      'message',
      (m: {
        ok: boolean;
        result?: unknown;
        error?: { code: ErrorCode; message: string; details?: AppError['details'] };
      }) => {
        if (!current()) return;
        const task = this.finish(slot);
        if (!task) return;
        if (m.ok) task.resolve(m.result);
        else task.reject(new AppError(m.error!.code, m.error!.message, m.error!.details));
      },
    );
    worker.on('error', (err: Error & { code?: string }) => {
      if (!current()) return;
      const task = this.finish(slot);
      void this.discard(slot);
      task?.reject(
        err.code === 'ERR_WORKER_OUT_OF_MEMORY'
          ? new AppError(
              'VALIDATION',
              'ファイルが大きすぎるか複雑すぎるため、読み込みを中止しました。分けて取り込んでください',
            )
          : new AppError('INTERNAL', 'ファイルを読み込めませんでした'),
      );
    });
    worker.on('exit', () => {
      if (!current()) return;
      slot.worker = null;
      const task = this.finish(slot);
      task?.reject(
        new AppError(
          'VALIDATION',
          'ファイルが大きすぎるか複雑すぎるため、読み込みを中止しました。分けて取り込んでください',
        ),
      );
    });
    // An idle worker does not keep the process alive.
    worker.unref();
    return worker;
  }

  private start(slot: Slot, task: Task): void {
    slot.task = task;
    slot.worker ??= this.spawn(slot);
    slot.timer = setTimeout(() => {
      const t = this.finish(slot);
      void this.discard(slot);
      t?.reject(
        new AppError(
          'VALIDATION',
          `読み込みと照合に${Math.round(this.options.timeoutMs / 1000)}秒以上かかるため中止しました。表を分けるか、取り込み設定の正規表現を見直してください`,
        ),
      );
    }, this.options.timeoutMs);
    slot.worker.postMessage(task.job);
  }

  /** The slot's task, detached; the next waiting task starts on a (possibly new) worker. */
  private finish(slot: Slot): Task | null {
    const task = slot.task;
    if (slot.timer) clearTimeout(slot.timer);
    slot.timer = null;
    slot.task = null;
    const next = this.waiting.shift();
    if (next && !this.closed)
      queueMicrotask(() => (slot.task === null ? this.start(slot, next) : this.waiting.unshift(next)));
    return task;
  }

  private async discard(slot: Slot): Promise<void> {
    const w = slot.worker;
    slot.worker = null;
    if (w) await w.terminate();
  }
}

/** The same jobs in this thread, for the command line (one user, no one else to protect). */
export async function runInProcess<J extends ParseJob>(job: J): Promise<ParseResult<J>> {
  const { runParseJob } = await import('./parse-jobs.js');
  // runParseJob answers what its job's op produces (parse-jobs.ts); TypeScript cannot follow its switch
  // into the conditional ParseResult<J>, as the worker's untyped messages cannot either.
  return (await runParseJob(job)) as ParseResult<J>;
}
