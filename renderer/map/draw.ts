import type { MultiPolygon, Point, Polygon, Position } from 'geojson';
import type { Map as MapLibreMap } from 'maplibre-gl';
import { TerraDraw, TerraDrawPointMode, TerraDrawPolygonMode, TerraDrawSelectMode, type GeoJSONStoreFeatures, type SnapToCustom } from 'terra-draw';
import { TerraDrawMapLibreGLAdapter } from 'terra-draw-maplibre-gl-adapter';
import { assignHoles, nearestVertex, roundPosition, SNAP_PX } from './draw.geometry';

/**
 * What the user is doing with the pen:
 * - `survey` / `deposit`: drawing a new survey outline / placing a new deposit;
 * - `part` / `hole`: drawing another part of, or a hole in, the survey being edited;
 * - `edit`: moving vertices (drag), inserting them (drag a midpoint), deleting them (right
 *   click), moving the whole shape (drag inside it);
 * - null: the pen is down, the map selects features as usual.
 */
export type DrawTool = 'survey' | 'deposit' | 'part' | 'hole' | 'edit' | 'area' | null;

export interface DrawListener {
  /** A new survey outline or deposit point was finished: the form can open. */
  onCreated(kind: 'survey' | 'deposit'): void;
  /** The shape being edited changed (vertex moved, part or hole added). */
  onShapeChanged(): void;
  /** The tool changed (e.g. back to `edit` once a hole is drawn). */
  onTool(tool: DrawTool): void;
  /** An area drawn with `pickArea` (a query area, a coverage area of interest) is closed. */
  onArea?(area: Polygon): void;
}

const COLOR = '#7b2cbf';
const HOLE_COLOR = '#d7263d';
/** terra-draw refuses coordinates with more decimals than this (1e-9° is about 0.1 mm). */
const PRECISION = 9;

/**
 * The pen: terra-draw on the MapLibre map, holding the one shape being drawn or edited (a
 * deposit point, or a survey's parts). Holes are kept here, not in terra-draw (which draws
 * polygons without holes), and put back when the shape is read. Snapping goes to terra-draw's
 * own vertices and to the project's exact stored vertices near the view (`setSnapVertices`).
 */
export class DrawController {
  private draw: TerraDraw | null = null;
  private map: MapLibreMap | null = null;
  private tool: DrawTool = null;
  private kind: 'survey' | 'deposit' | null = null;
  private holes: Position[][] = [];
  private snap: Position[] = [];
  private listeners = new Set<DrawListener>();

  attach(map: MapLibreMap): void {
    this.map = map;
    const snapToProject: SnapToCustom = (e, ctx) => {
      const v = nearestVertex(this.snap, [e.containerX, e.containerY], (p) => {
        const s = ctx.project(p[0], p[1]);
        return [s.x, s.y];
      }, SNAP_PX);
      return v ?? undefined;
    };
    const snapping = { toCoordinate: true, toCustom: snapToProject };
    this.draw = new TerraDraw({
      adapter: new TerraDrawMapLibreGLAdapter({ map, coordinatePrecision: PRECISION }),
      modes: [
        new TerraDrawPolygonMode({
          snapping,
          pointerDistance: 30,
          styles: { fillColor: COLOR, fillOpacity: 0.15, outlineColor: COLOR, outlineWidth: 2, closingPointColor: '#ffffff', closingPointOutlineColor: COLOR, closingPointWidth: 6, snappingPointColor: '#ffd166', snappingPointWidth: 6 },
        }),
        new TerraDrawPointMode({ styles: { pointColor: COLOR, pointWidth: 7, pointOutlineColor: '#ffffff', pointOutlineWidth: 2 } }),
        new TerraDrawSelectMode({
          allowManualDeselection: false,
          flags: {
            polygon: { feature: { draggable: true, coordinates: { draggable: true, midpoints: true, deletable: true, snappable: snapping } } },
            point: { feature: { draggable: true } },
          },
          styles: { selectedPolygonColor: COLOR, selectedPolygonFillOpacity: 0.2, selectedPolygonOutlineColor: COLOR, selectedPolygonOutlineWidth: 2, selectionPointColor: '#ffffff', selectionPointOutlineColor: COLOR, selectionPointWidth: 5, midPointColor: COLOR, midPointWidth: 3, selectedPointColor: COLOR, selectedPointWidth: 7, selectedPointOutlineColor: '#ffffff', selectedPointOutlineWidth: 2 },
        }),
      ],
    });
    this.draw.start();
    this.draw.on('finish', (id, ctx) => this.finished(String(id), ctx.action));
  }

  detach(): void {
    this.draw?.stop();
    this.draw = null;
    this.map = null;
  }

  subscribe(l: DrawListener): () => void {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  }

  get currentTool(): DrawTool {
    return this.tool;
  }

  /** Exact vertices of the project near the view (features.vertices), for snapping. */
  setSnapVertices(v: Position[]): void {
    this.snap = v;
  }

  /** Start drawing a new survey outline or deposit point (drops whatever was held). */
  create(kind: 'survey' | 'deposit'): void {
    this.reset();
    this.kind = kind;
    this.setTool(kind);
  }

  /** Hold an existing feature's shape for editing: each survey part becomes one editable polygon. */
  edit(geometry: Point | Polygon | MultiPolygon): void {
    this.reset();
    const d = this.need();
    if (geometry.type === 'Point') {
      this.kind = 'deposit';
      d.addFeatures([{ type: 'Feature', geometry: { type: 'Point', coordinates: roundPosition(geometry.coordinates, PRECISION) }, properties: { mode: 'point' } }]);
    } else {
      this.kind = 'survey';
      const parts = geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates;
      const features: GeoJSONStoreFeatures[] = parts.map((rings) => ({
        type: 'Feature',
        geometry: { type: 'Polygon', coordinates: [rings[0].map((p) => roundPosition(p, PRECISION))] },
        properties: { mode: 'polygon' },
      }));
      const results = d.addFeatures(features);
      const bad = results.find((r) => !r.valid);
      if (bad) throw new Error(`this shape cannot be edited on the map: ${bad.reason ?? 'invalid'}`);
      this.holes = parts.flatMap((rings) => rings.slice(1).map((r) => r.map((p) => roundPosition(p, PRECISION))));
    }
    this.setTool('edit');
  }

  /** Draw one polygon that is not a feature (a query area, an area of interest): `onArea` gets it. */
  pickArea(): void {
    this.reset();
    this.setTool('area');
  }

  /** While editing a survey: draw another part or a hole (then back to `edit`). */
  drawExtra(tool: 'part' | 'hole'): void {
    if (this.kind !== 'survey') return;
    this.setTool(tool);
  }

  /** Remove the most recently added hole. */
  removeLastHole(): void {
    this.holes.pop();
    this.emit((l) => l.onShapeChanged());
  }

  get holeRings(): readonly Position[][] {
    return this.holes;
  }

  /** The shape as the core expects it: a Point, or the parts with their holes put back. */
  shape(): Point | Polygon | MultiPolygon | null {
    if (!this.draw) return null;
    // Not the outline still being drawn (a hole or part in progress) nor guidance points.
    const feats = this.draw.getSnapshot().filter((f) => (f.properties.mode === 'point' || f.properties.mode === 'polygon') && !f.properties.currentlyDrawing);
    if (this.kind === 'deposit') {
      const p = feats.find((f) => f.geometry.type === 'Point');
      return p ? (p.geometry as Point) : null;
    }
    const shells = feats.filter((f) => f.geometry.type === 'Polygon').map((f) => (f.geometry as Polygon).coordinates[0]);
    if (!shells.length) return null;
    const polys = assignHoles(shells, this.holes);
    return polys.length === 1 ? { type: 'Polygon', coordinates: polys[0] } : { type: 'MultiPolygon', coordinates: polys };
  }

  /** Undo the last vertex of the outline being drawn; false when there is none. */
  undoVertex(): boolean {
    const d = this.draw;
    if (!d || (this.tool !== 'survey' && this.tool !== 'part' && this.tool !== 'hole' && this.tool !== 'area')) return false;
    if (!d.canUndo()) return false;
    return d.undo();
  }

  /** Put the pen down: nothing held, map clicks select again. */
  reset(): void {
    this.holes = [];
    this.kind = null;
    if (this.draw) {
      this.draw.setMode('static');
      this.draw.clear();
    }
    this.setTool(null);
  }

  private setTool(tool: DrawTool): void {
    this.tool = tool;
    const d = this.draw;
    if (d) {
      if (tool === 'survey' || tool === 'part' || tool === 'hole' || tool === 'area') d.setMode('polygon');
      else if (tool === 'deposit') d.setMode('point');
      else if (tool === 'edit') {
        d.setMode('select');
        const first = d.getSnapshot().find((f) => f.properties.mode === 'polygon' || f.properties.mode === 'point');
        if (first) d.selectFeature(first.id!);
      } else d.setMode('static');
    }
    this.map?.getCanvas().style.setProperty('cursor', tool && tool !== 'edit' ? 'crosshair' : '');
    this.emit((l) => l.onTool(tool));
  }

  private finished(id: string, action: string): void {
    const d = this.need();
    if (action !== 'draw') {
      this.emit((l) => l.onShapeChanged());
      return;
    }
    if (this.tool === 'area') {
      const f = d.getSnapshotFeature(id);
      this.reset();
      if (f?.geometry.type === 'Polygon') {
        const area = f.geometry as Polygon;
        this.emit((l) => l.onArea?.(area));
      }
      return;
    }
    if (this.tool === 'hole') {
      const f = d.getSnapshotFeature(id);
      d.removeFeatures([id]);
      if (f?.geometry.type === 'Polygon') this.holes.push(f.geometry.coordinates[0]);
      this.setTool('edit');
      this.emit((l) => l.onShapeChanged());
      return;
    }
    if (this.tool === 'part') {
      this.setTool('edit');
      this.emit((l) => l.onShapeChanged());
      return;
    }
    const kind = this.tool === 'deposit' ? 'deposit' : 'survey';
    this.setTool('edit');
    this.emit((l) => l.onCreated(kind));
  }

  private need(): TerraDraw {
    if (!this.draw) throw new Error('the map is not ready');
    return this.draw;
  }

  private emit(f: (l: DrawListener) => void): void {
    for (const l of this.listeners) f(l);
  }
}

export { COLOR as DRAW_COLOR, HOLE_COLOR };
