import type { ApiResult, OutcropApi, QueryResult } from '../../src/api/contract';

export type QueryMode = 'near' | 'nearest' | 'survey' | 'rect' | 'area';

/** What the user picked on the map for a query tool. Coordinates are [lng, lat]. */
export type MapPick =
  | { kind: 'point'; lngLat: [number, number] }
  | { kind: 'survey'; surveyId: string }
  | { kind: 'rect'; bbox: [number, number, number, number] }
  | { kind: 'area'; polygon: { type: 'Polygon'; coordinates: [number, number][][] } };

/** Which kind of pick a mode waits for. */
export function pickKind(mode: QueryMode): MapPick['kind'] {
  return mode === 'survey' ? 'survey' : mode === 'rect' ? 'rect' : mode === 'area' ? 'area' : 'point';
}

/** The closed polygon of a [w, s, e, n] box (counter-clockwise, RFC 7946). */
export function bboxPolygon([w, s, e, n]: [number, number, number, number]) {
  return {
    type: 'Polygon' as const,
    coordinates: [
      [
        [w, s],
        [e, s],
        [e, n],
        [w, n],
        [w, s],
      ] as [number, number][],
    ],
  };
}

/** Run one query for a pick; null when the pick does not fit the mode. */
export function runQuery(
  api: OutcropApi,
  mode: QueryMode,
  pick: MapPick,
  params: { km: number; k: number },
): Promise<ApiResult<QueryResult>> | null {
  if (pick.kind !== pickKind(mode)) return null;
  // Only a longitude off the first world copy is wrapped, so typed values stay exact.
  const wrap = (lng: number) => (lng >= -180 && lng <= 180 ? lng : ((((lng + 180) % 360) + 360) % 360) - 180);
  switch (pick.kind) {
    case 'point': {
      const center: [number, number] = [wrap(pick.lngLat[0]), pick.lngLat[1]];
      return mode === 'near' ? api.call('query.near', { center, km: params.km }) : api.call('query.nearest', { center, k: params.k });
    }
    case 'survey':
      return api.call('query.within', { surveyId: pick.surveyId });
    case 'area':
      return api.call('query.within', { area: pick.polygon });
    case 'rect': {
      const [w, s, e, n] = pick.bbox;
      const clamp = (v: number, m: number) => Math.max(-m, Math.min(m, v));
      return api.call('query.within', { area: bboxPolygon([clamp(w, 180), clamp(s, 90), clamp(e, 180), clamp(n, 90)]) });
    }
  }
}
