import type Database from 'better-sqlite3';
import { dropOutsideEditTriggersSql, outsideEditTriggersSql } from '../outside-edits';
import type { Migration } from './types';

/**
 * GeoPackage requirement 119: an `attributes` table has an INTEGER PRIMARY KEY. Four of Outcrop's
 * tables had a text key (GDAL's validate_gpkg.py flagged them); each is rebuilt with an integer
 * `id` and its old key kept as a UNIQUE constraint, which every `ON CONFLICT(key)` still names.
 * SQLite's documented rebuild (new table, copy, drop, rename) with foreign keys off, as the
 * runner has them (reference_features.layer references outcrop_reference_layers(name), ON DELETE
 * CASCADE: dropping the old table with them on would empty it). The outside-edit triggers read
 * outcrop_meta, so they are put back after it is rebuilt.
 */
export const migration0008: Migration = {
  version: 8,
  name: 'integer primary keys for attribute tables (GeoPackage Req 119)',
  foreignKeysOff: true,
  up(db: Database.Database) {
    db.exec(`
${dropOutsideEditTriggersSql('deposits')}
${dropOutsideEditTriggersSql('surveys')}

CREATE TABLE outcrop_meta_new (
  id INTEGER PRIMARY KEY,
  key TEXT NOT NULL UNIQUE,
  value TEXT NOT NULL
) STRICT;
INSERT INTO outcrop_meta_new (key, value) SELECT key, value FROM outcrop_meta ORDER BY rowid;
DROP TABLE outcrop_meta;
ALTER TABLE outcrop_meta_new RENAME TO outcrop_meta;

CREATE TABLE outcrop_settings_new (
  id INTEGER PRIMARY KEY,
  key TEXT NOT NULL UNIQUE,
  value TEXT NOT NULL CHECK (json_valid(value))
) STRICT;
INSERT INTO outcrop_settings_new (key, value) SELECT key, value FROM outcrop_settings ORDER BY rowid;
DROP TABLE outcrop_settings;
ALTER TABLE outcrop_settings_new RENAME TO outcrop_settings;

CREATE TABLE outcrop_vocab_new (
  id INTEGER PRIMARY KEY,
  kind TEXT NOT NULL,
  code TEXT NOT NULL,
  label_en TEXT NOT NULL,
  label_ja TEXT NOT NULL,
  extra TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(extra)),
  UNIQUE (kind, code)
) STRICT;
INSERT INTO outcrop_vocab_new (kind, code, label_en, label_ja, extra) SELECT kind, code, label_en, label_ja, extra FROM outcrop_vocab ORDER BY rowid;
DROP TABLE outcrop_vocab;
ALTER TABLE outcrop_vocab_new RENAME TO outcrop_vocab;

CREATE TABLE outcrop_reference_layers_new (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE CHECK (length(trim(name)) > 0),
  role TEXT NOT NULL CHECK (role IN ('infrastructure', 'exclusion')),
  source_file TEXT,
  geometry_types TEXT,
  imported_at TEXT NOT NULL,
  imported_by TEXT
) STRICT;
INSERT INTO outcrop_reference_layers_new (name, role, source_file, geometry_types, imported_at, imported_by)
  SELECT name, role, source_file, geometry_types, imported_at, imported_by FROM outcrop_reference_layers ORDER BY rowid;
DROP TABLE outcrop_reference_layers;
ALTER TABLE outcrop_reference_layers_new RENAME TO outcrop_reference_layers;

${outsideEditTriggersSql('deposits')}
${outsideEditTriggersSql('surveys')}
`);
  },
};
