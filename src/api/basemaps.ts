/**
 * The user's own offline basemaps (local MBTiles / PMTiles files) behind the API: added by path
 * (or a native dialog), remembered between runs in the settings folder, served by the hosts
 * under the app's own origin at BASEMAP_PATH_PREFIX (so the CSP still allows no other origin).
 */
import { createHash } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { codedError, errorKey, OutcropError } from '../errors';
import { coded } from '../messages/en';
import { type BasemapFile, openBasemapFile } from '../tiles/basemap-file';
import { BASEMAP_PATH_PREFIX, type BasemapInfo } from './contract';

const SETTINGS_FILE = 'basemaps.json';
const MAX_BASEMAPS = 20;

/** MIME type of a basemap tile by format. */
export const BASEMAP_MIME: Record<BasemapFile['format'], string> = {
  pbf: 'application/x-protobuf',
  png: 'image/png',
  jpg: 'image/jpeg',
  webp: 'image/webp',
};

/** `/basemaps/<id>/<z>/<x>/<y>.<ext>` → its parts, or null when it is not a basemap tile address. */
export function parseBasemapPath(path: string): { id: string; z: number; x: number; y: number } | null {
  if (!path.startsWith(BASEMAP_PATH_PREFIX)) return null;
  const m = /^([0-9a-f]{12})\/(\d{1,2})\/(\d{1,8})\/(\d{1,8})\.(pbf|png|jpg|webp)$/.exec(path.slice(BASEMAP_PATH_PREFIX.length));
  if (!m) return null;
  const [z, x, y] = [Number(m[2]), Number(m[3]), Number(m[4])];
  if (z > 24 || x >= 2 ** z || y >= 2 ** z) return null;
  return { id: m[1], z, x, y };
}

interface Entry {
  path: string;
  file: BasemapFile | null;
  error: string | null;
  /** The error's key and params, when the core coded it. */
  keyed?: { key: string; params: Record<string, string | number> };
}

export class BasemapRegistry {
  private entries = new Map<string, Entry>();
  private loaded: Promise<void> | null = null;

  constructor(private readonly settingsDir: string) {}

  async list(): Promise<BasemapInfo[]> {
    await this.load();
    return [...this.entries].map(([id, e]) => info(id, e));
  }

  async add(path: string): Promise<BasemapInfo> {
    await this.load();
    const abs = resolve(path);
    const id = idOf(abs);
    const existing = this.entries.get(id);
    if (existing?.file) return info(id, existing);
    if (!existing && this.entries.size >= MAX_BASEMAPS) throw codedError('USAGE', coded('basemap.tooMany', { max: MAX_BASEMAPS }));
    // Refused files are not remembered: openBasemapFile's error names the file and the reason.
    const file = await openBasemapFile(abs);
    const entry = { path: abs, file, error: null };
    this.entries.set(id, entry);
    await this.save();
    return info(id, entry);
  }

  async remove(id: string): Promise<void> {
    await this.load();
    const e = this.entries.get(id);
    if (!e) throw codedError('NOT_FOUND', coded('basemap.notFound', { id }));
    e.file?.close();
    this.entries.delete(id);
    await this.save();
  }

  /** One tile, uncompressed, with its MIME type; null when the file has none there. */
  async tile(id: string, z: number, x: number, y: number): Promise<{ data: Buffer; mime: string } | null> {
    await this.load();
    const f = this.entries.get(id)?.file;
    if (!f) throw codedError('NOT_FOUND', coded('basemap.notFound', { id }));
    if (z < f.minzoom || z > f.maxzoom) return null;
    const data = await f.tile(z, x, y);
    return data ? { data, mime: BASEMAP_MIME[f.format] } : null;
  }

  dispose(): void {
    for (const e of this.entries.values()) e.file?.close();
    this.entries.clear();
    this.loaded = null;
  }

  /** Reopen the remembered files once; one that is gone or broken stays listed with its error. */
  private load(): Promise<void> {
    this.loaded ??= (async () => {
      let paths: string[] = [];
      try {
        const json = JSON.parse(await readFile(join(this.settingsDir, SETTINGS_FILE), 'utf8')) as unknown;
        if (Array.isArray(json)) paths = json.filter((p): p is string => typeof p === 'string').slice(0, MAX_BASEMAPS);
      } catch {
        /* none remembered yet */
      }
      for (const path of paths) {
        const id = idOf(path);
        try {
          this.entries.set(id, { path, file: await openBasemapFile(path), error: null });
        } catch (err) {
          const keyed = err instanceof OutcropError ? errorKey(err) : undefined;
          this.entries.set(id, { path, file: null, error: err instanceof Error ? err.message : String(err), keyed });
        }
      }
    })();
    return this.loaded;
  }

  private async save(): Promise<void> {
    await mkdir(this.settingsDir, { recursive: true });
    await writeFile(join(this.settingsDir, SETTINGS_FILE), JSON.stringify([...this.entries.values()].map((e) => e.path), null, 2));
  }
}

/** A stable short id of a file path (the same file keeps its id, and its tiles their URL). */
function idOf(path: string): string {
  return createHash('sha256').update(path).digest('hex').slice(0, 12);
}

function info(id: string, e: Entry): BasemapInfo {
  const f = e.file;
  return {
    id,
    path: e.path,
    name: f?.name ?? basename(e.path),
    format: f?.format ?? null,
    minzoom: f?.minzoom ?? 0,
    maxzoom: f?.maxzoom ?? 0,
    bounds: f?.bounds ?? null,
    attribution: f?.attribution ?? null,
    vectorLayers: f?.vectorLayers.map((l) => l.id) ?? [],
    tiles: f ? `${BASEMAP_PATH_PREFIX}${id}/{z}/{x}/{y}.${f.format}` : null,
    error: e.error,
    ...(e.keyed ? { errorKey: e.keyed.key, errorParams: e.keyed.params } : {}),
  };
}
