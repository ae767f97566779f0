import type { Point } from 'geojson';
import type { DepositId, SurveyId } from './ids';
import type { CommodityCode } from './vocab/commodities';
import type { DepositTypeCode } from './vocab/deposit-types';
import type { DevStatus } from './vocab/statuses';

/** A resource (or reserve) estimate for one deposit. Tonnage in `tonnageUnit`, grade in `gradeUnit`. */
export interface ResourceEstimate {
  /** Ore tonnage, e.g. 12.5 with unit "Mt". */
  tonnage?: number | null;
  tonnageUnit?: 't' | 'kt' | 'Mt' | null;
  /** Commodity the grade refers to. */
  commodity?: CommodityCode | null;
  grade?: number | null;
  /** mg/L is for brines (USGS lithium brine resources report Li in mg/L). */
  gradeUnit?: '%' | 'g/t' | 'ppm' | 'kg/t' | 'mg/L' | null;
  /** Measured / indicated / inferred / reserve ... as reported. */
  classification?: string | null;
  /** Year of the estimate. */
  year?: number | null;
  /** Citation or report the estimate comes from. */
  source?: string | null;
}

/** Provenance shared by every record: who recorded it, where it came from. */
export interface Provenance {
  /** Dataset or organisation the record came from (e.g. "USGS MRDS", "umn/mrdata_major_deposits"). */
  source: string | null;
  /** Id in that source (MRDS dep_id, MinMod record_id ...). */
  sourceId: string | null;
  /** URL of the source record or database. */
  sourceUrl: string | null;
  createdAt: string; // ISO 8601 UTC
  updatedAt: string; // ISO 8601 UTC
  createdBy: string | null;
  updatedBy: string | null;
}

/** The editable fields of a deposit (what an import or a form supplies). */
export interface DepositFields {
  name: string;
  nameJa: string | null;
  nameRomaji: string | null;
  altNames: string[];
  /** Main commodities in order of importance (MRDS commod1). */
  commoditiesMain: CommodityCode[];
  /** Secondary commodities (MRDS commod2). */
  commoditiesSecondary: CommodityCode[];
  /** Trace commodities (MRDS commod3). */
  commoditiesTrace: CommodityCode[];
  /** Controlled deposit-type code, when the reported type maps onto one. */
  depositType: DepositTypeCode | null;
  /** Deposit type as reported by the source (MRDS dep_type / model), kept verbatim. */
  depositTypeText: string | null;
  status: DevStatus | null;
  resources: ResourceEstimate[];
  hostRock: string | null;
  hostRockUnit: string | null;
  oreMinerals: string | null;
  gangueMinerals: string | null;
  country: string | null;
  /** State, province or prefecture. */
  adminArea: string | null;
  county: string | null;
  region: string | null;
  agency: string | null;
  observer: string | null;
  surveyId: SurveyId | null;
  notes: string | null;
  source: string | null;
  sourceId: string | null;
  sourceUrl: string | null;
  /** Properties that have no field in the model: kept verbatim, never dropped. */
  extra: Record<string, unknown>;
}

export interface Deposit extends DepositFields {
  id: DepositId;
  /** [lng, lat] in EPSG:4326. */
  geometry: Point;
  createdAt: string;
  updatedAt: string;
  createdBy: string | null;
  updatedBy: string | null;
}
