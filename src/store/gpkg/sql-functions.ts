import type Database from 'better-sqlite3';
import { blobEnvelope } from './geometry-blob';

/**
 * The SQL functions the GeoPackage R*Tree triggers call (OGC 12-128r18 Annex F.3):
 * ST_MinX/MaxX/MinY/MaxY and ST_IsEmpty. GDAL and QGIS register their own; any program that
 * writes a feature table must provide them. Deterministic, so SQLite may cache them.
 */
export function registerGpkgFunctions(db: Database.Database): void {
  const opts = { deterministic: true, directOnly: false } as const;
  // Fast path: a little-endian 2D point blob with no envelope (what Outcrop writes for deposits)
  // has x at byte 13 and y at byte 21. The triggers call these 5 times per written row.
  const env = (i: 0 | 1 | 2 | 3) => (blob: Buffer | null) => {
    if (blob == null) return null;
    if (blob.length === 29 && blob[3] === 1 && blob[8] === 1 && blob[9] === 1 && blob[10] === 0) {
      const v = blob.readDoubleLE(i < 2 ? 13 : 21);
      return Number.isNaN(v) ? null : v;
    }
    const e = blobEnvelope(blob);
    return e ? e[i] : null;
  };
  db.function('ST_MinX', opts, env(0));
  db.function('ST_MaxX', opts, env(1));
  db.function('ST_MinY', opts, env(2));
  db.function('ST_MaxY', opts, env(3));
  db.function('ST_IsEmpty', opts, (blob: Buffer | null) => {
    if (blob == null) return null;
    if (blob.length === 29 && blob[3] === 1 && blob[8] === 1 && blob[9] === 1 && blob[10] === 0) {
      return Number.isNaN(blob.readDoubleLE(13)) ? 1 : 0;
    }
    return blobEnvelope(blob) ? 0 : 1;
  });
}
