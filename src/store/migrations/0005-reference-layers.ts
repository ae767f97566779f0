import type Database from 'better-sqlite3';
import { rtreeSql } from '../gpkg/rtree';
import type { Migration } from './types';

/**
 * Reference layers for the planner's comparison (issue 5): infrastructure (roads, ports, power
 * lines, processing plants …) and exclusion zones (protected areas) imported once from a file
 * and kept in the project, so they are there next time, offline.
 *
 * - `reference_features`: one GeoPackage feature layer for all of them (any geometry, hence
 *   GEOMETRY), each row tagged with its layer's name and role, the feature's name and its
 *   properties verbatim (JSON). QGIS/GDAL see it like `deposits` and `surveys`.
 * - `outcrop_reference_layers`: one row per layer (name, role, source file, its geometry types,
 *   who imported it when), an attributes table.
 *
 * Imports and deletions are recorded as operations (`outcrop_ops`, kind `reference-*`, the layer
 * and feature count in `details`), not in the feature journal; undo/redo came with migration 0006
 * (the rows they take out kept in a trash table).
 */
export const migration0005: Migration = {
  version: 5,
  name: 'reference layers (infrastructure, exclusion zones)',
  up(db: Database.Database) {
    db.exec(`
CREATE TABLE outcrop_reference_layers (
  name TEXT PRIMARY KEY NOT NULL CHECK (length(trim(name)) > 0),
  role TEXT NOT NULL CHECK (role IN ('infrastructure', 'exclusion')),
  source_file TEXT,
  geometry_types TEXT,
  imported_at TEXT NOT NULL,
  imported_by TEXT
) STRICT;
INSERT INTO gpkg_contents (table_name, data_type, identifier, description) VALUES
 ('outcrop_reference_layers', 'attributes', 'outcrop_reference_layers', 'Outcrop reference layers: name, role, source file, import time');

CREATE TABLE reference_features (
  fid INTEGER PRIMARY KEY AUTOINCREMENT,
  geom GEOMETRY,
  layer TEXT NOT NULL REFERENCES outcrop_reference_layers(name) ON DELETE CASCADE,
  role TEXT NOT NULL CHECK (role IN ('infrastructure', 'exclusion')),
  name TEXT,
  properties TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(properties))
);
CREATE INDEX reference_features_layer ON reference_features(layer);
INSERT INTO gpkg_contents (table_name, data_type, identifier, description, srs_id) VALUES
 ('reference_features', 'features', 'reference_features', 'Reference layers for site comparison: infrastructure (roads, ports, power lines …) and exclusion zones (protected areas)', 4326);
INSERT INTO gpkg_geometry_columns VALUES ('reference_features', 'geom', 'GEOMETRY', 4326, 0, 0);
`);
    db.exec(rtreeSql('reference_features', 'geom'));
  },
};
