import type Database from 'better-sqlite3';
import { rtreeSql } from '../gpkg/rtree';
import type { Migration } from './types';

/** Columns shared by both feature layers: provenance and audit (see docs/data-model.md). */
const PROVENANCE_COLUMNS = `
  source TEXT,
  source_id TEXT,
  source_url TEXT,
  extra TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(extra)),
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  created_by TEXT,
  updated_by TEXT`;

export const migration0001: Migration = {
  version: 1,
  name: 'initial GeoPackage schema: deposits, surveys, history, vocabularies, settings',
  up(db: Database.Database) {
    db.exec(`
-- OGC GeoPackage core (OGC 12-128r18, GeoPackage 1.3)
CREATE TABLE gpkg_spatial_ref_sys (
  srs_name TEXT NOT NULL,
  srs_id INTEGER PRIMARY KEY,
  organization TEXT NOT NULL,
  organization_coordsys_id INTEGER NOT NULL,
  definition TEXT NOT NULL,
  description TEXT
);
INSERT INTO gpkg_spatial_ref_sys VALUES
 ('Undefined cartesian SRS', -1, 'NONE', -1, 'undefined', 'undefined cartesian coordinate reference system'),
 ('Undefined geographic SRS', 0, 'NONE', 0, 'undefined', 'undefined geographic coordinate reference system'),
 ('WGS 84 geodetic', 4326, 'EPSG', 4326,
  'GEOGCS["WGS 84",DATUM["WGS_1984",SPHEROID["WGS 84",6378137,298.257223563,AUTHORITY["EPSG","7030"]],AUTHORITY["EPSG","6326"]],PRIMEM["Greenwich",0,AUTHORITY["EPSG","8901"]],UNIT["degree",0.0174532925199433,AUTHORITY["EPSG","9122"]],AXIS["Latitude",NORTH],AXIS["Longitude",EAST],AUTHORITY["EPSG","4326"]]',
  'longitude/latitude coordinates in decimal degrees on the WGS 84 spheroid');

CREATE TABLE gpkg_contents (
  table_name TEXT NOT NULL PRIMARY KEY,
  data_type TEXT NOT NULL,
  identifier TEXT UNIQUE,
  description TEXT DEFAULT '',
  last_change DATETIME NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
  min_x DOUBLE, min_y DOUBLE, max_x DOUBLE, max_y DOUBLE,
  srs_id INTEGER,
  CONSTRAINT fk_gc_r_srs_id FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys(srs_id)
);

CREATE TABLE gpkg_geometry_columns (
  table_name TEXT NOT NULL,
  column_name TEXT NOT NULL,
  geometry_type_name TEXT NOT NULL,
  srs_id INTEGER NOT NULL,
  z TINYINT NOT NULL,
  m TINYINT NOT NULL,
  CONSTRAINT pk_geom_cols PRIMARY KEY (table_name, column_name),
  CONSTRAINT uk_gc_table_name UNIQUE (table_name),
  CONSTRAINT fk_gc_tn FOREIGN KEY (table_name) REFERENCES gpkg_contents(table_name),
  CONSTRAINT fk_gc_srs FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys (srs_id)
);

CREATE TABLE gpkg_extensions (
  table_name TEXT,
  column_name TEXT,
  extension_name TEXT NOT NULL,
  definition TEXT NOT NULL,
  scope TEXT NOT NULL,
  CONSTRAINT ge_tce UNIQUE (table_name, column_name, extension_name)
);

-- Feature layer: deposits (points). Not STRICT: GeoPackage needs the POINT column type.
CREATE TABLE deposits (
  fid INTEGER PRIMARY KEY AUTOINCREMENT,
  geom POINT,
  id TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  name_ja TEXT,
  name_romaji TEXT,
  alt_names TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(alt_names)),
  commodities_main TEXT,
  commodities_secondary TEXT,
  commodities_trace TEXT,
  deposit_type TEXT,
  deposit_type_text TEXT,
  status TEXT,
  resources TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(resources)),
  host_rock TEXT,
  host_rock_unit TEXT,
  ore_minerals TEXT,
  gangue_minerals TEXT,
  country TEXT,
  admin_area TEXT,
  county TEXT,
  region TEXT,
  agency TEXT,
  observer TEXT,
  survey_id TEXT,
  notes TEXT,${PROVENANCE_COLUMNS}
);
CREATE INDEX deposits_status ON deposits(status);
CREATE INDEX deposits_type ON deposits(deposit_type);
CREATE INDEX deposits_country ON deposits(country);
CREATE INDEX deposits_survey ON deposits(survey_id);

-- Feature layer: surveys. Polygons are promoted to MULTIPOLYGON on write (as ogr2ogr -nlt PROMOTE_TO_MULTI)
-- so QGIS and GDAL see one geometry type.
CREATE TABLE surveys (
  fid INTEGER PRIMARY KEY AUTOINCREMENT,
  geom MULTIPOLYGON,
  id TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  agency TEXT,
  team TEXT,
  country TEXT,
  methods TEXT,
  start_date TEXT,
  end_date TEXT,
  status TEXT,
  notes TEXT,${PROVENANCE_COLUMNS}
);
CREATE INDEX surveys_agency ON surveys(agency);

INSERT INTO gpkg_contents (table_name, data_type, identifier, description, srs_id) VALUES
 ('deposits', 'features', 'deposits', 'Mineral deposits, prospects and occurrences (points)', 4326),
 ('surveys', 'features', 'surveys', 'Survey areas (polygons)', 4326);
INSERT INTO gpkg_geometry_columns VALUES
 ('deposits', 'geom', 'POINT', 4326, 0, 0),
 ('surveys', 'geom', 'MULTIPOLYGON', 4326, 0, 0);

-- Outcrop's own tables, registered as GeoPackage "attributes" so the file stays valid.
CREATE TABLE outcrop_meta (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL
) STRICT;

CREATE TABLE outcrop_settings (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL CHECK (json_valid(value))
) STRICT;

-- One row per user-visible operation (an import, an edit, an undo): the unit of undo.
CREATE TABLE outcrop_ops (
  op_id INTEGER PRIMARY KEY,
  uuid TEXT NOT NULL UNIQUE,
  kind TEXT NOT NULL,
  label TEXT NOT NULL,
  actor TEXT,
  at TEXT NOT NULL,
  undoes INTEGER REFERENCES outcrop_ops(op_id),
  undone_by INTEGER REFERENCES outcrop_ops(op_id),
  details TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(details))
) STRICT;

-- Append-only change journal: every insert/update/delete of a feature with before/after state.
CREATE TABLE outcrop_history (
  seq INTEGER PRIMARY KEY,
  op_id INTEGER NOT NULL REFERENCES outcrop_ops(op_id),
  layer TEXT NOT NULL CHECK (layer IN ('deposits', 'surveys')),
  feature_id TEXT NOT NULL,
  action TEXT NOT NULL CHECK (action IN ('insert', 'update', 'delete')),
  before TEXT CHECK (before IS NULL OR json_valid(before)),
  after TEXT CHECK (after IS NULL OR json_valid(after))
) STRICT;
CREATE INDEX outcrop_history_op ON outcrop_history(op_id);
CREATE INDEX outcrop_history_feature ON outcrop_history(feature_id);

-- Provenance of imports: which file, when, by whom, how many features.
CREATE TABLE outcrop_sources (
  source_id INTEGER PRIMARY KEY,
  op_id INTEGER NOT NULL REFERENCES outcrop_ops(op_id),
  file_name TEXT NOT NULL,
  format TEXT NOT NULL,
  size_bytes INTEGER,
  layer TEXT,
  features_written INTEGER NOT NULL,
  features_rejected INTEGER NOT NULL,
  imported_at TEXT NOT NULL,
  imported_by TEXT
) STRICT;

-- Controlled vocabularies with English and Japanese labels (refreshed from the code on open).
CREATE TABLE outcrop_vocab (
  kind TEXT NOT NULL,
  code TEXT NOT NULL,
  label_en TEXT NOT NULL,
  label_ja TEXT NOT NULL,
  extra TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(extra)),
  PRIMARY KEY (kind, code)
) STRICT;

INSERT INTO gpkg_contents (table_name, data_type, identifier, description) VALUES
 ('outcrop_meta', 'attributes', 'outcrop_meta', 'Outcrop schema version and file identity'),
 ('outcrop_settings', 'attributes', 'outcrop_settings', 'Outcrop project settings'),
 ('outcrop_ops', 'attributes', 'outcrop_ops', 'Outcrop operations (unit of undo)'),
 ('outcrop_history', 'attributes', 'outcrop_history', 'Outcrop change history (before/after of every edit)'),
 ('outcrop_sources', 'attributes', 'outcrop_sources', 'Outcrop import provenance'),
 ('outcrop_vocab', 'attributes', 'outcrop_vocab', 'Outcrop controlled vocabularies (English/Japanese)');
`);
    db.exec(rtreeSql('deposits', 'geom'));
    db.exec(rtreeSql('surveys', 'geom'));
  },
};
