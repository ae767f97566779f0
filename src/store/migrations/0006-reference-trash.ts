import type Database from 'better-sqlite3';
import type { Migration } from './types';

/**
 * Undo and redo of reference-layer imports, replacements and deletions (src/store/reference-layers.ts).
 * A layer can hold 100,000 road segments, so an operation does not copy it into its `details`
 * JSON: the rows an operation took out of `reference_features` / `outcrop_reference_layers` are
 * moved here, raw (fid and geometry blob as they were), tagged with the operation and the state
 * they belong to, with the feature's R*Tree box as it was (null: none, an empty geometry), so that
 * putting 100,000 features back does not recompute 100,000 boxes through the triggers:
 *
 * - `before`: what the operation replaced or deleted (taken out by the operation itself, or put
 *   back here by the redo of its undo);
 * - `after`: what the operation wrote (taken out by its undo).
 *
 * For each operation exactly one of its two states is in the layers and the other is here; undo
 * and redo swap them (`swapReferenceState`). Rows stay as long as the operation could be undone
 * or redone (src/store/history.ts purgeUnreachableReferenceTrash drops the rest). Both tables are GeoPackage `attributes` tables.
 */
export const migration0006: Migration = {
  version: 6,
  name: 'reference layer trash (undo/redo of reference imports and deletions)',
  up(db: Database.Database) {
    db.exec(`
CREATE TABLE outcrop_reference_trash (
  id INTEGER PRIMARY KEY,
  op_id INTEGER NOT NULL REFERENCES outcrop_ops(op_id),
  state TEXT NOT NULL CHECK (state IN ('before', 'after')),
  fid INTEGER NOT NULL,
  geom BLOB,
  layer TEXT NOT NULL,
  role TEXT NOT NULL,
  name TEXT,
  properties TEXT NOT NULL,
  minx REAL,
  maxx REAL,
  miny REAL,
  maxy REAL,
  UNIQUE (op_id, state, fid)
) STRICT;
INSERT INTO gpkg_contents (table_name, data_type, identifier, description) VALUES
 ('outcrop_reference_trash', 'attributes', 'outcrop_reference_trash', 'Outcrop reference features taken out by an operation or its undo, kept for undo/redo (raw GeoPackage geometry blobs)');

CREATE TABLE outcrop_reference_trash_layers (
  id INTEGER PRIMARY KEY,
  op_id INTEGER NOT NULL REFERENCES outcrop_ops(op_id),
  state TEXT NOT NULL CHECK (state IN ('before', 'after')),
  name TEXT NOT NULL,
  role TEXT NOT NULL,
  source_file TEXT,
  geometry_types TEXT,
  imported_at TEXT NOT NULL,
  imported_by TEXT,
  UNIQUE (op_id, state, name)
) STRICT;
INSERT INTO gpkg_contents (table_name, data_type, identifier, description) VALUES
 ('outcrop_reference_trash_layers', 'attributes', 'outcrop_reference_trash_layers', 'Outcrop reference layer rows taken out by an operation or its undo, kept for undo/redo');
`);
  },
};
