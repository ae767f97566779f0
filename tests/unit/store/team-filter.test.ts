/**
 * The team filter (provenance) on real data: the 12 importable Earth MRI survey areas of New
 * Mexico and the Southwest, and the USGS major deposits of the world. The test gives a few
 * surveys a team, files every deposit lying in a survey under that survey (Turf decides), and
 * checks filterSql / iterateRows / countRows and the tiles against a brute-force filter in JS.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { MultiPolygon } from 'geojson';
import { booleanPointInPolygon } from '@turf/turf';
import { VectorTile } from '@mapbox/vector-tile';
import { PbfReader } from 'pbf';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { filterSchema } from '../../../src/api/contract';
import { importFile } from '../../../src/import/import-file';
import { decodeGeometry, decodePoint } from '../../../src/store/gpkg/geometry-blob';
import { Project } from '../../../src/store/project';
import { countRows, type FeatureFilter, getSurvey, iterateRows } from '../../../src/store/read';
import { projectStats } from '../../../src/store/stats';
import { getTile } from '../../../src/tiles';
import { hasSharedData, sharedPath } from '../../helpers/data';

const TEAMS = ['GSJ field team A', 'NMBGMR crew', 'USGS party 3'];

describe.skipIf(!hasSharedData)('team filter on real data', () => {
  let dir: string;
  let p: Project;
  /** The test's own record of what it wrote. */
  const surveyTeam = new Map<string, string | null>();
  const surveyAgency = new Map<string, string | null>();
  const depositSurvey = new Map<string, string | null>();
  const depositAgency = new Map<string, string | null>();

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'outcrop-team-'));
    p = Project.open(join(dir, 'team.gpkg'), { create: true, actor: 'test' });
    await importFile(p, sharedPath('deposits', 'usgs-major-deposits-world.geojson'));
    const mri = await importFile(p, sharedPath('polygons', 'usgs-earthmri-projects-nm-sw.geojson'), { layer: 'surveys', skipInvalid: true });
    expect(mri.written.surveys).toBe(12);
    const surveys = p.db.prepare('SELECT id, agency, geom FROM surveys ORDER BY fid').all() as { id: string; agency: string | null; geom: Buffer }[];
    // Teams on 9 of the 12 surveys, three of them each; the last three have none.
    surveys.forEach((s, i) => {
      surveyTeam.set(s.id, i < 9 ? TEAMS[i % 3] : null);
      surveyAgency.set(s.id, s.agency);
    });
    // Every deposit inside a survey area belongs to the first such survey (Turf decides).
    const areas = surveys.map((s) => ({ id: s.id, geom: decodeGeometry(s.geom) as MultiPolygon }));
    const deposits = p.db.prepare('SELECT id, agency, geom FROM deposits').all() as { id: string; agency: string | null; geom: Buffer }[];
    for (const d of deposits) {
      const pt = decodePoint(d.geom);
      depositSurvey.set(d.id, areas.find((a) => booleanPointInPolygon(pt, a.geom))?.id ?? null);
      depositAgency.set(d.id, d.agency);
    }
    await p.write('test', 'teams and survey membership', (w) => {
      for (const s of surveys) {
        const survey = getSurvey(p, s.id)!;
        if (surveyTeam.get(s.id)) w.updateSurvey(s.id, { ...survey, team: surveyTeam.get(s.id)! }, survey.geometry);
      }
      // The major deposits carry no agency: give every other deposit in a survey one.
      const set = p.db.prepare('UPDATE deposits SET survey_id = ?, agency = ? WHERE id = ?');
      let i = 0;
      for (const [id, sid] of depositSurvey) {
        if (!sid) continue;
        const agency = i++ % 2 ? 'NMBGMR' : depositAgency.get(id)!;
        set.run(sid, agency, id);
        depositAgency.set(id, agency);
      }
    });
  }, 120_000);

  afterAll(() => {
    p?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const ids = (layer: 'deposits' | 'surveys', f: FeatureFilter) => new Set([...iterateRows(p, layer, f)].map((r) => r.id as string));
  const expectedSurveys = (teams: string[], agencies?: (string | null)[]) =>
    new Set([...surveyTeam].filter(([id, t]) => t !== null && teams.includes(t) && (!agencies || agencies.includes(surveyAgency.get(id)!))).map(([id]) => id));
  const expectedDeposits = (teams: string[], agencies?: (string | null)[]) =>
    new Set(
      [...depositSurvey]
        .filter(([id, sid]) => sid !== null && teams.includes(surveyTeam.get(sid) ?? '') && (!agencies || agencies.includes(depositAgency.get(id)!)))
        .map(([id]) => id),
    );

  it('has real deposits in the survey areas, in teamed and unteamed surveys alike', () => {
    const inSurvey = [...depositSurvey.values()].filter(Boolean) as string[];
    expect(inSurvey.length).toBeGreaterThan(5);
    expect(inSurvey.some((sid) => surveyTeam.get(sid) === null)).toBe(true);
    expect(new Set(inSurvey.map((sid) => surveyTeam.get(sid)).filter(Boolean)).size).toBeGreaterThan(1);
  });

  it('keeps surveys of the chosen teams and deposits whose survey is of one of them', () => {
    for (const teams of [[TEAMS[0]], [TEAMS[1], TEAMS[2]], TEAMS, ['no such team']]) {
      const s = expectedSurveys(teams);
      const d = expectedDeposits(teams);
      expect(ids('surveys', { team: teams })).toEqual(s);
      expect(ids('deposits', { team: teams })).toEqual(d);
      expect(countRows(p, 'deposits', { team: teams })).toBe(d.size);
      expect(countRows(p, 'surveys', { team: teams })).toBe(s.size);
    }
    expect(expectedDeposits(TEAMS).size).toBeGreaterThan(0);
    // Deposits in no survey, or in a survey with no team, are never kept by a team filter.
    expect(expectedDeposits(TEAMS).size).toBeLessThan([...depositSurvey.values()].filter(Boolean).length);
  });

  it('ANDs the team with the agency filter', () => {
    const agency = [...depositAgency.values()].find((a) => a && expectedDeposits(TEAMS, [a]).size > 0)!;
    expect(agency).toBeTruthy();
    expect(ids('deposits', { team: TEAMS, agency: [agency] })).toEqual(expectedDeposits(TEAMS, [agency]));
    const sAgency = [...surveyAgency.values()][0]!;
    expect(ids('surveys', { team: TEAMS, agency: [sAgency] })).toEqual(expectedSurveys(TEAMS, [sAgency]));
  });

  it('lists the teams for the map filter and accepts them in the API filter', () => {
    const teams = projectStats(p).surveysByTeam;
    expect(teams.filter((t) => t.key !== null).map((t) => t.key).sort()).toEqual([...TEAMS].sort());
    expect(teams.find((t) => t.key === null)?.count).toBe(3);
    expect(filterSchema.parse({ team: [TEAMS[0]] })).toEqual({ team: [TEAMS[0]] });
  });

  it('filters the tiles, and a survey changing team changes the deposit tiles', async () => {
    const sum = (buf: Buffer | null) => {
      if (!buf) return 0;
      const t = new VectorTile(new PbfReader(buf));
      const layer = t.layers.deposit_clusters ?? t.layers.deposits;
      let n = 0;
      for (let i = 0; i < (layer?.length ?? 0); i++) n += Number(layer!.feature(i).properties.count ?? 1);
      return n;
    };
    const team = [TEAMS[0]];
    const before = expectedDeposits(team).size;
    expect(sum(getTile(p, 'deposits', 0, 0, 0, { filter: { team } }))).toBe(before);
    // Survey tiles at z5 over the Southwest (tiles x 4–7, y 11–14 cover 135°W–90°W, 21°N–49°N).
    const drawn = new Set<string>();
    for (let x = 4; x <= 7; x++) {
      for (let y = 11; y <= 14; y++) {
        const buf = getTile(p, 'surveys', 5, x, y, { filter: { team } });
        const layer = buf ? new VectorTile(new PbfReader(buf)).layers.surveys : undefined;
        for (let i = 0; i < (layer?.length ?? 0); i++) drawn.add(String(layer!.feature(i).properties.id));
      }
    }
    expect(drawn).toEqual(expectedSurveys(team));
    // Move a survey holding deposits to another team: the cached deposit tile must follow.
    const moved = [...surveyTeam].find(([id, t]) => t === TEAMS[1] && [...depositSurvey.values()].includes(id))?.[0];
    expect(moved).toBeTruthy();
    const survey = getSurvey(p, moved!)!;
    await p.write('test', 'team change', (w) => w.updateSurvey(moved!, { ...survey, team: TEAMS[0] }, survey.geometry));
    surveyTeam.set(moved!, TEAMS[0]);
    const after = expectedDeposits(team).size;
    expect(after).toBeGreaterThan(before);
    expect(sum(getTile(p, 'deposits', 0, 0, 0, { filter: { team } }))).toBe(after);
    expect(countRows(p, 'deposits', { team })).toBe(after);
  });
});
