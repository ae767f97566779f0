import { readSmallGeoJson } from '../formats/geojson/small-file';
import type { TextInputOptions } from '../formats/open-input';
import { basename } from 'node:path';
import { BadInputError, formatProblem } from '../errors';
import { validateGeometry } from '../geometry/validate';
import { parseCommodityList } from '../model/vocab/commodities';
import { isPermitStage, isSiteRole, PERMIT_STAGE_CODES, SITE_ROLE_CODES, type SiteRole } from '../compare/roles';
import { emptySiteFields, type SiteFields, type SiteGeometry } from './sites';

export interface SiteFromFile {
  /** The feature's own id when it has one (kept as the site id). */
  id?: string;
  fields: SiteFields;
  geometry: SiteGeometry;
}

/**
 * Read candidate sites from a GeoJSON file: Points or (Multi)Polygons with properties `name`,
 * `roles` (list or ';'-joined codes), `target_commodities` (symbols or names), `permit_stage`,
 * `notes`; anything else goes to `extra`. Every problem names the feature and the field; the
 * first one is thrown (a sites file is small and is fixed as a whole).
 */
export async function readSitesFile(path: string, opts: TextInputOptions = {}): Promise<SiteFromFile[]> {
  const file = basename(path);
  const json = await readSmallGeoJson(path, opts);
  const features: any[] = json?.type === 'FeatureCollection' ? (json.features ?? []) : json?.type === 'Feature' ? [json] : [];
  if (!features.length) throw new BadInputError(`${file}: expected a FeatureCollection of sites (Points or Polygons with a "name")`);
  return features.map((f, i) => {
    const at = { file, featureIndex: i, featureId: f?.id ?? undefined };
    const fail = (field: string, message: string): never => {
      throw new BadInputError(formatProblem({ ...at, field, message }));
    };
    const r = validateGeometry(f?.geometry, at);
    if (r.problems.length) throw new BadInputError(formatProblem(r.problems[0]));
    const g = r.geometry;
    if (!g || !['Point', 'Polygon', 'MultiPolygon'].includes(g.type)) fail('geometry', `a site must be a Point or a (Multi)Polygon, got ${g?.type ?? 'no geometry'}`);
    const { name, roles, target_commodities, permit_stage, notes, ...rest } = (f.properties ?? {}) as Record<string, any>;
    if (typeof name !== 'string' || !name.trim()) fail('name', `every site needs a name, got ${JSON.stringify(name ?? null)}`);
    const roleList: string[] = roles == null ? [] : Array.isArray(roles) ? roles.map(String) : String(roles).split(/[;,]/).map((s) => s.trim()).filter(Boolean);
    for (const role of roleList) if (!isSiteRole(role)) fail('roles', `"${role}" is not a site role; use ${SITE_ROLE_CODES.join(', ')}`);
    const commodities = parseCommodityList(target_commodities ?? null);
    if (commodities.unknown.length) fail('target_commodities', `"${commodities.unknown[0]}" is not a known commodity (use a symbol like Nd or a name like lithium)`);
    if (permit_stage != null && permit_stage !== '' && !isPermitStage(permit_stage)) fail('permit_stage', `${JSON.stringify(permit_stage)} is not a permit stage; use ${PERMIT_STAGE_CODES.join(', ')}`);
    const fields: SiteFields = {
      ...emptySiteFields(name.trim()),
      roles: roleList as SiteRole[],
      targetCommodities: commodities.codes,
      permitStage: permit_stage ? permit_stage : null,
      notes: notes == null ? null : String(notes),
      extra: rest,
    };
    return { id: f.id != null && f.id !== '' ? String(f.id) : undefined, fields, geometry: g as SiteGeometry };
  });
}
