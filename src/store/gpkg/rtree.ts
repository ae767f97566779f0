/**
 * SQL for the gpkg_rtree_index extension on one feature table (OGC 12-128r18 Annex F.3,
 * the trigger set of GeoPackage 1.2/1.3 that GDAL also reads).
 */
export function rtreeSql(t: string, c: string, i = 'fid'): string {
  return `
CREATE VIRTUAL TABLE "rtree_${t}_${c}" USING rtree(id, minx, maxx, miny, maxy);
${rtreeTriggersSql(t, c, i)}
INSERT INTO gpkg_extensions (table_name, column_name, extension_name, definition, scope)
  VALUES ('${t}', '${c}', 'gpkg_rtree_index', 'http://www.geopackage.org/spec120/#extension_rtree', 'write-only');
`;
}

export const RTREE_TRIGGER_SUFFIXES = ['insert', 'update1', 'update2', 'update3', 'update4', 'delete'] as const;

/** The six standard triggers that keep rtree_<t>_<c> in step with <t>. */
export function rtreeTriggersSql(t: string, c: string, i = 'fid'): string {
  const r = `rtree_${t}_${c}`;
  const box = (row: 'NEW' | 'OLD') =>
    `${row}.${i}, ST_MinX(${row}.${c}), ST_MaxX(${row}.${c}), ST_MinY(${row}.${c}), ST_MaxY(${row}.${c})`;
  return `
CREATE TRIGGER "${r}_insert" AFTER INSERT ON "${t}"
  WHEN (NEW.${c} NOT NULL AND NOT ST_IsEmpty(NEW.${c}))
BEGIN
  INSERT OR REPLACE INTO "${r}" VALUES (${box('NEW')});
END;
CREATE TRIGGER "${r}_update1" AFTER UPDATE OF ${c} ON "${t}"
  WHEN OLD.${i} = NEW.${i} AND (NEW.${c} NOTNULL AND NOT ST_IsEmpty(NEW.${c}))
BEGIN
  INSERT OR REPLACE INTO "${r}" VALUES (${box('NEW')});
END;
CREATE TRIGGER "${r}_update2" AFTER UPDATE OF ${c} ON "${t}"
  WHEN OLD.${i} = NEW.${i} AND (NEW.${c} ISNULL OR ST_IsEmpty(NEW.${c}))
BEGIN
  DELETE FROM "${r}" WHERE id = OLD.${i};
END;
CREATE TRIGGER "${r}_update3" AFTER UPDATE ON "${t}"
  WHEN OLD.${i} != NEW.${i} AND (NEW.${c} NOTNULL AND NOT ST_IsEmpty(NEW.${c}))
BEGIN
  DELETE FROM "${r}" WHERE id = OLD.${i};
  INSERT OR REPLACE INTO "${r}" VALUES (${box('NEW')});
END;
CREATE TRIGGER "${r}_update4" AFTER UPDATE ON "${t}"
  WHEN OLD.${i} != NEW.${i} AND (NEW.${c} ISNULL OR ST_IsEmpty(NEW.${c}))
BEGIN
  DELETE FROM "${r}" WHERE id IN (OLD.${i}, NEW.${i});
END;
CREATE TRIGGER "${r}_delete" AFTER DELETE ON "${t}"
  WHEN OLD.${c} NOT NULL
BEGIN
  DELETE FROM "${r}" WHERE id = OLD.${i};
END;
`;
}

export function dropRtreeTriggersSql(t: string, c: string): string {
  return RTREE_TRIGGER_SUFFIXES.map((s) => `DROP TRIGGER "rtree_${t}_${c}_${s}";`).join('\n');
}
