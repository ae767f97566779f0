/**
 * The map style, built in code: an offline basemap served by the host under /assets/ (land,
 * borders, US states, Japanese prefectures, country labels with local SDF glyphs), and the
 * project's deposit and survey layers from the host's vector tiles.
 */
import type { FilterSpecification, LayerSpecification, SourceSpecification, StyleSpecification } from '@maplibre/maplibre-gl-style-spec';
import { commodityColorExpression } from './palette';
import { surveyColorExpression, type SurveyColorBy } from './survey-style';

export const SOURCE_IDS = { deposits: 'outcrop-deposits', surveys: 'outcrop-surveys' } as const;

/** Layer ids the app and the tests query. */
export const LAYER_IDS = {
  background: 'background',
  land: 'land',
  countryBorders: 'country-borders',
  usStates: 'us-states',
  jpPrefectures: 'jp-prefectures',
  countryLabels: 'country-labels',
  countryLabelsSmall: 'country-labels-small',
  surveysFill: 'surveys-fill',
  surveysLine: 'surveys-line',
  clusters: 'deposit-clusters',
  clusterCounts: 'deposit-cluster-counts',
  deposits: 'deposits',
  depositSelected: 'deposit-selected',
  surveySelected: 'survey-selected',
  depositHover: 'deposit-hover',
  surveyHover: 'survey-hover',
} as const;

/** MVT layer names of src/tiles (TILE_LAYER_NAMES); repeated here because the renderer may not import src/tiles. */
const TILE_LAYERS = { deposits: 'deposits', clusters: 'deposit_clusters', surveys: 'surveys', reference: 'reference' } as const;

export const FONT_REGULAR = ['Noto Sans Regular'];
export const FONT_MEDIUM = ['Noto Sans Medium'];

export const COLORS = {
  water: '#cfe0ec',
  land: '#f4f2ec',
  border: '#9a8f99',
  adminLine: '#b9b1b8',
  label: '#4a4a4a',
  survey: '#2f7d6d',
} as const;

/** The basemap alone. `origin` makes URLs absolute: MapLibre fetches from a worker with no base URL. */
export function basemapStyle(origin: string): StyleSpecification {
  const asset = (name: string) => `${origin}/assets/basemap/${name}`;
  return {
    version: 8,
    name: 'Outcrop offline basemap',
    glyphs: `${origin}/assets/glyphs/{fontstack}/{range}.pbf`,
    sources: {
      land: { type: 'geojson', data: asset('land.geojson'), attribution: 'Natural Earth' },
      'country-borders': { type: 'geojson', data: asset('country-borders.geojson') },
      'country-labels': { type: 'geojson', data: asset('country-labels.geojson') },
      'us-states': { type: 'geojson', data: asset('us-states.geojson'), attribution: 'US Census Bureau' },
      'jp-prefectures': { type: 'geojson', data: asset('jp-prefectures.geojson'), attribution: '出典：地球地図日本 (国土地理院)' },
    },
    layers: [
      { id: LAYER_IDS.background, type: 'background', paint: { 'background-color': COLORS.water } },
      { id: LAYER_IDS.land, type: 'fill', source: 'land', paint: { 'fill-color': COLORS.land, 'fill-outline-color': '#b8c6cf' } },
      {
        id: LAYER_IDS.usStates,
        type: 'line',
        source: 'us-states',
        minzoom: 2.5,
        paint: { 'line-color': COLORS.adminLine, 'line-width': ['interpolate', ['linear'], ['zoom'], 3, 0.5, 8, 1.2], 'line-dasharray': [3, 2] },
      },
      {
        id: LAYER_IDS.jpPrefectures,
        type: 'line',
        source: 'jp-prefectures',
        minzoom: 3.5,
        paint: { 'line-color': COLORS.adminLine, 'line-width': ['interpolate', ['linear'], ['zoom'], 4, 0.5, 9, 1.2], 'line-dasharray': [3, 2] },
      },
      {
        id: LAYER_IDS.countryBorders,
        type: 'line',
        source: 'country-borders',
        paint: { 'line-color': COLORS.border, 'line-width': ['interpolate', ['linear'], ['zoom'], 1, 0.6, 6, 1.4] },
      },
    ],
  };
}

/** Countries smaller than this (km²) are labelled only from SMALL_COUNTRY_MINZOOM on. */
const SMALL_COUNTRY_KM2 = 100_000;
const SMALL_COUNTRY_MINZOOM = 3.5;

/**
 * Country labels go on top of everything, so they are added after the project layers. Small
 * countries and territories get their own layer from z3.5, or the world view is all islands.
 */
export function countryLabelLayers(): LayerSpecification[] {
  const big = countryLabelLayer(LAYER_IDS.countryLabels, ['>=', ['get', 'areaKm2'], SMALL_COUNTRY_KM2]);
  const small = countryLabelLayer(LAYER_IDS.countryLabelsSmall, ['<', ['get', 'areaKm2'], SMALL_COUNTRY_KM2]);
  return [big, { ...small, minzoom: SMALL_COUNTRY_MINZOOM }];
}

function countryLabelLayer(id: string, filter: FilterSpecification): LayerSpecification {
  return {
    id,
    type: 'symbol',
    source: 'country-labels',
    filter,
    layout: {
      'text-field': ['get', 'name'],
      'text-font': FONT_MEDIUM,
      'text-size': ['interpolate', ['linear'], ['zoom'], 1, 10, 4, 13, 7, 16],
      'text-max-width': 8,
      'text-transform': 'uppercase',
      'text-letter-spacing': 0.06,
      // Larger countries win label collisions.
      'symbol-sort-key': ['-', 0, ['get', 'areaKm2']],
    },
    paint: { 'text-color': COLORS.label, 'text-halo-color': 'rgba(255,255,255,0.85)', 'text-halo-width': 1.4 },
  };
}

export function projectSources(tileUrl: (layer: 'deposits' | 'surveys') => string): Record<string, SourceSpecification> {
  return {
    [SOURCE_IDS.surveys]: { type: 'vector', tiles: [tileUrl('surveys')], minzoom: 0, maxzoom: 14 },
    // Tiles exist to z22, but from z14 on MapLibre over-zooms the z14 tile, which is exact enough.
    [SOURCE_IDS.deposits]: { type: 'vector', tiles: [tileUrl('deposits')], minzoom: 0, maxzoom: 14 },
  };
}

export function projectLayers(surveyBy: SurveyColorBy = { mode: 'status' }): LayerSpecification[] {
  const color = commodityColorExpression();
  const surveyColor = surveyColorExpression(surveyBy);
  return [
    {
      id: LAYER_IDS.surveysFill,
      type: 'fill',
      source: SOURCE_IDS.surveys,
      'source-layer': TILE_LAYERS.surveys,
      paint: { 'fill-color': surveyColor, 'fill-opacity': 0.14 },
    },
    {
      id: LAYER_IDS.surveysLine,
      type: 'line',
      source: SOURCE_IDS.surveys,
      'source-layer': TILE_LAYERS.surveys,
      paint: { 'line-color': surveyColor, 'line-width': 1.6, 'line-opacity': 0.95 },
    },
    {
      id: LAYER_IDS.clusters,
      type: 'circle',
      source: SOURCE_IDS.deposits,
      'source-layer': TILE_LAYERS.clusters,
      paint: {
        'circle-color': color,
        'circle-opacity': 0.85,
        'circle-radius': ['interpolate', ['linear'], ['sqrt', ['get', 'count']], 1, 4, 4, 8, 10, 14, 30, 24],
        'circle-stroke-color': '#ffffff',
        'circle-stroke-width': 1,
      },
    },
    {
      id: LAYER_IDS.clusterCounts,
      type: 'symbol',
      source: SOURCE_IDS.deposits,
      'source-layer': TILE_LAYERS.clusters,
      filter: ['>=', ['get', 'count'], 10],
      layout: { 'text-field': ['to-string', ['get', 'count']], 'text-font': FONT_MEDIUM, 'text-size': 10, 'text-allow-overlap': false },
      paint: { 'text-color': '#ffffff', 'text-halo-color': 'rgba(0,0,0,0.45)', 'text-halo-width': 1 },
    },
    {
      id: LAYER_IDS.deposits,
      type: 'circle',
      source: SOURCE_IDS.deposits,
      'source-layer': TILE_LAYERS.deposits,
      paint: {
        'circle-color': color,
        'circle-radius': ['interpolate', ['linear'], ['zoom'], 8, 4.5, 14, 8],
        'circle-stroke-color': '#ffffff',
        'circle-stroke-width': 1.2,
      },
    },
    {
      id: LAYER_IDS.surveyHover,
      type: 'line',
      source: SOURCE_IDS.surveys,
      'source-layer': TILE_LAYERS.surveys,
      filter: selectedFilter(null),
      paint: { 'line-color': '#10261f', 'line-width': 2.5, 'line-opacity': 0.55 },
    },
    {
      id: LAYER_IDS.depositHover,
      type: 'circle',
      source: SOURCE_IDS.deposits,
      'source-layer': TILE_LAYERS.deposits,
      filter: selectedFilter(null),
      paint: {
        'circle-color': 'rgba(0,0,0,0)',
        'circle-radius': ['interpolate', ['linear'], ['zoom'], 8, 8, 14, 12],
        'circle-stroke-color': '#111111',
        'circle-stroke-width': 1.5,
        'circle-stroke-opacity': 0.6,
      },
    },
    {
      id: LAYER_IDS.surveySelected,
      type: 'line',
      source: SOURCE_IDS.surveys,
      'source-layer': TILE_LAYERS.surveys,
      filter: selectedFilter(null),
      paint: { 'line-color': '#10261f', 'line-width': 3 },
    },
    {
      id: LAYER_IDS.depositSelected,
      type: 'circle',
      source: SOURCE_IDS.deposits,
      'source-layer': TILE_LAYERS.deposits,
      filter: selectedFilter(null),
      paint: {
        'circle-color': 'rgba(0,0,0,0)',
        'circle-radius': ['interpolate', ['linear'], ['zoom'], 8, 9, 14, 13],
        'circle-stroke-color': '#111111',
        'circle-stroke-width': 2.5,
      },
    },
  ];
}

/** Filter of the selection layers: the feature with this id (none for null). */
export function selectedFilter(id: string | null): FilterSpecification {
  return ['==', ['get', 'id'], id ?? ''];
}

/** The project's stored reference layers (roads, ports, protected areas …): one vector source, drawn under surveys and deposits. */
export const REFERENCE_SOURCE_ID = 'outcrop-reference';
export const REFERENCE_LAYER_IDS = {
  exclusionFill: 'reference-exclusion-fill',
  exclusionHatch: 'reference-exclusion-hatch',
  exclusionLine: 'reference-exclusion-line',
  infrastructureArea: 'reference-infrastructure-area',
  infrastructureLine: 'reference-infrastructure-line',
  infrastructurePoint: 'reference-infrastructure-point',
} as const;
/** Diagonal hatching of exclusion zones (added to the map as an image by MapView). */
export const REFERENCE_HATCH_IMAGE = 'reference-exclusion-hatch';

export const REFERENCE_COLORS = {
  /** Protected areas and other no-go zones: translucent red, hatched, with a red outline. */
  exclusion: '#c62828',
  /** Roads, ports, power lines, plants: neutral dark blue-grey. */
  infrastructure: '#37474f',
} as const;

export function referenceSource(url: string): SourceSpecification {
  return { type: 'vector', tiles: [url], minzoom: 0, maxzoom: 14 };
}

type GeometryKind = 'Point' | 'LineString' | 'Polygon';

/** The base filter of each reference layer (role and geometry type), before the per-layer show/hide. */
function referenceBase(role: 'infrastructure' | 'exclusion', geometry: GeometryKind): FilterSpecification {
  return ['all', ['==', ['get', 'role'], role], ['==', ['geometry-type'], geometry]];
}

const REFERENCE_BASE: Record<string, FilterSpecification> = {
  [REFERENCE_LAYER_IDS.exclusionFill]: referenceBase('exclusion', 'Polygon'),
  [REFERENCE_LAYER_IDS.exclusionHatch]: referenceBase('exclusion', 'Polygon'),
  [REFERENCE_LAYER_IDS.exclusionLine]: referenceBase('exclusion', 'Polygon'),
  [REFERENCE_LAYER_IDS.infrastructureArea]: referenceBase('infrastructure', 'Polygon'),
  [REFERENCE_LAYER_IDS.infrastructureLine]: ['all', ['==', ['get', 'role'], 'infrastructure'], ['in', ['geometry-type'], ['literal', ['LineString', 'Polygon']]]],
  [REFERENCE_LAYER_IDS.infrastructurePoint]: referenceBase('infrastructure', 'Point'),
};

/** A reference layer's filter showing only the stored layers named in `shown`. */
export function referenceFilter(id: string, shown: readonly string[]): FilterSpecification {
  return ['all', REFERENCE_BASE[id], ['in', ['get', 'layer'], ['literal', [...shown]]]] as FilterSpecification;
}

/** Exclusion zones as a translucent hatched red fill with an outline; infrastructure as dark lines and dots. */
export function referenceLayers(shown: readonly string[]): LayerSpecification[] {
  const common = { source: REFERENCE_SOURCE_ID, 'source-layer': TILE_LAYERS.reference } as const;
  return [
    { id: REFERENCE_LAYER_IDS.exclusionFill, type: 'fill', ...common, filter: referenceFilter(REFERENCE_LAYER_IDS.exclusionFill, shown), paint: { 'fill-color': REFERENCE_COLORS.exclusion, 'fill-opacity': 0.12 } },
    { id: REFERENCE_LAYER_IDS.exclusionHatch, type: 'fill', ...common, filter: referenceFilter(REFERENCE_LAYER_IDS.exclusionHatch, shown), paint: { 'fill-pattern': REFERENCE_HATCH_IMAGE, 'fill-opacity': 0.6 } },
    {
      id: REFERENCE_LAYER_IDS.exclusionLine,
      type: 'line',
      ...common,
      filter: referenceFilter(REFERENCE_LAYER_IDS.exclusionLine, shown),
      paint: { 'line-color': REFERENCE_COLORS.exclusion, 'line-width': ['interpolate', ['linear'], ['zoom'], 3, 1, 10, 2], 'line-opacity': 0.9 },
    },
    { id: REFERENCE_LAYER_IDS.infrastructureArea, type: 'fill', ...common, filter: referenceFilter(REFERENCE_LAYER_IDS.infrastructureArea, shown), paint: { 'fill-color': REFERENCE_COLORS.infrastructure, 'fill-opacity': 0.15 } },
    {
      id: REFERENCE_LAYER_IDS.infrastructureLine,
      type: 'line',
      ...common,
      filter: referenceFilter(REFERENCE_LAYER_IDS.infrastructureLine, shown),
      layout: { 'line-cap': 'round', 'line-join': 'round' },
      paint: { 'line-color': REFERENCE_COLORS.infrastructure, 'line-width': ['interpolate', ['linear'], ['zoom'], 3, 1.2, 10, 2.5, 14, 4], 'line-opacity': 0.9 },
    },
    {
      id: REFERENCE_LAYER_IDS.infrastructurePoint,
      type: 'circle',
      ...common,
      filter: referenceFilter(REFERENCE_LAYER_IDS.infrastructurePoint, shown),
      paint: {
        'circle-color': REFERENCE_COLORS.infrastructure,
        'circle-radius': ['interpolate', ['linear'], ['zoom'], 3, 3, 10, 5],
        'circle-stroke-color': '#ffffff',
        'circle-stroke-width': 1,
      },
    },
  ];
}

/** An 8 × 8 RGBA tile of one diagonal line in the exclusion colour, for REFERENCE_HATCH_IMAGE. */
export function hatchImage(size = 8): { width: number; height: number; data: Uint8Array } {
  const data = new Uint8Array(size * size * 4);
  const [r, g, b] = [1, 3, 5].map((i) => parseInt(REFERENCE_COLORS.exclusion.slice(i, i + 2), 16));
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      // Two pixels wide, from bottom-left to top-right, seamless when tiled.
      if ((x + y) % size === size - 1 || (x + y) % size === 0) data.set([r, g, b, 255], (y * size + x) * 4);
    }
  }
  return { width: size, height: size, data };
}
