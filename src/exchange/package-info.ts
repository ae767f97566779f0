import Database from 'better-sqlite3';
import { basename } from 'node:path';
import { codedError } from '../errors';
import { coded } from '../messages/en';
import type { Layer } from '../store/columns';

export interface PackageInfo {
  createdAt: string | null;
  createdBy: string | null;
  /** Properties of the package's records kept in `extra` (no field of their own), with how many records carry each. */
  extraFields: { layer: Layer; field: string; count: number }[];
}

/**
 * What an exchange package says about itself beyond the merge report: when and by whom it was
 * made, and which foreign properties its records carry in `extra` (a merge keeps them verbatim,
 * and the preview lists them so nothing is lost unseen). Read-only; the file is not changed.
 */
export function readPackageInfo(path: string): PackageInfo {
  let db: Database.Database;
  try {
    db = new Database(path, { readonly: true, fileMustExist: true });
  } catch (err) {
    throw codedError('BAD_INPUT', coded('package.cannotRead', { file: basename(path), detail: (err as Error).message }));
  }
  try {
    const meta = new Map((db.prepare(`SELECT key, value FROM outcrop_meta WHERE key LIKE 'package_%'`).all() as { key: string; value: string }[]).map((r) => [r.key, r.value]));
    const extraFields: PackageInfo['extraFields'] = [];
    for (const layer of ['deposits', 'surveys'] as const) {
      const rows = db
        .prepare(`SELECT j.key AS field, count(*) AS n FROM ${layer}, json_each(${layer}.extra) AS j GROUP BY j.key ORDER BY n DESC, j.key`)
        .all() as { field: string; n: number }[];
      for (const r of rows) extraFields.push({ layer, field: r.field, count: r.n });
    }
    return { createdAt: meta.get('package_created_at') ?? null, createdBy: meta.get('package_created_by') || null, extraFields };
  } catch (err) {
    throw codedError('BAD_INPUT', coded('package.notPackage', { file: basename(path), detail: (err as Error).message }));
  } finally {
    db.close();
  }
}
