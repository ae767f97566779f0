import type { DepositFields } from './deposit';
import type { SurveyFields } from './survey';

/** A deposit with every optional field empty; spread your values over it. */
export function emptyDepositFields(name = ''): DepositFields {
  return {
    name, nameJa: null, nameRomaji: null, altNames: [],
    commoditiesMain: [], commoditiesSecondary: [], commoditiesTrace: [],
    depositType: null, depositTypeText: null, status: null, resources: [],
    hostRock: null, hostRockUnit: null, oreMinerals: null, gangueMinerals: null,
    country: null, adminArea: null, county: null, region: null,
    agency: null, observer: null, surveyId: null, notes: null,
    source: null, sourceId: null, sourceUrl: null, extra: {},
  };
}

export function emptySurveyFields(name = ''): SurveyFields {
  return {
    name, agency: null, team: null, country: null, methods: [], startDate: null, endDate: null,
    status: null, notes: null, source: null, sourceId: null, sourceUrl: null, extra: {},
  };
}
