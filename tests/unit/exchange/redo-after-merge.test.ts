import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createPackage } from '../../../src/exchange/package';
import { mergePackage } from '../../../src/exchange/merge';
import { importFile } from '../../../src/import/import-file';
import { redo, redoTarget, undo, undoTarget } from '../../../src/store/history';
import { Project } from '../../../src/store/project';
import { getDeposit } from '../../../src/store/read';

// Undo and redo are this project's own: an undo the other team made, received in their package,
// is history of theirs, not something "Redo" here may replay.
const dir = mkdtempSync(join(tmpdir(), 'outcrop-redo-merge-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('redo after a merge', () => {
  it('never offers the other team\'s undo as a redo here', async () => {
    const a = Project.open(join(dir, 'a.gpkg'), { create: true, actor: 'team-a' });
    await importFile(a, 'tests/fixtures/geojson/japan-sites-first-3.geojson');
    a.close();
    copyFileSync(join(dir, 'a.gpkg'), join(dir, 'b.gpkg'));
    const A = Project.open(join(dir, 'a.gpkg'), { actor: 'team-a' });
    const B = Project.open(join(dir, 'b.gpkg'), { actor: 'team-b' });
    try {
      const id = A.db.prepare('SELECT id FROM deposits ORDER BY fid LIMIT 1').pluck().get() as string;
      const before = getDeposit(A, id)!;
      await A.write('edit', 'rename', (w) => w.updateDeposit(id, { ...before, name: 'Renamed by A' }, before.geometry));
      expect(undo(A)?.kind).toBe('undo');
      expect(redoTarget(A)?.kind).toBe('undo'); // A itself may redo its rename
      const pkg = await createPackage(A, join(dir, 'a-to-b.gpkg'));
      await mergePackage(B, pkg.file);
      expect(getDeposit(B, id)!.name).toBe(before.name);
      // A's ops arrived with their origin; none is B's to redo, and undo takes back the merge itself.
      expect(B.db.prepare(`SELECT count(*) FROM outcrop_ops WHERE kind = 'undo' AND origin IS NOT NULL`).pluck().get()).toBeGreaterThan(0);
      expect(redoTarget(B)).toBeUndefined();
      expect(redo(B)).toBeUndefined();
      expect(undoTarget(B)?.kind).toBe('merge');
    } finally {
      A.close();
      B.close();
    }
  });
});
