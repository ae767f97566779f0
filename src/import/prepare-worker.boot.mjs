// Starts the import worker from TypeScript sources (CLI, web host, tests): a worker thread does
// not inherit the main thread's tsx loader, so it registers its own.
import { register } from 'tsx/esm/api';

register();
await import('./prepare-worker.ts');
