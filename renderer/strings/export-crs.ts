/** Strings of the export dialog's coordinate system choice (merged into renderer/i18n.ts under `exportCrs`). */
export const EXPORT_CRS_STRINGS = {
  en: {
    label: 'Coordinate system',
    wgs84: 'WGS 84 longitude/latitude (EPSG:4326)',
    hint: 'e.g. EPSG:6677 (JGD2011 Japan Plane Rectangular IX) or EPSG:26912 (NAD83 UTM 12N); projected CSV points get x,y columns',
    geojsonOnly: 'GeoJSON is always WGS 84 (RFC 7946).',
  },
  ja: {
    label: '座標系',
    wgs84: 'WGS 84 経緯度（EPSG:4326）',
    hint: '例：EPSG:6677（JGD2011 平面直角座標系 第IX系）、EPSG:26912（NAD83 UTM 12N）。投影座標の CSV は x,y 列になります',
    geojsonOnly: 'GeoJSON は常に WGS 84 です（RFC 7946）。',
  },
} as const;
