import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { importFile } from '../../../src/import/import-file';
import { DEPOSIT_COLUMNS, historyJson, insertValues, insertValuesToFeatureJson, rowToDeposit, rowToSurvey, type Layer, rowToFeature, rowToFeatureJson, SURVEY_COLUMNS } from '../../../src/store/columns';
import { decodeGeometry } from '../../../src/store/gpkg/geometry-blob';
import { afterSql } from '../../../src/store/history-after';
import { Project } from '../../../src/store/project';
import { FIXTURES, hasSharedData, sharedPath } from '../../helpers/data';

// An insert's after-image is not stored (after IS NULL); readers resolve it with afterSql, which
// builds it from the stored row with insertValuesToFeatureJson. It must be the stored row,
// exactly as rowToFeature reads it back.
async function checkImport(file: string, layer: Layer) {
  const dir = mkdtempSync(join(tmpdir(), 'outcrop-columns-'));
  const p = Project.open(join(dir, 'p.gpkg'), { create: true, actor: 'tester' });
  try {
    await importFile(p, file, { skipInvalid: true, worker: 'never' });
    const rows = p.db.prepare(`SELECT * FROM ${layer} ORDER BY fid`).all() as Record<string, any>[];
    expect(rows.length).toBeGreaterThan(0);
    expect(p.db.prepare("SELECT count(*) FROM outcrop_history WHERE action = 'insert' AND after IS NOT NULL").pluck().get()).toBe(0);
    const after = new Map(
      (p.db.prepare(`SELECT h.feature_id, ${afterSql()} AS after FROM outcrop_history h WHERE h.action = 'insert'`).all() as { feature_id: string; after: string }[]).map((h) => [h.feature_id, h.after]),
    );
    const cols = ['geom', ...(layer === 'deposits' ? DEPOSIT_COLUMNS : SURVEY_COLUMNS)];
    for (const row of rows) {
      const geometry = decodeGeometry(row.geom);
      const stored = after.get(row.id)!;
      expect(JSON.parse(stored)).toEqual(JSON.parse(historyJson(rowToFeature(layer, row))));
      const text = insertValuesToFeatureJson(layer, cols.map((c) => row[c]), JSON.stringify(geometry));
      expect(text).toBe(rowToFeatureJson(layer, row, geometry));
      expect(text).toBe(stored);
      // and the INSERT values are the row's columns in table order
      const rec = layer === 'deposits' ? rowToDeposit(row) : rowToSurvey(row);
      expect(insertValues(layer, row.id, rec as any, rec, row.geom)).toEqual(cols.map((c) => row[c]));
    }
  } finally {
    p.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('insertValuesToFeatureJson', () => {
  it('is the stored deposit row (real MinMod CSV excerpt: lists, extra, nulls)', async () => {
    await checkImport(join(FIXTURES, 'csv/in/minmod-excerpt.csv'), 'deposits');
  });

  it.skipIf(!hasSharedData)('is the stored survey row (real Earth MRI polygons)', async () => {
    await checkImport(sharedPath('polygons', 'usgs-earthmri-projects-nm-sw.geojson'), 'surveys');
  });
});
