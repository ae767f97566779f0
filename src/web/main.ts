/**
 * `npm run web` — Outcrop in a browser, where the Electron shell cannot start. Serves the built
 * renderer (run `npm run build:renderer` first; `npm run web` does) on 127.0.0.1 and prints the URL.
 *
 *   node --import tsx src/web/main.ts [--port 8642] [--open project.gpkg] [--data-dir dir]
 */
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { defaultHostDirs, startWebHost } from './host';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: '0' },
      open: { type: 'string' },
      'data-dir': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    console.log('usage: npm run web -- [--port <n>] [--open <project.gpkg>] [--data-dir <dir>]');
    return;
  }
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    console.error(`--port must be a whole number 0–65535, got "${values.port}"`);
    process.exitCode = 2;
    return;
  }
  const root = resolve(import.meta.dirname, '../..');
  const { rendererDir, assetsDir } = defaultHostDirs(root);
  if (!existsSync(join(rendererDir, 'index.html'))) {
    console.error(`no built renderer in ${rendererDir}: run "npm run build:renderer" first`);
    process.exitCode = 2;
    return;
  }
  const version = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string }).version;
  const dataDir = resolve(values['data-dir'] ?? process.env.OUTCROP_DATA_DIR ?? join(homedir(), '.outcrop', 'web'));
  const host = await startWebHost({ port, rendererDir, assetsDir, dataDir, version });

  if (values.open) {
    const r = await host.service.call('project.open', { path: resolve(values.open) });
    if (!r.ok) console.error(`could not open ${values.open}: ${r.error.message}`);
    else if (r.value) console.error(`opened ${r.value.path} (${r.value.counts.deposits} deposits, ${r.value.counts.surveys} surveys)`);
  }
  console.log(`Outcrop is running at ${host.url}  (Ctrl-C to stop)`);

  const stop = () => {
    void host.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : String(err));
  process.exitCode = 1;
});
