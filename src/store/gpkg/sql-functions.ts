import type Database from 'better-sqlite3';
import { blobEnvelope } from './geometry-blob';

/**
 * The SQL functions the GeoPackage R*Tree triggers call (OGC 12-128r18 Annex F.3):
 * ST_MinX/MaxX/MinY/MaxY and ST_IsEmpty. GDAL and QGIS register their own; any program that
 * writes a feature table must provide them. Deterministic, so SQLite may cache them.
 */
export function registerGpkgFunctions(db: Database.Database): void {
  const opts = { deterministic: true, directOnly: false } as const;
  const env = (i: 0 | 1 | 2 | 3) => (blob: Uint8Array | null) => {
    if (blob == null) return null;
    const e = blobEnvelope(blob);
    return e ? e[i] : null;
  };
  db.function('ST_MinX', opts, env(0));
  db.function('ST_MaxX', opts, env(1));
  db.function('ST_MinY', opts, env(2));
  db.function('ST_MaxY', opts, env(3));
  db.function('ST_IsEmpty', opts, (blob: Uint8Array | null) => {
    if (blob == null) return null;
    return blobEnvelope(blob) ? 0 : 1;
  });
}
