import { describe, expect, it } from 'vitest';
import type { DepositFields, ResourceEstimate } from '../../../src/model/deposit';
import type { SurveyId } from '../../../src/model/ids';
import type { SurveyFields } from '../../../src/model/survey';
import { isoDateRange, utf8Length, validateDepositFields, validateSurveyFields } from '../../../src/model/validate-record';

const NOW = new Date('2026-11-23T00:00:00Z');

function deposit(over: Partial<DepositFields> = {}): DepositFields {
  return {
    name: 'Thacker Pass', nameJa: null, nameRomaji: null, altNames: [], commoditiesMain: ['Li'], commoditiesSecondary: [],
    commoditiesTrace: [], depositType: 'li-clay', depositTypeText: null, status: 'prospect', resources: [], hostRock: null,
    hostRockUnit: null, oreMinerals: null, gangueMinerals: null, country: 'United States', adminArea: 'Nevada', county: null,
    region: null, agency: null, observer: null, surveyId: null, notes: null, source: null, sourceId: null, sourceUrl: null,
    extra: {}, ...over,
  };
}

function survey(over: Partial<SurveyFields> = {}): SurveyFields {
  return {
    name: 'Trans-Pecos REE Aeromagnetic Survey', agency: 'USGS', team: null, country: 'United States', methods: ['geophysics'],
    startDate: '2020', endDate: '2021', status: 'completed', notes: null, source: null, sourceId: null, sourceUrl: null,
    extra: {}, ...over,
  };
}

/** Fields of the problems, for compact assertions. */
const fieldsOf = (f: DepositFields) => validateDepositFields(f, { now: NOW }).map((p) => p.field);
const resource = (r: ResourceEstimate) => deposit({ resources: [r] });

describe('validateDepositFields', () => {
  it('accepts a good record', () => {
    expect(validateDepositFields(deposit(), { now: NOW })).toEqual([]);
    const full = deposit({
      nameJa: '菱刈', altNames: ['a', 'b'], commoditiesSecondary: ['REE', 'sand-gravel'],
      resources: [{ tonnage: 217, tonnageUnit: 'Mt', commodity: 'Li', grade: 0.3, gradeUnit: '%', classification: 'Indicated', year: 2027, source: 'NI 43-101' }],
      surveyId: '123E4567-E89B-12D3-A456-426614174000' as SurveyId, sourceUrl: 'https://mrdata.usgs.gov/mrds/show-mrds.php?dep_id=10000013',
    });
    expect(validateDepositFields(full, { now: NOW })).toEqual([]);
  });

  it('requires a name of at most 500 characters (code points)', () => {
    expect(validateDepositFields(deposit({ name: '' }))).toMatchObject([{ field: 'name', message: 'name is required' }]);
    expect(fieldsOf(deposit({ name: '   ' }))).toEqual(['name']);
    expect(fieldsOf(deposit({ name: '鉱'.repeat(500) }))).toEqual([]);
    expect(fieldsOf(deposit({ name: '💎'.repeat(500) }))).toEqual([]); // 1000 UTF-16 units, 500 characters
    expect(validateDepositFields(deposit({ name: 'x'.repeat(501) }))).toMatchObject([{ field: 'name', message: 'is 501 characters long; the limit is 500' }]);
    expect(fieldsOf(deposit({ nameJa: 'x'.repeat(501) }))).toEqual(['name_ja']);
  });

  it('checks codes against the vocabularies', () => {
    expect(validateDepositFields(deposit({ commoditiesMain: ['lithium' as never] }))).toMatchObject([
      { field: 'commodities_main', message: '"lithium" is not a commodity code such as Li, Cu or REE' },
    ]);
    expect(fieldsOf(deposit({ commoditiesTrace: ['Li', 'Li'] }))).toEqual(['commodities_trace']);
    expect(fieldsOf(deposit({ depositType: 'porphyry' as never }))).toEqual(['deposit_type']);
    expect(fieldsOf(deposit({ status: 'active' as never }))).toEqual(['status']);
  });

  it('checks tonnage ≥ 0 and finite, with a unit from the list', () => {
    expect(fieldsOf(resource({ tonnage: -1, tonnageUnit: 't' }))).toEqual(['resources[0].tonnage']);
    expect(fieldsOf(resource({ tonnage: Number.POSITIVE_INFINITY, tonnageUnit: 't' }))).toEqual(['resources[0].tonnage']);
    expect(fieldsOf(resource({ tonnage: Number.NaN, tonnageUnit: 't' }))).toEqual(['resources[0].tonnage']);
    expect(fieldsOf(resource({ tonnage: 5 }))).toEqual(['resources[0].tonnage_unit']);
    expect(fieldsOf(resource({ tonnage: 5, tonnageUnit: 'mt' as never }))).toEqual(['resources[0].tonnage_unit']);
    expect(fieldsOf(resource({ tonnage: 0, tonnageUnit: 'kt' }))).toEqual([]);
  });

  it('checks grade ≥ 0, ≤ 100 for %, with a unit from the list', () => {
    expect(fieldsOf(resource({ grade: -0.1, gradeUnit: '%' }))).toEqual(['resources[0].grade']);
    expect(validateDepositFields(resource({ grade: 100.5, gradeUnit: '%' }))).toMatchObject([
      { field: 'resources[0].grade', message: '100.5 % is more than the whole rock; the most is 100 %' },
    ]);
    expect(fieldsOf(resource({ grade: 100, gradeUnit: '%' }))).toEqual([]);
    expect(fieldsOf(resource({ grade: 2_000_000, gradeUnit: 'ppm' }))).toEqual(['resources[0].grade']);
    expect(fieldsOf(resource({ grade: 12 }))).toEqual(['resources[0].grade_unit']);
    expect(fieldsOf(resource({ grade: 50, gradeUnit: 'oz/t' as never }))).toEqual(['resources[0].grade_unit']);
    // brines: USGS reports lithium brine grades in mg/L
    expect(fieldsOf(resource({ grade: 380, gradeUnit: 'mg/L' }))).toEqual([]);
  });

  it('checks the year (1800 … next year) and the commodity', () => {
    expect(fieldsOf(resource({ year: 1799 }))).toEqual(['resources[0].year']);
    expect(fieldsOf(resource({ year: 2028 }))).toEqual(['resources[0].year']);
    expect(fieldsOf(resource({ year: 2027 }))).toEqual([]);
    expect(fieldsOf(resource({ year: 2020.5 }))).toEqual(['resources[0].year']);
    expect(fieldsOf(resource({ commodity: 'lithium' as never }))).toEqual(['resources[0].commodity']);
    expect(fieldsOf(deposit({ resources: [null as never] }))).toEqual(['resources[0]']);
  });

  it('needs survey_id to be a UUID', () => {
    expect(validateDepositFields(deposit({ surveyId: 'survey-7' as SurveyId }))).toMatchObject([
      { field: 'survey_id', message: '"survey-7" is not a survey id (a UUID like 123e4567-e89b-12d3-a456-426614174000)' },
    ]);
  });

  it('accepts only http(s) source links (the UI renders them as links)', () => {
    expect(fieldsOf(deposit({ sourceUrl: 'javascript:alert(1)' }))).toEqual(['source_url']);
    expect(fieldsOf(deposit({ sourceUrl: 'file:///etc/passwd' }))).toEqual(['source_url']);
    expect(fieldsOf(deposit({ sourceUrl: 'http://x.org/a b' }))).toEqual(['source_url']);
  });

  it('refuses strings over 1 MiB, in extra too', () => {
    const big = 'x'.repeat(1024 * 1024 + 1);
    expect(validateDepositFields(deposit({ notes: big }))).toMatchObject([{ field: 'notes', message: '"notes" is 1.0 MiB long; the limit is 1 MiB per field' }]);
    expect(fieldsOf(deposit({ extra: { a: { b: [big] } } }))).toEqual(['extra.a']);
    expect(fieldsOf(deposit({ altNames: [big] }))).toEqual(['alt_names[0]']);
    expect(fieldsOf(deposit({ extra: [] as never }))).toEqual(['extra']);
  });
});

describe('validateSurveyFields', () => {
  it('accepts a good record', () => {
    expect(validateSurveyFields(survey())).toEqual([]);
    expect(validateSurveyFields(survey({ startDate: '2020-02-29', endDate: '2020-03' }))).toEqual([]);
    expect(validateSurveyFields(survey({ startDate: '2021-03', endDate: '2021' }))).toEqual([]); // same year
  });

  it('requires a name', () => {
    expect(validateSurveyFields(survey({ name: '' }))).toMatchObject([{ field: 'name', message: 'name is required' }]);
  });

  it('checks dates are ISO and real', () => {
    for (const bad of ['2021-02-29', '2020-13', '2020-1-5', '20200105', 'spring 2020']) {
      expect(validateSurveyFields(survey({ startDate: bad })).map((p) => p.field), bad).toEqual(['start_date']);
    }
  });

  it('checks start ≤ end', () => {
    expect(validateSurveyFields(survey({ startDate: '2022-05-01', endDate: '2022-04-30' }))).toMatchObject([
      { field: 'end_date', message: 'the survey ends (2022-04-30) before it starts (2022-05-01)' },
    ]);
    expect(validateSurveyFields(survey({ startDate: '2023', endDate: '2022-12' })).map((p) => p.field)).toEqual(['end_date']);
  });

  it('checks methods and status against the vocabularies', () => {
    expect(validateSurveyFields(survey({ methods: ['lidar' as never] })).map((p) => p.field)).toEqual(['methods']);
    expect(validateSurveyFields(survey({ methods: ['geophysics', 'geophysics'] })).map((p) => p.field)).toEqual(['methods']);
    expect(validateSurveyFields(survey({ status: 'ongoing' as never })).map((p) => p.field)).toEqual(['status']);
  });
});

describe('helpers', () => {
  it('isoDateRange covers partial dates', () => {
    expect(isoDateRange('2020')).toEqual({ first: '2020-01-01', last: '2020-12-31' });
    expect(isoDateRange('2024-02')).toEqual({ first: '2024-02-01', last: '2024-02-29' });
    expect(isoDateRange('2023-02-29')).toBeUndefined();
  });

  it('utf8Length counts bytes', () => {
    expect(utf8Length('abc')).toBe(3);
    expect(utf8Length('é')).toBe(2);
    expect(utf8Length('鉱')).toBe(3);
    expect(utf8Length('💎')).toBe(4);
    expect(utf8Length('\ud83d')).toBe(3); // lone surrogate: encoded as U+FFFD
  });
});
