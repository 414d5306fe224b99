// The file Piscina starts each worker with. Piscina loads it with require(); on Node 20, a
// require() of an ES module (the rest of this package) aborts the whole process with a V8 fatal
// error ("Module::IsGraphAsync must be used on an instantiated module") when the pool is
// destroyed while a worker is still loading, which a fast exit (one bad file) does. This entry is
// CommonJS and loads nothing at start; the ES module worker is imported on the first task, with
// the asynchronous import() that terminating a worker does not break.
import type { ScanTask } from './scan-task.js';

let worker: Promise<typeof import('./scan-worker.js')> | undefined;

function scanWorkerEntry(task: ScanTask): Promise<unknown> {
  worker ??= import('./scan-worker.js');
  return worker.then((loaded) => loaded.default(task));
}

export = scanWorkerEntry;
