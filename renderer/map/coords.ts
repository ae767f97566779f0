/** Coordinate and scale formatting for the status bar. Pure. Coordinates are [lng, lat]. */

/** Degrees as D°MM′SS.s″ with a hemisphere letter, e.g. (−115.53, 'lng') → 115°31′48.0″W. */
export function toDms(deg: number, axis: 'lng' | 'lat'): string {
  const hemi = axis === 'lng' ? (deg < 0 ? 'W' : 'E') : deg < 0 ? 'S' : 'N';
  let tenths = Math.round(Math.abs(deg) * 36000); // tenths of an arc second
  const d = Math.floor(tenths / 36000);
  tenths -= d * 36000;
  const m = Math.floor(tenths / 600);
  tenths -= m * 600;
  const s = (tenths / 10).toFixed(1).padStart(4, '0');
  return `${d}°${String(m).padStart(2, '0')}′${s}″${hemi}`;
}

/** Decimal degrees with 5 places (≈ 1 m), e.g. -115.53000. */
export function toDecimal(deg: number): string {
  return deg.toFixed(5);
}

/** Normalise a longitude that MapLibre reports past ±180 on a wrapped world. */
export function wrapLng(lng: number): number {
  const w = ((((lng + 180) % 360) + 360) % 360) - 180;
  return w === -180 && lng > 0 ? 180 : w;
}

/**
 * Map scale denominator at a latitude for a Web-Mercator zoom, assuming 512 px tiles and a
 * 0.28 mm screen pixel (OGC WMTS standardised rendering pixel size).
 * Ground resolution = 40075016.686 m · cos(lat) / (512 · 2^zoom) (WGS 84 equator length).
 */
export function scaleDenominator(zoom: number, lat: number): number {
  const metresPerPixel = (40075016.686 * Math.cos((lat * Math.PI) / 180)) / (512 * 2 ** zoom);
  return metresPerPixel / 0.00028;
}

/** 1:12,345,678 style with thousands separators, rounded to 3 significant figures. */
export function formatScale(denominator: number): string {
  if (!Number.isFinite(denominator) || denominator <= 0) return '—';
  const p = 10 ** Math.max(0, Math.floor(Math.log10(denominator)) - 2);
  return `1:${(Math.round(denominator / p) * p).toLocaleString('en-US')}`;
}
