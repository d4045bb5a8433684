// The PGlite worker thread when the bot runs from its TypeScript sources (npm run dev, tests): a worker takes no
// loader from its parent, so tsx is registered here before the worker module loads. The build runs
// dist/db/pglite-worker.js directly.
import { register } from 'tsx/esm/api';

register();
await import('./pglite-worker.ts');
