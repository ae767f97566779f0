import type Database from 'better-sqlite3';
import { rtreeSql } from '../gpkg/rtree';
import type { Migration } from './types';

/**
 * Candidate sites for the planner's comparison (issue 5): a GeoPackage feature layer `sites`
 * (points or polygons, hence geometry type GEOMETRY) and the dated permit-review history
 * `outcrop_site_permits` as an attributes table.
 *
 * Site edits are recorded in `outcrop_ops.details` (before/after), not in `outcrop_history`:
 * that table's `layer` CHECK admits deposits/surveys only, and undo/redo/merge restore its
 * rows through code that knows those two layers only. Undo/redo revert site operations from
 * their details instead (`SiteChange` journal in src/store/sites.ts, used by history.ts).
 */
export const migration0004: Migration = {
  version: 4,
  name: 'candidate sites layer and permit review history',
  up(db: Database.Database) {
    db.exec(`
CREATE TABLE sites (
  fid INTEGER PRIMARY KEY AUTOINCREMENT,
  geom GEOMETRY,
  id TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  roles TEXT,
  target_commodities TEXT,
  permit_stage TEXT,
  notes TEXT,
  extra TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(extra)),
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  created_by TEXT,
  updated_by TEXT
);
INSERT INTO gpkg_contents (table_name, data_type, identifier, description, srs_id) VALUES
 ('sites', 'features', 'sites', 'Candidate sites (points or polygons) for mines, separation, processing …', 4326);
INSERT INTO gpkg_geometry_columns VALUES ('sites', 'geom', 'GEOMETRY', 4326, 0, 0);

CREATE TABLE outcrop_site_permits (
  permit_id INTEGER PRIMARY KEY,
  site_id TEXT NOT NULL REFERENCES sites(id) ON DELETE CASCADE,
  date TEXT NOT NULL,
  stage TEXT NOT NULL,
  note TEXT
) STRICT;
CREATE INDEX outcrop_site_permits_site ON outcrop_site_permits(site_id);
INSERT INTO gpkg_contents (table_name, data_type, identifier, description) VALUES
 ('outcrop_site_permits', 'attributes', 'outcrop_site_permits', 'Outcrop permit reviews of candidate sites (dated)');
`);
    db.exec(rtreeSql('sites', 'geom'));
  },
};
