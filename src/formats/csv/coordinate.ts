/**
 * Parse one coordinate cell of a CSV: a plain decimal number ("12.5", "-0.25", "1e-3") or a
 * degree-minute-second string ("36°30'15\"N", "W 117° 54.6'"). Decimal degrees, WGS 84.
 */

export type CoordinateAxis = 'longitude' | 'latitude';

export type ParsedCoordinate = { ok: true; value: number } | { ok: false; message: string };

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
    return {
      ok: false,
      message: `${axis} ${JSON.stringify(text)} uses a decimal comma; expected a decimal point, e.g. ${s.replace(',', '.')}`,
    };
  }
  const m = DMS.exec(s);
  if (m) return fromDms(text, axis, m);
  return { ok: false, message: `${axis} ${JSON.stringify(text)} is not a number (expected decimal degrees such as 36.5042 or DMS such as 36°30'15"N)` };
}

function fromDms(text: string, axis: CoordinateAxis, m: RegExpExecArray): ParsedCoordinate {
  const [, hemiBefore, sign, degText, minText, secText, hemiAfter] = m;
  const bad = (why: string): ParsedCoordinate => ({ ok: false, message: `${axis} ${JSON.stringify(text)}: ${why}` });
  if (hemiBefore && hemiAfter) return bad('hemisphere letter given twice');
  const hemi = (hemiBefore ?? hemiAfter)?.toUpperCase();
  if (hemi && sign) return bad('has both a sign and a hemisphere letter');
  if (hemi && (axis === 'latitude' ? !'NS'.includes(hemi) : !'EW'.includes(hemi))) {
    return bad(`hemisphere "${hemi}" does not belong to a ${axis} (expected ${axis === 'latitude' ? 'N or S' : 'E or W'})`);
  }
  const deg = Number(degText);
  const min = minText === undefined ? 0 : Number(minText);
  const sec = secText === undefined ? 0 : Number(secText);
  if (minText !== undefined && degText.includes('.')) return bad('decimal degrees cannot be followed by minutes');
  if (secText !== undefined && minText === undefined) return bad('seconds without minutes');
  if (secText !== undefined && minText!.includes('.')) return bad('decimal minutes cannot be followed by seconds');
  if (min >= 60) return bad(`minutes must be below 60, got ${minText}`);
  if (sec >= 60) return bad(`seconds must be below 60, got ${secText}`);
  const negative = sign === '-' || hemi === 'S' || hemi === 'W';
  const value = deg + min / 60 + sec / 3600;
  return { ok: true, value: negative ? -value : value };
}
