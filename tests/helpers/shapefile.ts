import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { readShapefile } from '../../src/formats/shapefile/read';
import type { RawFeatureWithProblems } from '../../src/formats/types';
import { FIXTURES } from './data';

/** The Shapefile fixtures (made by GDAL from the real data; see tests/fixtures/shapefile). */
export const SHP = join(FIXTURES, 'shapefile');
export const ARIZONA = join(SHP, 'major-deposits-nad83-utm12n.zip');
export const PREFS = join(SHP, 'prefectures-cp932-jgd2011.zip');
export const NO_PRJ = join(SHP, 'no-prj.zip');
export const hasOgr = spawnSync('ogrinfo', ['--version']).status === 0;

/** Every feature of a Shapefile (zipped or plain .shp), in file order. */
export async function readAll(path: string, opts = {}): Promise<RawFeatureWithProblems[]> {
  const out: RawFeatureWithProblems[] = [];
  for await (const f of readShapefile(path, opts)) out.push(f);
  return out;
}
