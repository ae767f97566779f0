import proj4 from 'proj4';
import { BadInputError } from '../errors';
import { coded } from '../messages/en';
import { EPSG_AREAS } from './areas';
import { epsgDefinition, epsgFromEsriName } from './definitions';

/** Where a CRS is used (EPSG's area of use), in WGS 84 degrees; west > east when it crosses 180°. */
export interface CrsArea {
  south: number;
  west: number;
  north: number;
  east: number;
  /** EPSG's description, e.g. "Japan - onshore and offshore.". */
  name: string;
}

/** A coordinate reference system Outcrop can convert from. */
export interface Crs {
  /** EPSG code when known. */
  code?: number;
  /** Human-readable name for messages, e.g. "JGD2011 / Japan Plane Rectangular CS IX". */
  name: string;
  /** proj4 definition (a +proj string or WKT that proj4 accepts). */
  proj4: string;
  /** Geographic (degrees) rather than projected (metres). */
  geographic: boolean;
  /** Set when the conversion is approximate (NAD27 without NADCON grids). */
  note?: string;
  /** A projected CRS's area of use, when Outcrop knows it (src/crs/areas.ts). */
  area?: CrsArea;
}

const WKT_START = /^\s*(PROJCS|GEOGCS|PROJCRS|GEOGCRS|GEODCRS|BOUNDCRS|COMPD_CS|COMPOUNDCRS|PROJECTEDCRS|GEOGRAPHICCRS)\s*\[/i;

/**
 * Resolve a CRS given as "EPSG:6677", "6677", "urn:ogc:def:crs:EPSG::6677", a "+proj=…"
 * string, or WKT / .prj text (OGC or ESRI flavour). `source` names the file (or option) in
 * messages. Unknown or unparsable → BadInputError: Outcrop never guesses a CRS silently.
 */
export function resolveCrs(input: string, source = 'CRS'): Crs {
  const text = input.trim();
  if (!text) throw new BadInputError(coded('crs.none', { source }));
  const code = /^(?:EPSG:{1,2}|urn:ogc:def:crs:EPSG:[0-9.]*:)?([0-9]{1,6})$/i.exec(text);
  if (code) return fromEpsg(Number(code[1]), source, text);
  if (/^\+proj=/.test(text)) return fromProj4(text, source, text);
  if (WKT_START.test(text)) return fromWkt(text, source);
  throw new BadInputError(coded('crs.notRecognised', { source, given: JSON.stringify(text.length > 80 ? text.slice(0, 80) + '…' : text) }));
}

function fromEpsg(code: number, source: string, given: string): Crs {
  const def = epsgDefinition(code);
  if (!def) {
    throw new BadInputError(coded('crs.unknownEpsg', { source, given: JSON.stringify(given) }));
  }
  const area = EPSG_AREAS[code];
  return {
    code,
    name: def.name,
    proj4: def.proj4,
    geographic: def.proj4.startsWith('+proj=longlat'),
    note: def.note,
    ...(area ? { area: { south: area[0], west: area[1], north: area[2], east: area[3], name: area[4] } } : {}),
  };
}

function fromProj4(def: string, source: string, given: string): Crs {
  let parsed: { projName?: string };
  try {
    parsed = proj4.Proj(def) as unknown as { projName?: string };
  } catch (e) {
    throw new BadInputError(coded('crs.badProj', { source, given: JSON.stringify(given), detail: (e as Error).message }));
  }
  if (!parsed || !parsed.projName) throw new BadInputError(coded('crs.badProjPlain', { source, given: JSON.stringify(given) }));
  return { name: given, proj4: def, geographic: parsed.projName === 'longlat' };
}

function fromWkt(wkt: string, source: string): Crs {
  // The top-level AUTHORITY["EPSG","6677"] (WKT1) or ID["EPSG",6677] (WKT2) is the surest key.
  const authority = /(?:AUTHORITY|ID)\s*\[\s*"EPSG"\s*,\s*"?([0-9]+)"?\s*\]\s*\]\s*$/i.exec(wkt);
  if (authority && epsgDefinition(Number(authority[1]))) return fromEpsg(Number(authority[1]), source, wkt);
  // ESRI .prj files carry only names, e.g. PROJCS["JGD_2011_Japan_Zone_9", …].
  const name = /^\s*[A-Z]+\s*\[\s*"([^"]*)"/i.exec(wkt)?.[1];
  const esri = name !== undefined ? epsgFromEsriName(name) : undefined;
  if (esri !== undefined) return fromEpsg(esri, source, wkt);
  let parsed: { projName?: string; datumCode?: string; datum_params?: unknown } | undefined;
  try {
    parsed = proj4.Proj(wkt) as unknown as typeof parsed;
  } catch (e) {
    throw new BadInputError(name ? coded('crs.badWktNamed', { source, name, detail: (e as Error).message }) : coded('crs.badWkt', { source, detail: (e as Error).message }));
  }
  if (!parsed?.projName) throw new BadInputError(name ? coded('crs.badWktNamedPlain', { source, name }) : coded('crs.badWktPlain', { source }));
  return { name: name ?? 'WKT', proj4: wkt, geographic: parsed.projName === 'longlat' };
}
