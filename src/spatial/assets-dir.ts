import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { OutcropError } from '../errors';

/**
 * The app's `assets/` folder, for core code that reads a shipped file (e.g. the basemap's
 * admin-area outlines). Where it is:
 *   - from the sources (CLI through tsx in a fresh clone, vitest): `src/spatial/../../assets`;
 *   - in the Electron bundle (dist/electron/main.cjs, CommonJS, no import.meta.url):
 *     `dist/electron/../../assets`, which packaged is inside app.asar (electron-builder.yml
 *     packs `assets/**`), or `process.resourcesPath/assets` (its extraResources copy);
 *   - `OUTCROP_ASSETS_DIR` overrides both.
 * `probe` is a file inside assets/ that must exist, so a wrong candidate is skipped.
 */
export function findAssetsDir(probe: string): string {
  const candidates: string[] = [];
  if (process.env.OUTCROP_ASSETS_DIR) candidates.push(resolve(process.env.OUTCROP_ASSETS_DIR));
  const url = import.meta.url as string | undefined;
  if (url && url.startsWith('file:')) candidates.push(resolve(dirname(fileURLToPath(url)), '../../assets'));
  if (typeof __dirname === 'string') candidates.push(resolve(__dirname, '../../assets'));
  const resources = (process as { resourcesPath?: string }).resourcesPath;
  if (resources) candidates.push(join(resources, 'assets'));
  const hit = candidates.find((d) => existsSync(join(d, probe)));
  if (!hit) throw new OutcropError('INTERNAL', `cannot find the app's assets (looked for ${probe} in ${candidates.join(', ') || 'no place'}); set OUTCROP_ASSETS_DIR`);
  return hit;
}
