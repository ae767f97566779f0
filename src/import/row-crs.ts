import { type Crs, resolveCrs } from '../crs/resolve';
import { convertFeature, toWgs84, type ToWgs84 } from '../crs/to-wgs84';
import { coded } from '../messages/en';
import type { RawFeatureWithProblems } from '../formats/types';
import { isRowCrsColumnName } from '../formats/csv/columns';


/** Names such columns use instead of codes. */
const CRS_NAMES: Record<string, string> = {
  wgs84: 'EPSG:4326',
  'wgs 84': 'EPSG:4326',
  'wgs-84': 'EPSG:4326',
  crs84: 'EPSG:4326',
  'ogc:crs84': 'EPSG:4326',
  'urn:ogc:def:crs:ogc:1.3:crs84': 'EPSG:4326',
  nad27: 'EPSG:4267',
  'nad 27': 'EPSG:4267',
  nad83: 'EPSG:4269',
  'nad 83': 'EPSG:4269',
  jgd2000: 'EPSG:4612',
  jgd2011: 'EPSG:6668',
  tokyo: 'EPSG:4301',
};

/** What a CRS column's value means: WGS 84 already, a conversion, or an error. */
type Resolved = { wgs84: true } | { wgs84: false; crs: Crs; convert: ToWgs84; rows: number } | { error: string };

/** A CRS a CSV's CRS column named, with how many rows it converted (ImportResult.rowCrs). */
export interface RowCrsUse {
  column: string;
  name: string;
  code?: number;
  note?: string;
  rows: number;
}

/**
 * Coordinates whose CRS a column of the row names (MinMod's `crs`: 7,720 of its 110,459 sites are
 * NAD27, EPSG:4267, the rest WGS 84): each row is converted from its own CRS to WGS 84, so that a
 * datum shift of ~100 m is not stored as if it were none. An empty cell means WGS 84; a value that
 * names no known CRS is a problem of that row, never silently taken for WGS 84. Used when no
 * --crs is given (which says the CRS for the whole file).
 */
/** Distinct values of the CRS column remembered even when they name no CRS. */
const MAX_CACHED_VALUES = 256;

export class RowCrs {
  private column: string | null | undefined;
  private readonly seen = new Map<string, Resolved>();

  /** Columns named like a CRS column but of uncertain meaning, not yet seen with a value. */
  private weak: string[] | undefined;

  apply(raw: RawFeatureWithProblems): void {
    if (this.column === undefined) this.pickColumn(raw);
    if (!this.column || !raw.geometry) return;
    const value = String(raw.properties[this.column] ?? '').trim();
    if (value === '') return;
    let r = this.seen.get(value);
    if (!r) {
      r = resolve(value);
      // A copy of the text as the key: a cell a CSV reader cut from its text would keep that
      // whole piece alive. Values that name no CRS are cached only while few (each row of a
      // column of junk may differ), so memory stays bounded; the CRSs rows name are few.
      if (!('error' in r) || this.seen.size < MAX_CACHED_VALUES) this.seen.set(Buffer.from(value).toString(), r);
    }
    if ('error' in r) {
      const msg = coded('csv.rowCrsUnknown', { value: JSON.stringify(value), column: JSON.stringify(this.column) });
      (raw.problems ??= []).push({ field: this.column, message: msg.message, code: msg.code, params: msg.params });
      return;
    }
    if (r.wgs84 || !raw.geometry) return; // WGS 84 already, or no location: nothing to convert
    convertFeature(raw, r.convert, r.crs);
    // The cell now says what the stored coordinates are in, and the source's CRS is kept beside
    // it: a CSV export of the project, imported again, must not shift the row a second time.
    raw.properties[`${this.column}_source`] = raw.properties[this.column];
    raw.properties[this.column] = 'EPSG:4326';
    r.rows++;
  }

  /**
   * The CRS column: `crs`, `srs` or `epsg` at once; `datum`, `spatial_reference` or
   * `coordinate_system` (which may hold other things: "Datum" is German for date, or a vertical
   * datum) only once its first value names a CRS. Undecided until such a value comes.
   */
  private pickColumn(raw: RawFeatureWithProblems): void {
    if (this.weak === undefined) {
      const names = Object.keys(raw.properties).filter(isRowCrsColumnName);
      const strong = names.find((k) => STRONG_COLUMNS.has(k.trim().toLowerCase()));
      if (strong) {
        this.column = strong;
        return;
      }
      this.weak = names.filter((k) => !STRONG_COLUMNS.has(k.trim().toLowerCase()));
    }
    for (const k of [...this.weak]) {
      const value = String(raw.properties[k] ?? '').trim();
      if (value === '') continue;
      if (crsOfCell(value)) {
        this.column = k;
        return;
      }
      this.weak = this.weak.filter((w) => w !== k); // its first value is no CRS: not a CRS column
    }
    if (!this.weak.length) this.column = null;
  }

  /** The CRSs rows were converted from, with their counts. */
  uses(): RowCrsUse[] {
    const out: RowCrsUse[] = [];
    for (const r of this.seen.values()) {
      if ('error' in r || r.wgs84 || r.rows === 0) continue;
      const { name, code, note } = r.crs;
      const same = out.find((u) => u.name === name);
      if (same) same.rows += r.rows;
      else out.push({ column: this.column!, name, ...(code ? { code } : {}), ...(note ? { note } : {}), rows: r.rows });
    }
    return out;
  }
}

/** Column names that always mean the row's CRS; the others of ROW_CRS_COLUMNS only when a value says so. */
const STRONG_COLUMNS = new Set(['crs', 'srs', 'epsg']);

/** The CRS a cell of a CRS column names (an EPSG code, a URN, or a name such as NAD27), if any. */
export function crsOfCell(value: string): Crs | undefined {
  try {
    return resolveCrs(CRS_NAMES[value.trim().toLowerCase()] ?? value.trim());
  } catch {
    return undefined;
  }
}

function resolve(value: string): Resolved {
  try {
    const crs = resolveCrs(CRS_NAMES[value.toLowerCase()] ?? value);
    if (crs.code === 4326) return { wgs84: true };
    return { wgs84: false, crs, convert: toWgs84(crs), rows: 0 };
  } catch (err) {
    return { error: (err as Error).message };
  }
}
