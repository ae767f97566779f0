/**
 * mapDepositProperties / mapSurveyProperties on real rows of each shared dataset (expected
 * values written by hand from reading the row), on the MRDS column layout, round trips through
 * Outcrop's export form, hostile strings and over-long values.
 */
import { parse } from 'csv-parse/sync';
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import type { DepositFields } from '../../../src/model/deposit';
import type { SurveyId } from '../../../src/model/ids';
import { mapDepositProperties, mapSurveyProperties, normalizeDate, normalizePropertyName } from '../../../src/model/mapping';
import type { SurveyFields } from '../../../src/model/survey';
import { validateDepositFields } from '../../../src/model/validate-record';
import { depositRow, rowToFeature } from '../../../src/store/columns';
import { hasSharedData, sharedPath } from '../../helpers/data';

/** An empty deposit, to spell expected values as differences. */
function deposit(over: Partial<DepositFields>): DepositFields {
  return {
    name: '', nameJa: null, nameRomaji: null, altNames: [], commoditiesMain: [], commoditiesSecondary: [],
    commoditiesTrace: [], depositType: null, depositTypeText: null, status: null, resources: [], hostRock: null,
    hostRockUnit: null, oreMinerals: null, gangueMinerals: null, country: null, adminArea: null, county: null,
    region: null, agency: null, observer: null, surveyId: null, notes: null, source: null, sourceId: null,
    sourceUrl: null, extra: {}, ...over,
  };
}

function survey(over: Partial<SurveyFields>): SurveyFields {
  return {
    name: '', agency: null, team: null, country: null, methods: [], startDate: null, endDate: null, status: null,
    notes: null, source: null, sourceId: null, sourceUrl: null, extra: {}, ...over,
  };
}

/** The reader takes coordinates out of the properties. */
function withoutCoordinates(r: Record<string, string>, ...keys: string[]): Record<string, string> {
  const out = { ...r };
  for (const k of keys) delete out[k];
  return out;
}

describe.skipIf(!hasSharedData)('real rows', () => {
  const minmod = parse(gunzipSync(readFileSync(sharedPath('deposits', 'minmod-mineral-sites-located.csv.gz'))), { columns: true }) as Record<string, string>[];
  const row = (dataset: string, recordId: string) => {
    const r = minmod.find((x) => x.dataset === dataset && x.record_id === recordId);
    if (!r) throw new Error(`no ${dataset} ${recordId}`);
    return withoutCoordinates(r, 'longitude', 'latitude');
  };
  const minmodExtra = (r: Record<string, string>) => ({
    site_type: r.site_type, site_rank: r.site_rank, crs: r.crs,
    deposit_type_confidence: r.deposit_type_confidence, deposit_type_from: r.deposit_type_from,
  });

  it('NI 43-101 report site (3Q Project): "sulfates" is not a commodity, the list is kept', () => {
    const r = row('inferlink/mining_report', '02dd551021bc1c96dfec9d7c3cbcb46e9defa92470804d09cce481358eb9b24a35');
    const m = mapDepositProperties(r);
    expect(m.problems).toEqual([]);
    expect(m.fields).toEqual(deposit({
      name: '3Q Project',
      commoditiesMain: ['Li', 'B', 'K', 'Mg', 'Ca', 'Sr', 'Na'],
      depositType: 'li-brine',
      depositTypeText: 'Lacustrine brine lithium',
      country: 'Argentina',
      adminArea: 'Catamarca',
      source: 'inferlink/mining_report',
      sourceId: '02dd551021bc1c96dfec9d7c3cbcb46e9defa92470804d09cce481358eb9b24a35',
      sourceUrl: 'https://api.cdr.land/v1/docs/documents',
      extra: { ...minmodExtra(r), commodities: 'lithium; boron; potassium; magnesium; calcium; strontium; sodium; sulfates' },
    }));
  });

  it('USGS podiform chromite (Clary and Langford): aliases, minerals left out, chromium kept', () => {
    const r = row('umn/mrdata_podchrome', '65');
    const m = mapDepositProperties(r);
    expect(m.problems).toEqual([]);
    expect(m.fields).toMatchObject({
      name: 'Clary and Langford',
      altNames: ['Porter and Spring'],
      // chromite; kammererite; Chromic Oxide; Rhodium; Iridium; Ruthenium; Palladium; Platinum; Iron; Chromium; Aluminum Oxide; Silica
      commoditiesMain: ['Cr', 'Rh', 'Ir', 'Ru', 'Pd', 'Pt', 'Fe', 'Al', 'silica'],
      depositType: 'podiform-chromite',
      depositTypeText: 'minor podiform chromite',
      country: 'United States',
      adminArea: 'California',
      source: 'umn/mrdata_podchrome',
      sourceId: '65',
      sourceUrl: 'https://mrdata.usgs.gov/podchrome',
    });
    expect(m.fields.extra.commodities).toBe(r.commodities);
  });

  it('USGS Ni-Cr-PGE site without a name: named by its source, status from site_type', () => {
    const r = row('umn/mrdata_nicrpge', '8418');
    expect(r.name).toBe('');
    const m = mapDepositProperties(r);
    expect(m.problems).toEqual([]);
    expect(m.fields).toEqual(deposit({
      name: 'Unnamed (umn/mrdata_nicrpge 8418)',
      commoditiesMain: ['Ni'],
      // The SRI classifier's guess is mapped like any text; deposit_type_from says it is a guess.
      depositType: 'stratiform-chromite',
      depositTypeText: 'U-M layered intrusion chromium',
      status: 'occurrence',
      country: 'South Africa',
      source: 'umn/mrdata_nicrpge',
      sourceId: '8418',
      sourceUrl: 'https://mrdata.usgs.gov/nicrpge',
      extra: minmodExtra(r),
    }));
    expect(m.fields.extra.deposit_type_from).toBe('sri-classifier');
  });

  it('USGS porphyry copper database: Cox and Singer "17" gets the dataset class, name kept verbatim', () => {
    const r = row('umn/mrdata_porcu', '621');
    const m = mapDepositProperties(r);
    expect(m.fields).toMatchObject({
      name: 'Poston  Butte', // two spaces, as in the source
      commoditiesMain: ['Cu', 'Mo', 'Au', 'Ag'],
      depositType: 'porphyry-cu',
      depositTypeText: '17',
      country: null,
    });
  });

  it('USGS potash database: codes with wide gaps and an open parenthesis', () => {
    const r = row('umn/mrdata_potash', '712');
    const m = mapDepositProperties(r);
    expect(m.problems).toEqual([]);
    expect(m.fields).toMatchObject({
      name: 'Al Qunfudhah',
      commoditiesMain: ['salt', 'K'],
      depositType: 'brine-potash',
      depositTypeText: 'Marine brine potash (±Mg, Li, and so on)',
      country: 'Saudi Arabia',
      adminArea: null,
    });
    expect(m.fields.extra.commodities).toBe('HAL; K(; ); HAL  K(');
  });

  it('Alaska ARDF (Sunday Lake): Cb is niobium, Prospect is a status, NAD27 stays visible in extra', () => {
    const r = row('umn/ardf', 'DE017');
    const m = mapDepositProperties(r);
    expect(m.problems).toEqual([]);
    expect(m.fields.commoditiesMain).toEqual(['Nb', 'Ce', 'Dy', 'Er', 'Eu', 'Gd', 'Ho', 'La', 'Lu', 'Nd', 'Pm', 'Pr', 'Sm', 'Tb', 'Th', 'Tm', 'U', 'Y', 'Yb', 'Zr']);
    expect(m.fields.status).toBe('prospect');
    expect(m.fields.depositType).toBeNull(); // "Unconformity- related REE": no class of ours
    expect(m.fields.depositTypeText).toBe('Unconformity- related REE');
    expect(m.fields.extra).toMatchObject({ site_type: 'Prospect', crs: 'EPSG:4267' });
    expect('commodities' in m.fields.extra).toBe(false); // mapped exactly, nothing to keep
  });

  it('Mudd and Jowitt nickel: grade units in front of symbols', () => {
    const m = mapDepositProperties(row('usc/mudd_jowitt_nickel', 'Sudbury Group (Glencore)'));
    expect(m.fields.commoditiesMain).toEqual(['Cu', 'Ni', 'Co', 'Pt', 'Pd']);
    expect(m.fields.depositType).toBe('magmatic-ni-cu-pge');
    expect('commodities' in m.fields.extra).toBe(false);
  });

  it('japan-sites.geojson (Nanogawa, Kochi): a VMS database record, numbers as numbers', () => {
    const fc = JSON.parse(readFileSync(sharedPath('deposits', 'japan-sites.geojson'), 'utf8'));
    const f = fc.features.find((x: any) => x.properties.name === 'Nanogawa');
    const m = mapDepositProperties(f.properties);
    expect(m.problems).toEqual([]);
    expect(m.fields).toMatchObject({
      name: 'Nanogawa',
      commoditiesMain: ['Au', 'Cu', 'Ag'],
      depositType: 'vms', // "Mafic Copper" means VMS only inside the USGS VMS database
      depositTypeText: 'Mafic Copper',
      country: 'Japan',
      adminArea: 'Kochi',
      source: 'umn/mrdata_vms',
      sourceId: '1099',
    });
    const konomai = fc.features.find((x: any) => x.properties.name === 'Konomai');
    const k = mapDepositProperties(konomai.properties);
    expect(k.fields).toMatchObject({ commoditiesMain: ['Au', 'Ag'], depositType: null, depositTypeText: 'Hydrothermal' });
    expect(k.fields.extra.deposit_type_confidence).toBe(1); // a number stays a number
  });

  it('USGS lithium Site.csv (Kings Valley): ESRI starred names, <Null>, ;-joined other names', () => {
    const rows = parse(readFileSync(sharedPath('deposits', 'usgs-lithium-us-2019', 'Site.csv')), { columns: true, bom: true }) as Record<string, string>[];
    const r = withoutCoordinates(rows.find((x) => x['Site_ID *'] === 'NV00118')!, 'Approx_Lon', 'Approx_Lat');
    const m = mapDepositProperties(r);
    expect(m.problems).toEqual([]);
    expect(m.fields).toEqual(deposit({
      name: 'Kings Valley',
      altNames: ['McDermitt', 'Lithium Nevada', 'Kings Valley lithium', 'Lithium Americas Corp.', 'Thacker Pass'],
      commoditiesMain: ['Li', 'K', 'Na', 'F'],
      sourceId: 'NV00118',
      // "Resources: Yes" is USMIN's flag for "see the Resources table", not an estimate list.
      extra: {
        'OBJECTID *': '12', Last_Updt: '2019-08-05', MinReg_ID: 'Mr00162', Loc_Pt: 'Yes', Loc_Poly: 'Yes',
        GeolMinOcc: 'Yes', Resources: 'Yes', Production: 'No', History: 'Yes', Dep_Model: 'Yes', Descr_Sum: 'Yes',
      },
    }));
    // "Remarks" is the notes column; "<Null>" is empty, so nothing is lost by leaving it out.
    expect(m.fields.notes).toBeNull();
    expect('Remarks' in m.fields.extra).toBe(false);
  });

  it('USGS lithium Loc_Pt.csv: the feature id wins over the site id, which stays in extra', () => {
    const rows = parse(readFileSync(sharedPath('deposits', 'usgs-lithium-us-2019', 'Loc_Pt.csv')), { columns: true, bom: true }) as Record<string, string>[];
    const r = withoutCoordinates(rows.find((x) => x['Ftr_ID *'] === 'Mf00294')!, 'Lat_WGS84', 'Long_WGS84');
    const m = mapDepositProperties(r);
    expect(m.problems).toEqual([]);
    expect(m.fields).toMatchObject({
      name: 'Smackover-Lanxess, BSW-5S',
      altNames: ['Alphin 27028', 'Well Permit Number 22381'],
      commoditiesMain: ['Br'],
      adminArea: 'AR',
      county: 'Union',
      notes: 'Location coordinates provided by a online database',
      sourceId: 'Mf00294',
    });
    expect(m.fields.extra).toMatchObject({ 'Site_ID *': 'AR00002', Ftr_Type: 'Well', Ref_ID: 'Arkansas Oil and Gas Commission (2018)' });
  });

  it('Earth MRI project 1014 (Trans-Pecos aeromagnetic survey)', () => {
    const fc = JSON.parse(readFileSync(sharedPath('polygons', 'usgs-earthmri-projects-nm-sw.geojson'), 'utf8'));
    const p = fc.features.find((f: any) => f.properties.pid === 1014).properties;
    const m = mapSurveyProperties(p);
    expect(m.problems).toEqual([]);
    expect(m.fields).toMatchObject({
      name: 'Trans-Pecos REE Aeromagnetic Survey',
      agency: 'USGS Geology, Minerals, Energy, and Geophysics Science Center',
      methods: ['geophysics'],
      startDate: '2020',
      endDate: '2021',
      status: null,
      source: 'USGS Earth MRI',
      sourceId: '1014',
      sourceUrl: 'https://mrdata.usgs.gov/earthmri/data-acquisition/project/1014',
    });
    expect(m.fields.extra).toMatchObject({ alias: 'Trans-Pecos REE aeromagnetic survey', parea: 2237, pdata: ['https://doi.org/10.5066/P91GTPQL'] });
    expect(m.fields.extra.keywords).toEqual(p.keywords); // array of objects, verbatim
    expect(m.fields.extra.pdescrip).toBe(p.pdescrip);

    const hyper = mapSurveyProperties(fc.features.find((f: any) => f.properties.pid === 50001).properties);
    expect(hyper.fields).toMatchObject({ methods: ['remote-sensing'], startDate: '2022', endDate: null });
    const mapping = mapSurveyProperties(fc.features.find((f: any) => f.properties.pid === 5013).properties);
    expect(mapping.fields.methods).toEqual(['geological-mapping', 'geochemistry']);
    expect(mapping.fields.agency).toBe('New Mexico Bureau of Geology and Mineral Resources');
  });

  it('Japanese prefecture polygon as a survey area', () => {
    const m = mapSurveyProperties({ nam: 'Hokkai Do', nam_ja: '北海道', id: 1 });
    expect(m.problems).toEqual([]);
    expect(m.fields).toEqual(survey({ name: 'Hokkai Do', extra: { nam_ja: '北海道', id: 1 } }));
  });
});

describe('MRDS column layout', () => {
  // Column names from the mrds.csv header (dep_id … discr). dep_id, url, site_name, dev_stat
  // and the commodities are MRDS record 10000013 (Moonshine Prospect, Alaska, "AU CU"); the
  // other values are illustrative, in MRDS's style.
  const mrds = {
    dep_id: '10000013', url: 'https://mrdata.usgs.gov/mrds/show-mrds.php?dep_id=10000013', mrds_id: 'A012345', mas_id: '',
    site_name: 'Moonshine Prospect', region: 'NA', country: 'United States', state: 'Alaska', county: 'Prince of Wales-Hyder',
    com_type: 'M', commod1: 'Gold', commod2: 'Copper', commod3: 'Silver, Lead', oper_type: 'Surface', dep_type: 'Vein',
    prod_size: 'N', dev_stat: 'Occurrence', ore: 'Chalcopyrite, Gold', gangue: 'Quartz', other_matl: '',
    orebody_fm: 'Tabular', work_type: 'Surface', model: 'Polymetallic veins', alteration: 'Silicification', conc_proc: '',
    names: 'Moonshine', ore_ctrl: 'Shear zone', reporter: 'Smith, J.', hrock_unit: 'Descon Formation', hrock_type: 'Graywacke',
    arock_unit: '', arock_type: '', structure: 'Shear', tectonic: '', ref: 'USGS OF 81-1', yfp_ba: '', yr_fst_prd: '',
    ylp_ba: '', yr_lst_prd: '', dy_ba: '', disc_yr: '1905', prod_yrs: '', discr: '', score: 'C',
  };

  it('maps one to one where the model has a field, everything else to extra', () => {
    const m = mapDepositProperties(mrds);
    expect(m.problems).toEqual([]);
    expect(m.fields).toEqual(deposit({
      name: 'Moonshine Prospect',
      altNames: ['Moonshine'],
      commoditiesMain: ['Au'],
      commoditiesSecondary: ['Cu'],
      commoditiesTrace: ['Ag', 'Pb'],
      depositType: 'polymetallic-vein', // "Vein" names no class; the model column does
      depositTypeText: 'Vein',
      status: 'occurrence',
      hostRock: 'Graywacke',
      hostRockUnit: 'Descon Formation',
      oreMinerals: 'Chalcopyrite, Gold',
      gangueMinerals: 'Quartz',
      country: 'United States',
      adminArea: 'Alaska',
      county: 'Prince of Wales-Hyder',
      region: 'NA',
      observer: 'Smith, J.',
      source: 'USGS MRDS',
      sourceId: '10000013',
      sourceUrl: 'https://mrdata.usgs.gov/mrds/show-mrds.php?dep_id=10000013',
      extra: {
        model: 'Polymetallic veins', mrds_id: 'A012345', mas_id: '', com_type: 'M', oper_type: 'Surface', prod_size: 'N',
        other_matl: '', orebody_fm: 'Tabular', work_type: 'Surface', alteration: 'Silicification', conc_proc: '',
        ore_ctrl: 'Shear zone', arock_unit: '', arock_type: '', structure: 'Shear', tectonic: '', ref: 'USGS OF 81-1',
        yfp_ba: '', yr_fst_prd: '', ylp_ba: '', yr_lst_prd: '', dy_ba: '', disc_yr: '1905', prod_yrs: '', discr: '', score: 'C',
      },
    }));
  });

  it('uses model as the text when dep_type is empty; Unknown status is null', () => {
    const m = mapDepositProperties({ ...mrds, dep_type: '', model: 'Porphyry Cu-Mo', dev_stat: 'Unknown' });
    expect(m.fields).toMatchObject({ depositType: 'porphyry-cu-mo', depositTypeText: 'Porphyry Cu-Mo', status: null });
    expect('model' in m.fields.extra).toBe(false);
  });

  it('reports an unknown commodity against the source column', () => {
    const m = mapDepositProperties({ ...mrds, commod1: 'Gold, Unobtainium' });
    expect(m.problems).toMatchObject([{ field: 'commod1', message: '"Unobtainium" is not a known commodity; use a symbol like Li or a name like Lithium' }]);
    expect(m.fields.commoditiesMain).toEqual(['Au']);
    expect(m.fields.extra.commod1).toBe('Gold, Unobtainium');
  });
});

describe('human spellings', () => {
  it('accepts names case-insensitively and common variants', () => {
    const m = mapDepositProperties({ NAME: 'Hishikari', Commodity: 'Gold; Silver', 'Dev Status': 'Producer', Remarks: 'high grade', TYPE: 'Low-sulfidation epithermal gold-silver', Prefecture: 'Kagoshima' });
    expect(m.problems).toEqual([]);
    expect(m.fields).toMatchObject({
      name: 'Hishikari', commoditiesMain: ['Au', 'Ag'], status: 'producer', notes: 'high grade',
      depositType: 'epithermal-au-ag-ls', depositTypeText: 'Low-sulfidation epithermal gold-silver', adminArea: 'Kagoshima',
    });
    expect(m.fields.extra).toEqual({});
  });

  it('accepts Japanese column names', () => {
    const m = mapDepositProperties({ 名称: '菱刈鉱山', 鉱種: '金、銀', 鉱床型: '浅熱水性金銀鉱床（低硫化系）' });
    expect(m.fields).toMatchObject({ name: '菱刈鉱山', commoditiesMain: ['Au', 'Ag'], depositType: 'epithermal-au-ag-ls' });
  });

  it('normalises property names', () => {
    expect(normalizePropertyName('Site_ID *')).toBe('site_id');
    expect(normalizePropertyName(' Main Commodity ')).toBe('main_commodity');
    expect(normalizePropertyName('dev-status')).toBe('dev_status');
  });

  it('treats "", <Null>, NULL and N/A as empty', () => {
    const m = mapDepositProperties({ name: 'X', country: '<Null>', admin_area: 'NULL', county: 'N/A', region: '', notes: '  ' });
    expect(m.fields).toMatchObject({ country: null, adminArea: null, county: null, region: null, notes: null });
  });

  it('needs a name or a source id', () => {
    expect(mapDepositProperties({ commodity: 'Li' }).problems).toMatchObject([{ field: 'name', message: 'name is required (no name, and no source id to name the site by)' }]);
    expect(mapDepositProperties({ name: '   ', source_id: 'A-1' }).fields.name).toBe('Unnamed (A-1)');
    expect(mapSurveyProperties({ methods: 'geophysics' }).problems).toHaveLength(1);
  });

  it('reports bad codes in Outcrop columns, and keeps the bad value', () => {
    const m = mapDepositProperties({ name: 'X', deposit_type: 'porphyry', deposit_type_text: 'Porphyry', status: 'Activ', survey_id: 'abc' });
    expect(m.problems.map((p) => p.field)).toEqual(['status', 'survey_id', 'deposit_type']);
    expect(m.problems[0].message).toBe('"Activ" is not a development status; use occurrence, prospect, past-producer, producer, plant (or Unknown)');
    expect(m.fields.extra).toEqual({ status_original: 'Activ', survey_id_original: 'abc', deposit_type_original: 'porphyry' });
  });

  it('parses survey dates in the common forms and refuses the rest', () => {
    expect(normalizeDate(2020)).toBe('2020');
    expect(normalizeDate('2020/4/1')).toBe('2020-04-01');
    expect(normalizeDate('2020-04-01T09:00:00Z')).toBe('2020-04-01');
    expect(normalizeDate('2020年4月')).toBe('2020-04');
    expect(normalizeDate('2020-02-30')).toBeUndefined();
    expect(normalizeDate('spring 2020')).toBeUndefined();
    const m = mapSurveyProperties({ name: 'S', start_date: '2020-13', methods: ['LiDAR', 'dowsing'], status: 'ongoing' });
    expect(m.fields).toMatchObject({ startDate: null, methods: ['remote-sensing'], status: 'active' });
    expect(m.problems.map((p) => p.field)).toEqual(['methods', 'start_date']);
    expect(m.fields.extra).toEqual({ methods_original: ['LiDAR', 'dowsing'], start_date_original: '2020-13' });
  });
});

describe('round trip: fields → export properties → fields', () => {
  const full: DepositFields = deposit({
    name: 'Hishikari <b>mine</b>',
    nameJa: '菱刈鉱山',
    nameRomaji: 'Hishikari kōzan',
    altNames: ['Hishikari', 'Sumitomo Hishikari'],
    commoditiesMain: ['Au', 'Ag'],
    commoditiesSecondary: ['Cu'],
    commoditiesTrace: ['REE', 'sand-gravel'],
    depositType: 'epithermal-au-ag-ls',
    depositTypeText: 'Low-sulfidation epithermal',
    status: 'producer',
    resources: [
      { tonnage: 1.6, tonnageUnit: 'Mt', commodity: 'Au', grade: 20.1, gradeUnit: 'g/t', classification: 'Measured + Indicated', year: 2020, source: 'company report; p. 3' },
      { tonnage: 0.2, tonnageUnit: 'Mt', grade: null },
    ],
    hostRock: 'Andesite; Shimanto shale',
    hostRockUnit: 'Hokusatsu volcanics',
    oreMinerals: 'electrum, naumannite',
    gangueMinerals: 'quartz, adularia',
    country: 'Japan',
    adminArea: '鹿児島県',
    county: null,
    region: 'Kyushu',
    agency: 'JOGMEC',
    observer: 'T. Sato',
    surveyId: '123e4567-e89b-12d3-a456-426614174000' as SurveyId,
    notes: '  leading and trailing spaces kept  ',
    source: 'field survey',
    sourceId: 'HK-1',
    sourceUrl: 'https://example.org/hk-1',
    extra: { crs: 'EPSG:6668', depth_m: 250, tags: ['vein', 'bonanza'], nested: { a: [1, { b: null }] }, commodities: 'Au; Ag; adularia' },
  });

  /** GeoJSON export: snake_case columns, lists as arrays, extra flattened beside them. */
  function geojsonProps(f: DepositFields): Record<string, unknown> {
    const { extra, ...rest } = f;
    const props: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(rest)) props[k.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)] = v;
    return { ...props, ...extra };
  }

  /** CSV export: every cell a string, lists "; "-joined, objects as JSON (as src/formats/csv/write.ts). */
  function csvProps(f: DepositFields): Record<string, string> {
    const cell = (v: unknown): string =>
      v === null || v === undefined ? '' : Array.isArray(v) ? v.map((x) => (x !== null && typeof x === 'object' ? JSON.stringify(x) : cell(x))).join('; ') : typeof v === 'object' ? JSON.stringify(v) : String(v);
    return Object.fromEntries(Object.entries(geojsonProps(f)).map(([k, v]) => [k, cell(v)]));
  }

  it('GeoJSON form reads back identical', () => {
    const m = mapDepositProperties(geojsonProps(full));
    expect(m.problems).toEqual([]);
    expect(m.fields).toEqual(full);
    expect(validateDepositFields(m.fields)).toEqual([]);
  });

  it('CSV form reads back identical (string extras)', () => {
    const f = { ...full, extra: { crs: 'EPSG:6668', commodities: 'Au; Ag; adularia' } };
    const m = mapDepositProperties(csvProps(f));
    expect(m.problems).toEqual([]);
    expect(m.fields).toEqual(f);
  });

  it('an empty record reads back identical', () => {
    const empty = deposit({ name: 'x' });
    expect(mapDepositProperties(geojsonProps(empty)).fields).toEqual(empty);
    expect(mapDepositProperties(csvProps(empty)).fields).toEqual(empty);
  });

  it('an imported MinMod row survives export and re-import', () => {
    const first = mapDepositProperties({
      dataset: 'umn/mrdata_asbestos', source_id: 'https://mrdata.usgs.gov/asbestos', record_id: '1090', name: 'Creswell mine',
      aliases: '', site_type: '', country: '', state_or_province: 'CO', crs: 'EPSG:4326',
      commodities: 'other calc-silicates; (Eckel; p; 497); tremolite; diopside; piemontite; 1997',
      deposit_type: 'Iron silicate polymetallic', deposit_type_confidence: '0.396', deposit_type_from: 'sri-classifier',
    });
    expect(first.fields.commoditiesMain).toEqual([]);
    const again = mapDepositProperties(geojsonProps(first.fields));
    expect(again.fields).toEqual(first.fields);
  });

  it('goes through the store’s own export form (depositRow → rowToFeature)', () => {
    const audit = { createdAt: '2026-11-23T10:00:00.000Z', updatedAt: '2026-11-23T10:00:00.000Z', createdBy: null, updatedBy: null };
    const row = depositRow('0b7f1b0e-4a8a-4c44-9a0e-3a0f8e4c2d11', full, audit, { type: 'Point', coordinates: [130.6, 32.0] });
    const feature = rowToFeature('deposits', row, { flattenExtra: true });
    const { created_at, updated_at, created_by, updated_by, ...props } = feature.properties;
    expect(mapDepositProperties(props).fields).toEqual(full);
  });
});

describe('hostile input', () => {
  it('stores HTML, SQL, emoji, Japanese and control characters verbatim', () => {
    const nasty = {
      name: '<img src=x onerror=alert(1)>',
      notes: "Robert'); DROP TABLE deposits;--",
      observer: '⛏️💎 山田 太郎',
      host_rock: '\u202Eevil\u0000nul',
      region: '${process.exit()}',
      extra_field: '{{constructor.constructor("x")()}}',
    };
    const m = mapDepositProperties(nasty);
    expect(m.problems).toEqual([]);
    expect(m.fields).toMatchObject({ name: nasty.name, notes: nasty.notes, observer: nasty.observer, hostRock: nasty.host_rock, region: nasty.region });
    expect(m.fields.extra).toEqual({ extra_field: nasty.extra_field });
  });

  it('keeps "__proto__" and "constructor" as plain data', () => {
    const props = JSON.parse('{"name":"x","__proto__":{"polluted":true},"constructor":"c","toString":"t"}');
    const m = mapDepositProperties(props);
    expect(Object.getPrototypeOf(m.fields.extra)).toBe(Object.prototype);
    expect(Object.keys(m.fields.extra)).toEqual(['__proto__', 'constructor', 'toString']);
    expect(m.fields.extra.constructor).toBe('c');
    expect(({} as any).polluted).toBeUndefined();
  });

  it('refuses strings over 1 MiB in any field, extra and nested values included', () => {
    const big = 'x'.repeat(60 * 1024 * 1024);
    const m = mapDepositProperties({ name: 'X', notes: big, something: { deep: ['ok', big] } });
    expect(m.problems).toMatchObject([
      { field: 'notes', message: '"notes" is 60.0 MiB long; the limit is 1 MiB per field' },
      { field: 'something', message: '"something" is 60.0 MiB long; the limit is 1 MiB per field' },
    ]);
    expect(m.fields.notes).toBeNull();
    expect(m.fields.extra).toEqual({});
  });

  it('counts bytes, not characters: 400,000 Japanese characters are 1.1 MiB', () => {
    const m = mapSurveyProperties({ name: 'S', notes: '鉱'.repeat(400_000) });
    expect(m.problems).toMatchObject([{ field: 'notes', message: '"notes" is 1.1 MiB long; the limit is 1 MiB per field' }]);
    expect(mapSurveyProperties({ name: 'S', notes: '鉱'.repeat(300_000) }).problems).toEqual([]);
  });

  it('refuses text fields given as objects, and keeps them in extra', () => {
    const m = mapDepositProperties({ name: 'X', county: { a: 1 } });
    expect(m.problems).toMatchObject([{ field: 'county', message: 'must be text, got an object' }]);
    expect(m.fields.extra).toEqual({ county_original: { a: 1 } });
  });
});

describe('resources', () => {
  it('reads a JSON string, snake_case keys and numbers written with thousands separators', () => {
    const m = mapDepositProperties({ name: 'X', resources: '[{"tonnage": "114,000", "tonnage_unit": "t", "commodity": "lithium (Li)", "classification": "Inferred", "year": 2018}]' });
    expect(m.problems).toEqual([]);
    expect(m.fields.resources).toEqual([{ tonnage: 114000, tonnageUnit: 't', commodity: 'Li', classification: 'Inferred', year: 2018 }]);
  });

  it('reads the "; "-joined objects of a CSV export, even with "; {" inside a string', () => {
    const m = mapDepositProperties({ name: 'X', resources: '{"tonnage":1,"source":"a; {b}"}; {"tonnage":2}' });
    expect(m.fields.resources).toEqual([{ tonnage: 1, source: 'a; {b}' }, { tonnage: 2 }]);
  });

  it('reports what it cannot read and keeps the text', () => {
    const m = mapDepositProperties({ name: 'X', resources: '[{"tonnes": 5, "grade": "high"}]' });
    expect(m.problems.map((p) => p.message)).toEqual([
      'resources[0] has an unknown key "tonnes"; use tonnage, tonnage_unit, commodity, grade, grade_unit, classification, year, source',
      'resources[0].grade must be a number, got "high"',
    ]);
    expect(m.fields.extra.resources_original).toBe('[{"tonnes": 5, "grade": "high"}]');
    expect(mapDepositProperties({ name: 'X', resources: 'lots' }).problems).toHaveLength(1);
  });
});

describe('list fields given as JSON array text (GeoPackage TEXT columns)', () => {
  it('reads "[]" as an empty list, with no "original" kept', () => {
    const d = mapDepositProperties({ name: 'X', alt_names: '[]', commodities_main: '[]', commodities_secondary: ' [] ', commodities_trace: '[]' });
    expect(d.problems).toEqual([]);
    expect(d.fields).toEqual(deposit({ name: 'X' }));
    const s = mapSurveyProperties({ name: 'Area 1', methods: '[]' });
    expect(s.problems).toEqual([]);
    expect(s.fields).toEqual(survey({ name: 'Area 1' }));
  });

  it('reads ["Li","Co"] as that list, and names inside the JSON keep their commas', () => {
    const d = mapDepositProperties({ name: 'Salar X', commodities_main: '["Li","Co"]', alt_names: '["Salar, Norte","Salar Sur"]' });
    expect(d.problems).toEqual([]);
    expect(d.fields).toEqual(deposit({ name: 'Salar X', commoditiesMain: ['Li', 'Co'], altNames: ['Salar, Norte', 'Salar Sur'] }));
    const s = mapSurveyProperties({ name: 'Area 1', methods: '["geochemistry","drilling"]' });
    expect(s.problems).toEqual([]);
    expect(s.fields.methods).toEqual(['geochemistry', 'drilling']);
    expect(s.fields.extra).toEqual({});
  });

  it('still splits other text: "Li; Co", and brackets that are not a JSON list', () => {
    const d = mapDepositProperties({ name: 'X', commodities_main: 'Li; Co', alt_names: '[Mina] Vieja; Norte' });
    expect(d.problems).toEqual([]);
    expect(d.fields.commoditiesMain).toEqual(['Li', 'Co']);
    expect(d.fields.altNames).toEqual(['[Mina] Vieja', 'Norte']);
    expect(d.fields.extra).toEqual({});
    expect(mapDepositProperties({ name: 'X', alt_names: '[Mina Vieja]' }).fields.altNames).toEqual(['[Mina Vieja]']);
    // A JSON list of objects is not a list of names: split as text, as before.
    expect(mapDepositProperties({ name: 'X', alt_names: '[{"a":1}]' }).fields.altNames).toEqual(['[{"a":1}]']);
  });
});

describe('numbers JSON can write but not hold', () => {
  it('an unknown property holding 1e999 (at any depth) is a problem of that property, not a null kept silently', () => {
    // As JSON.parse reads a file's text: 1e999 → Infinity, -1e400 → -Infinity.
    const props = JSON.parse('{"name":"Kings Valley","grade_pct":1e999,"assays":{"depths":[12.5,-1e400]},"site_rank":3}');
    const d = mapDepositProperties(props);
    expect(d.problems).toEqual([
      expect.objectContaining({ field: 'grade_pct', code: 'mapping.notFinite', params: { value: 'Infinity' } }),
      expect.objectContaining({ field: 'assays', code: 'mapping.notFinite', params: { value: '-Infinity' } }),
    ]);
    expect(d.problems[0].message).toMatch(/holds a number beyond what can be stored \(Infinity/);
    // Finite numbers stay numbers, as before.
    expect(mapDepositProperties({ name: 'X', site_rank: 3, assays: { depths: [12.5, 1e308] } }).problems).toEqual([]);
    expect(mapSurveyProperties(JSON.parse('{"name":"Area 1","line_km":1e999}')).problems).toEqual([
      expect.objectContaining({ field: 'line_km', code: 'mapping.notFinite' }),
    ]);
  });
});
