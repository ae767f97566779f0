/**
 * Field mappings remembered per source schema (src/import/inspect.ts schemaSignature), so the
 * next import of the same kind of file (next week's export from the same team) maps the same
 * way without asking again. A small JSON file in the settings folder.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { FieldMap } from '../import/field-map';

const FILE = 'field-mappings.json';
const MAX_REMEMBERED = 200;

interface Remembered {
  map: FieldMap;
  /** The file it was last used for (shown to the user). */
  file: string;
  at: string;
}

export class FieldMappingStore {
  constructor(private readonly settingsDir: string) {}

  async get(signature: string): Promise<(Remembered & { signature: string }) | null> {
    const all = await this.read();
    const r = all[signature];
    return r ? { ...r, signature } : null;
  }

  async remember(signature: string, map: FieldMap, file: string): Promise<void> {
    const all = await this.read();
    delete all[signature];
    all[signature] = { map, file, at: new Date().toISOString() };
    // Oldest first in insertion order: keep the most recent ones.
    const keys = Object.keys(all);
    for (const k of keys.slice(0, Math.max(0, keys.length - MAX_REMEMBERED))) delete all[k];
    await mkdir(this.settingsDir, { recursive: true });
    await writeFile(join(this.settingsDir, FILE), JSON.stringify(all, null, 2));
  }

  private async read(): Promise<Record<string, Remembered>> {
    try {
      const json = JSON.parse(await readFile(join(this.settingsDir, FILE), 'utf8')) as unknown;
      return json && typeof json === 'object' && !Array.isArray(json) ? (Object.assign(Object.create(null), json) as Record<string, Remembered>) : {};
    } catch {
      return {};
    }
  }
}
