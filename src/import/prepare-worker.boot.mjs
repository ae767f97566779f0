// Starts the import worker from TypeScript sources when no bundle of it can be made
// (worker-bundle.ts: esbuild missing, a read-only tree): a worker thread does not inherit the
// main thread's tsx loader, so it registers its own.
import { register } from 'tsx/esm/api';

register();
await import('./prepare-worker.ts');
