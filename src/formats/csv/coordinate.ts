/**
 * Parse one coordinate cell of a CSV: a plain decimal number ("12.5", "-0.25", "1e-3") or a
 * degree-minute-second string ("36°30'15\"N", "W 117° 54.6'"). Decimal degrees, WGS 84.
 */
import { coded, type CodedMessage } from '../../messages/en';

export type CoordinateAxis = 'longitude' | 'latitude';

/** A failure carries its coded message (code, params, English message). */
export type ParsedCoordinate = { ok: true; value: number } | ({ ok: false } & CodedMessage);

const DECIMAL = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;
const DECIMAL_COMMA = /^[+-]?\d+,\d+$/;
// Degrees, optional minutes, optional seconds, each with its symbol; hemisphere before or after.
// Only symbols mark units (a letter "s" for seconds would clash with S for south).
const DMS =
  /^([NSEWnsew])?\s*([+-])?(\d+(?:\.\d+)?)\s*[°º˚]\s*(?:(\d+(?:\.\d+)?)\s*['′’]\s*)?(?:(\d+(?:\.\d+)?)\s*(?:"|″|”|''|′′)\s*)?([NSEWnsew])?$/;

/** Parse a coordinate; the cell must not be empty (the caller reports missing values). */
export function parseCoordinate(text: string, axis: CoordinateAxis): ParsedCoordinate {
  const s = text.trim();
  if (DECIMAL.test(s)) return { ok: true, value: Number(s) };
  if (DECIMAL_COMMA.test(s)) {
    return { ok: false, ...coded('csv.decimalComma', { axis, text: JSON.stringify(text), fixed: s.replace(',', '.') }) };
  }
  const m = DMS.exec(s);
  if (m) return fromDms(text, axis, m);
  return { ok: false, ...coded('csv.notCoordinate', { axis, text: JSON.stringify(text) }) };
}

function fromDms(text: string, axis: CoordinateAxis, m: RegExpExecArray): ParsedCoordinate {
  const [, hemiBefore, sign, degText, minText, secText, hemiAfter] = m;
  const bad = (code: Parameters<typeof coded>[0], more: Record<string, string> = {}): ParsedCoordinate => ({
    ok: false,
    ...coded(code, { axis, text: JSON.stringify(text), ...more }),
  });
  if (hemiBefore && hemiAfter) return bad('csv.dmsHemisphereTwice');
  const hemi = (hemiBefore ?? hemiAfter)?.toUpperCase();
  if (hemi && sign) return bad('csv.dmsSignAndHemisphere');
  if (hemi && (axis === 'latitude' ? !'NS'.includes(hemi) : !'EW'.includes(hemi))) {
    return bad(axis === 'latitude' ? 'csv.dmsLatHemisphere' : 'csv.dmsLonHemisphere', { hemi });
  }
  const deg = Number(degText);
  const min = minText === undefined ? 0 : Number(minText);
  const sec = secText === undefined ? 0 : Number(secText);
  if (minText !== undefined && degText.includes('.')) return bad('csv.dmsMinutesAfterDecimal');
  if (secText !== undefined && minText === undefined) return bad('csv.dmsSecondsWithoutMinutes');
  if (secText !== undefined && minText!.includes('.')) return bad('csv.dmsSecondsAfterDecimal');
  if (min >= 60) return bad('csv.dmsMinutesOver60', { value: minText! });
  if (sec >= 60) return bad('csv.dmsSecondsOver60', { value: secText! });
  const negative = sign === '-' || hemi === 'S' || hemi === 'W';
  const value = deg + min / 60 + sec / 3600;
  return { ok: true, value: negative ? -value : value };
}
