import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { decodePoint, encodeGeometry } from '../../src/store/gpkg/geometry-blob';
import { FIXTURES } from './data';

/** The 21 real Kantō sites in EPSG:6677 (tests/fixtures/crs/README.md), layer `japan_sites_ix`. */
export const JAPAN_IX_GPKG = join(FIXTURES, 'gpkg', 'japan-sites-jgd2011-ix.gpkg');

/**
 * A copy of the Kantō GeoPackage at `file` with an `id` column (the record ids) and the fifth
 * site's coordinates multiplied by `factor` (a unit mistake: 100 for centimetres, 1000 for
 * millimetres). Returns the position written and that site's record id.
 */
export function japanGpkgWithScaledSite(file: string, factor: number): { given: number[]; recordId: string } {
  copyFileSync(JAPAN_IX_GPKG, file);
  const db = new Database(file);
  try {
    db.exec('ALTER TABLE japan_sites_ix ADD COLUMN id TEXT; UPDATE japan_sites_ix SET id = record_id');
    const row = db.prepare('SELECT fid, geom, record_id FROM japan_sites_ix ORDER BY fid LIMIT 1 OFFSET 4').get() as { fid: number; geom: Buffer; record_id: string };
    const given = decodePoint(row.geom).map((v) => v * factor);
    db.prepare('UPDATE japan_sites_ix SET geom = ? WHERE fid = ?').run(encodeGeometry({ type: 'Point', coordinates: given }, 6677), row.fid);
    return { given, recordId: row.record_id };
  } finally {
    db.close();
  }
}
