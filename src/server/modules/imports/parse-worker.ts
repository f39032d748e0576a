import { parentPort } from 'node:worker_threads';
import { AppError } from '../../http/errors.js';
import { runParseJob, type ParseJob } from './parse-jobs.js';

/** One parse job at a time; errors go back as data (an AppError keeps its code and Japanese message). */
parentPort!.on('message', (job: ParseJob) => {
  runParseJob(job).then(
    (result) => parentPort!.postMessage({ ok: true, result }),
    (e: unknown) =>
      parentPort!.postMessage({
        ok: false,
        error:
          e instanceof AppError
            ? { code: e.code, message: e.message, details: e.details }
            : { code: 'INTERNAL', message: e instanceof Error ? e.message : String(e) },
      }),
  );
});
