/**
 * The synthetic deposit set of the 1M-deposit benchmarks, made from real sites: deposit i is a
 * copy of real site i mod sites.length; copy 0 is the site itself, every further copy is moved by
 * a uniform random offset of up to ±0.1° in longitude and latitude (longitude wrapped at ±180°,
 * latitude clamped at ±90°). scripts/bench-tiles.ts and scripts/bench-frame.ts both use it with
 * the seed 20261123, so both benchmarks draw the same million points.
 */
export interface JitteredSite<S> {
  /** The real site this deposit copies. */
  site: S;
  lng: number;
  lat: number;
}

/** Yields `n` deposits as [lng, lat] copies of `sites`; `rand` is a seeded PRNG in [0, 1). */
export function* jitteredSites<S extends { lng: number; lat: number }>(sites: readonly S[], n: number, rand: () => number): Generator<JitteredSite<S>> {
  if (sites.length === 0 && n > 0) throw new Error(`jitteredSites: no real sites to copy for ${n} deposits`);
  for (let i = 0; i < n; i++) {
    const site = sites[i % sites.length];
    let lng = site.lng;
    let lat = site.lat;
    if (i >= sites.length) {
      lng += (rand() * 2 - 1) * 0.1;
      lat = Math.max(-90, Math.min(90, lat + (rand() * 2 - 1) * 0.1));
      if (lng > 180) lng -= 360;
      if (lng < -180) lng += 360;
    }
    yield { site, lng, lat };
  }
}
