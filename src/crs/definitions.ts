/**
 * proj4 definitions for the EPSG codes Outcrop knows without a network or a PROJ database.
 *
 * Parameters are those of the EPSG dataset (as printed by `projinfo EPSG:<code> -o PROJ`).
 * Datum shifts: JGD2000/JGD2011 and NAD83 are taken as identical to WGS 84 (EPSG's own
 * null transformations, e.g. EPSG:1826 "JGD2011 to WGS 84", accuracy ~1 m). NAD27 uses the
 * EPSG:1173 three-parameter shift (-8,160,176; "accuracy 4 m" in the EPSG dataset but
 * ~10–20 m in practice): proj4 without the NADCON grids is APPROXIMATE, tens of metres at
 * worst, yet far better than treating NAD27 as WGS 84 (up to ~100 m off in the West).
 */

const GRS80_NULL = '+ellps=GRS80 +towgs84=0,0,0,0,0,0,0';

/** Japan Plane Rectangular CS I–XIX origins [lat0, lon0] in degrees (MLIT notice No. 9, 2002). */
const JAPAN_ZONE_ORIGINS: ReadonlyArray<[number, number]> = [
  [33, 129.5], [33, 131], [36, 132 + 10 / 60], [33, 133.5], [36, 134 + 20 / 60],
  [36, 136], [36, 137 + 10 / 60], [36, 138.5], [36, 139 + 50 / 60], [40, 140 + 50 / 60],
  [44, 140.25], [44, 142.25], [44, 144.25], [26, 142], [26, 127.5],
  [26, 124], [26, 131], [20, 136], [26, 154],
];

/** proj4 string for a Japan Plane Rectangular zone (1–19); coordinates are easting, northing. */
export function japanZoneDefinition(zone: number): string {
  const [lat0, lon0] = JAPAN_ZONE_ORIGINS[zone - 1];
  return `+proj=tmerc +lat_0=${lat0} +lon_0=${lon0} +k=0.9999 +x_0=0 +y_0=0 ${GRS80_NULL} +units=m +no_defs`;
}

export interface CrsDefinition {
  code: number;
  name: string;
  proj4: string;
  /** Said to the user when the transformation is known to be approximate. */
  note?: string;
}

export const NAD27_NOTE =
  'NAD27 is converted with a 3-parameter datum shift (EPSG:1173), not the NADCON grids: positions may be off by ~10–20 m (tens of metres at worst)';

export const TOKYO_NOTE =
  'the Tokyo datum is converted with a 3-parameter datum shift (-146.414, 507.337, 680.507, as GDAL/PROJ without grids), not the TKY2JGD grid: positions may be off by several metres';

/**
 * Geographic CRSs of national datums tied to ITRF, within ~1–2 m of WGS 84: EPSG's own null
 * transformations (as PROJ uses without grids). GDAL names them in the GeoJSON it writes.
 */
const ITRF_DATUMS: Record<number, string> = {
  4258: 'ETRS89',
  4937: 'ETRS89',
  4283: 'GDA94',
  7844: 'GDA2020',
  4167: 'NZGD2000',
  4617: 'NAD83(CSRS)',
  4674: 'SIRGAS 2000',
  4490: 'China Geodetic Coordinate System 2000',
};

/** The definition for an EPSG code, or undefined when Outcrop does not know it. */
export function epsgDefinition(code: number): CrsDefinition | undefined {
  switch (code) {
    case 4326:
      return { code, name: 'WGS 84', proj4: '+proj=longlat +datum=WGS84 +no_defs' };
    case 4269:
      return { code, name: 'NAD83', proj4: `+proj=longlat ${GRS80_NULL} +no_defs` };
    case 4267:
      return { code, name: 'NAD27', proj4: '+proj=longlat +ellps=clrk66 +towgs84=-8,160,176,0,0,0,0 +no_defs', note: NAD27_NOTE };
    case 4301:
      return { code, name: 'Tokyo', proj4: '+proj=longlat +ellps=bessel +towgs84=-146.414,507.337,680.507,0,0,0,0 +no_defs', note: TOKYO_NOTE };
    case 4612:
      return { code, name: 'JGD2000', proj4: `+proj=longlat ${GRS80_NULL} +no_defs` };
    case 6668:
      return { code, name: 'JGD2011', proj4: `+proj=longlat ${GRS80_NULL} +no_defs` };
    case 4979:
      return { code: 4326, name: 'WGS 84', proj4: '+proj=longlat +datum=WGS84 +no_defs' };
    case 3857:
      return {
        code,
        name: 'WGS 84 / Pseudo-Mercator',
        proj4: '+proj=merc +a=6378137 +b=6378137 +lat_ts=0 +lon_0=0 +x_0=0 +y_0=0 +k=1 +units=m +nadgrids=@null +no_defs',
      };
  }
  const itrf = ITRF_DATUMS[code];
  if (itrf) return { code, name: itrf, proj4: `+proj=longlat ${GRS80_NULL} +no_defs` };
  if (code >= 6669 && code <= 6687) {
    const zone = code - 6668;
    return { code, name: `JGD2011 / Japan Plane Rectangular CS ${roman(zone)}`, proj4: japanZoneDefinition(zone) };
  }
  if (code >= 2443 && code <= 2461) {
    const zone = code - 2442;
    return { code, name: `JGD2000 / Japan Plane Rectangular CS ${roman(zone)}`, proj4: japanZoneDefinition(zone) };
  }
  if ((code >= 32601 && code <= 32660) || (code >= 32701 && code <= 32760)) {
    const south = code >= 32701;
    const zone = code % 100;
    return {
      code,
      name: `WGS 84 / UTM zone ${zone}${south ? 'S' : 'N'}`,
      proj4: `+proj=utm +zone=${zone}${south ? ' +south' : ''} +datum=WGS84 +units=m +no_defs`,
    };
  }
  if (code >= 26901 && code <= 26923) {
    const zone = code - 26900;
    return { code, name: `NAD83 / UTM zone ${zone}N`, proj4: `+proj=utm +zone=${zone} ${GRS80_NULL} +units=m +no_defs` };
  }
  return undefined;
}

function roman(n: number): string {
  const r = ['I', 'II', 'III', 'IV', 'V', 'VI', 'VII', 'VIII', 'IX', 'X', 'XI', 'XII', 'XIII', 'XIV', 'XV', 'XVI', 'XVII', 'XVIII', 'XIX'];
  return r[n - 1];
}

/**
 * EPSG code for an ESRI/GDAL .prj name (PROJCS["…"] / GEOGCS["…"]), for the names proj4
 * cannot map itself or maps without the datum shift, e.g. "JGD_2011_Japan_Zone_9" → 6677.
 */
export function epsgFromEsriName(name: string): number | undefined {
  const n = name.trim().replace(/[\s-]+/g, '_').toLowerCase();
  let m = /^jgd_?2011_japan_(?:zone|cs)_([0-9]+|[ivx]+)$/.exec(n) ?? /^jgd2011_\/_japan_plane_rectangular_cs_([ivx]+)$/.exec(n);
  if (m) return zoneOf(m[1], 6668);
  m = /^jgd_?2000_japan_(?:zone|cs)_([0-9]+|[ivx]+)$/.exec(n) ?? /^jgd2000_\/_japan_plane_rectangular_cs_([ivx]+)$/.exec(n);
  if (m) return zoneOf(m[1], 2442);
  m = /^(?:nad_?1983|nad83)_(?:\/_)?utm_zone_([0-9]+)n$/.exec(n);
  if (m && +m[1] >= 1 && +m[1] <= 23) return 26900 + +m[1];
  m = /^(?:wgs_?1984|wgs_84)_(?:\/_)?utm_zone_([0-9]+)([ns])$/.exec(n);
  if (m && +m[1] >= 1 && +m[1] <= 60) return (m[2] === 'n' ? 32600 : 32700) + +m[1];
  const simple: Record<string, number> = {
    gcs_wgs_1984: 4326, wgs_84: 4326, wgs84: 4326,
    gcs_north_american_1983: 4269, nad83: 4269,
    gcs_north_american_1927: 4267, nad27: 4267,
    gcs_jgd_2000: 4612, jgd2000: 4612,
    gcs_jgd_2011: 6668, jgd2011: 6668,
    gcs_tokyo: 4301, tokyo: 4301,
    wgs_1984_web_mercator_auxiliary_sphere: 3857, 'wgs_84_/_pseudo_mercator': 3857,
  };
  return simple[n];
}

function zoneOf(text: string, base: number): number | undefined {
  const romans = ['i', 'ii', 'iii', 'iv', 'v', 'vi', 'vii', 'viii', 'ix', 'x', 'xi', 'xii', 'xiii', 'xiv', 'xv', 'xvi', 'xvii', 'xviii', 'xix'];
  const zone = /^[0-9]+$/.test(text) ? Number(text) : romans.indexOf(text) + 1;
  return zone >= 1 && zone <= 19 ? base + zone : undefined;
}
