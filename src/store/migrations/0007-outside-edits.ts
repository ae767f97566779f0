import type Database from 'better-sqlite3';
import { outsideEditTriggersSql } from '../outside-edits';
import type { Migration } from './types';

/**
 * Changes made by other programs (QGIS, GDAL …) are logged by triggers and journaled by Outcrop's
 * next write (src/store/outside-edits.ts). The log keeps each changed row as it was: its geometry
 * blob and its other columns as a JSON array in table order (deposits/surveys as of schema 7).
 */
export const migration0007: Migration = {
  version: 7,
  name: 'log of edits made outside Outcrop',
  up(db: Database.Database) {
    db.exec(`
CREATE TABLE outcrop_outside_edits (
  id INTEGER PRIMARY KEY,
  layer TEXT NOT NULL CHECK (layer IN ('deposits', 'surveys')),
  action TEXT NOT NULL CHECK (action IN ('insert', 'update', 'delete')),
  fid INTEGER NOT NULL,
  feature_id TEXT,
  geom BLOB,
  vals TEXT
) STRICT;
INSERT INTO gpkg_contents (table_name, data_type, identifier, description) VALUES
 ('outcrop_outside_edits', 'attributes', 'outcrop_outside_edits', 'Outcrop: edits made by other programs, until Outcrop journals them in its history');
${outsideEditTriggersSql('deposits')}
${outsideEditTriggersSql('surveys')}
`);
  },
};
