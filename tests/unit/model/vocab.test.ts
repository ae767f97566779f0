import { describe, expect, it } from 'vitest';
import {
  COMMODITIES,
  COMMODITY_CODES,
  DEPOSIT_TYPES,
  DEPOSIT_TYPE_CODES,
  classifyNonCommodity,
  commodityEntry,
  commodityGroupMembers,
  matchDepositType,
  nonCommodityTerms,
  normalizeCommodityText,
  normalizeDepositTypeText,
  parseCommodity,
  parseCommodityList,
  parseDevStatus,
  parseSurveyMethods,
  parseSurveyStatus,
  vocabLabel,
} from '../../../src/model/vocab';

describe('commodity vocabulary', () => {
  it('has unique codes, and no synonym that means two things', () => {
    expect(new Set(COMMODITY_CODES).size).toBe(COMMODITY_CODES.length);
    const owner = new Map<string, string>();
    for (const c of COMMODITIES) {
      const keys = [c.en.toLowerCase(), normalizeCommodityText(c.ja).toLowerCase(), ...c.synonyms.map((s) => normalizeCommodityText(s).toLowerCase())];
      for (const k of keys) {
        expect(owner.get(k) ?? c.code, `"${k}" is claimed by ${owner.get(k)} and ${c.code}`).toBe(c.code);
        owner.set(k, c.code);
        // A commodity synonym must not also be listed as a non-commodity.
        expect(classifyNonCommodity(k), `"${k}" is both ${c.code} and a non-commodity`).toBeUndefined();
      }
    }
  });

  it('keeps synonyms in lower case (they are matched lower-cased)', () => {
    for (const c of COMMODITIES) for (const s of c.synonyms) expect(s).toBe(s.toLowerCase());
  });

  it('flags the 60 minerals of the USGS 2025 critical minerals list', () => {
    // 50 of 2022 + boron, copper, lead, metallurgical coal, phosphate, potash, rhenium, silicon,
    // silver, uranium. Counted by the list's own names: barite, fluorspar, phosphate, potash and
    // metallurgical coal are the commodity entries; the Ba/F/P/K element twins are not counted.
    const listed = [
      'Al', 'Sb', 'As', 'barite', 'Be', 'Bi', 'B', 'Ce', 'Cs', 'Cr', 'Co', 'Cu', 'Dy', 'Er', 'Eu', 'fluorspar', 'Gd', 'Ga',
      'Ge', 'graphite', 'Hf', 'Ho', 'In', 'Ir', 'La', 'Pb', 'Li', 'Lu', 'Mg', 'Mn', 'met-coal', 'Nd', 'Ni', 'Nb', 'Pd',
      'phosphate', 'Pt', 'potash', 'Pr', 'Re', 'Rh', 'Rb', 'Ru', 'Sm', 'Sc', 'Si', 'Ag', 'Ta', 'Te', 'Tb', 'Tm', 'Sn', 'Ti',
      'W', 'U', 'V', 'Yb', 'Y', 'Zn', 'Zr',
    ];
    expect(listed).toHaveLength(60);
    for (const code of listed) expect(commodityEntry(code)?.criticalUS, code).toBe(true);
    for (const code of ['Os', 'Pm', 'Au', 'Fe', 'Mo', 'Sr', 'Se', 'coal', 'Th']) expect(commodityEntry(code)?.criticalUS, code).toBe(false);
  });

  it('flags Japan’s 重要鉱物 (35 鉱種 + uranium) but not copper, gold or zinc', () => {
    for (const code of ['Mn', 'Ni', 'Cr', 'W', 'Mo', 'Co', 'Nb', 'Ta', 'Sb', 'Li', 'B', 'Ti', 'V', 'Sr', 'Nd', 'Dy', 'Pt', 'Os', 'Be', 'Ga', 'Ge', 'Se', 'Rb', 'Zr', 'In', 'Te', 'Cs', 'Ba', 'Hf', 'Re', 'Tl', 'Bi', 'graphite', 'F', 'Mg', 'Si', 'P', 'U']) {
      expect(commodityEntry(code)?.criticalJP, code).toBe(true);
    }
    for (const code of ['Cu', 'Au', 'Zn', 'Pb', 'Ag', 'Fe', 'Al']) expect(commodityEntry(code)?.criticalJP, code).toBe(false);
  });

  it('parses symbols in their case or capitals, never lower case', () => {
    expect(parseCommodity('Li')).toBe('Li');
    expect(parseCommodity('LI')).toBe('Li');
    expect(parseCommodity('li')).toBeUndefined();
    expect(parseCommodity('In')).toBe('In');
    expect(parseCommodity('in')).toBeUndefined();
    expect(parseCommodity('Re')).toBe('Re');
    expect(parseCommodity('RE')).toBeUndefined(); // rare earths or rhenium?
    expect(parseCommodity('Cb')).toBe('Nb'); // columbium, the old name of niobium (ARDF)
  });

  it('parses English and Japanese names, groups, MRDS names, oxides and variants seen in data', () => {
    const cases: Array<[string, string]> = [
      ['Lithium', 'Li'], ['lithium', 'Li'], ['リチウム', 'Li'], ['ネオジム', 'Nd'], ['ジスプロシウム', 'Dy'], ['白金', 'Pt'],
      ['レアアース', 'REE'], ['希土類', 'REE'], ['黒鉛', 'graphite'], ['蛍石', 'fluorspar'], ['銅', 'Cu'],
      ['rare earths', 'REE'], ['REE', 'REE'], ['Rare-Earth Elements', 'REE'], ['PGE', 'PGE'], ['PGM', 'PGE'],
      ['platinum group metals', 'PGE'], ['Platinum-Group Elements', 'PGE'], ['copper (Cu)', 'Cu'],
      ['Niobium (Columbium)', 'Nb'], ['Barium-Barite', 'barite'], ['Fluorine-Fluorite', 'fluorspar'],
      ['Sand and Gravel', 'sand-gravel'], ['Talc-Soapstone', 'talc'], ['Sulfur-Pyrite', 'S'], ['Chromic Oxide', 'Cr'],
      ['WO3', 'W'], ['SnO2', 'Sn'], ['triuranium octoxide', 'U'], ['%Ni', 'Ni'], ['g/t Pt', 'Pt'], ['Osmiums', 'Os'],
      ['gadoliniumn', 'Gd'], ['Coppper', 'Cu'], ['HAL', 'salt'], ['NACO', 'soda-ash'], ['sulfate of potash', 'potash'],
      ['metallurgical coal', 'met-coal'], ['sand-gravel', 'sand-gravel'], ['met-coal', 'met-coal'],
      ['Ｌｉ', 'Li'], // full-width, NFKC
    ];
    for (const [text, code] of cases) expect(parseCommodity(text), text).toBe(code);
  });

  it('does not map minerals, rocks, qualifiers or vague groups', () => {
    for (const t of ['chalcopyrite', 'chromite', 'serpentine', 'Construction', 'Crushed', 'sulfates', 'base metals', 'Unknown', 'unobtainium', '']) {
      expect(parseCommodity(t), t).toBeUndefined();
    }
    expect(classifyNonCommodity('sulfates')).toBe('vague');
    expect(classifyNonCommodity('chalcopyrite')).toBe('mineral');
    expect(classifyNonCommodity('construction')).toBe('qualifier');
    expect(nonCommodityTerms().size).toBeGreaterThan(500);
  });

  it('splits lists on ; , / and, keeping order and dropping duplicates', () => {
    expect(parseCommodityList('Zinc; Silver; Lead; Gold; Copper').codes).toEqual(['Zn', 'Ag', 'Pb', 'Au', 'Cu']);
    expect(parseCommodityList('Gold, Silver, Gold').codes).toEqual(['Au', 'Ag']);
    expect(parseCommodityList('Li/Cs/Ta').codes).toEqual(['Li', 'Cs', 'Ta']);
    expect(parseCommodityList('Zirconium and Hafnium').codes).toEqual(['Zr', 'Hf']);
    expect(parseCommodityList('銅、鉛、亜鉛').codes).toEqual(['Cu', 'Pb', 'Zn']);
    expect(parseCommodityList('銅・鉛・亜鉛').codes).toEqual(['Cu', 'Pb', 'Zn']);
    expect(parseCommodityList(['Li', 'lithium', 'REE']).codes).toEqual(['Li', 'REE']);
    expect(parseCommodityList('').codes).toEqual([]);
    expect(parseCommodityList(null)).toEqual({ codes: [], unknown: [], ignored: [], exact: true });
  });

  it('reads the quirks of the real lists', () => {
    // USGS potash database: codes separated by wide gaps, a parenthesis left open.
    const potash = parseCommodityList('HAL; K(; ); HAL  K(');
    expect(potash.codes).toEqual(['salt', 'K']);
    expect(potash.unknown).toEqual([]);
    // MRDS names split at their comma: the qualifier is recognised and left out.
    const mrds = parseCommodityList('Sand and Gravel; Construction');
    expect(mrds).toMatchObject({ codes: ['sand-gravel'], unknown: [], ignored: ['Construction'], exact: false });
    // Virginia DMME "iron and/or manganese", split at the slash.
    expect(parseCommodityList('iron and; or manganese').codes).toEqual(['Fe', 'Mn']);
    // A parenthesis naming more commodities adds them; one that is a note does not.
    expect(parseCommodityList('Osmium (Pd; Rh)').codes).toEqual(['Os', 'Pd', 'Rh']);
    expect(parseCommodityList('iron (magnetite)')).toMatchObject({ codes: ['Fe'], exact: false });
    // A parenthesis that never closes must not swallow the rest of the list.
    expect(parseCommodityList('adularia (109; 2 Ma; quartz; barite; galena').codes).toEqual(['silica', 'barite']);
    // An uncertain commodity maps, but the list is marked inexact so the caller keeps the text.
    expect(parseCommodityList('Mica?')).toMatchObject({ codes: ['mica'], exact: false });
    // Debris of a citation split at its commas.
    expect(parseCommodityList('other calc-silicates; (Eckel; p; 497); tremolite; 1997')).toMatchObject({ codes: [], unknown: [] });
    expect(parseCommodityList('lithium; unobtainium').unknown).toEqual(['unobtainium']);
  });

  it('expands groups', () => {
    expect(commodityGroupMembers('PGE')).toEqual(['Ru', 'Rh', 'Pd', 'Os', 'Ir', 'Pt']);
    expect(commodityGroupMembers('REE')).toHaveLength(17);
    expect(commodityGroupMembers('LREE')).toEqual(['La', 'Ce', 'Pr', 'Nd', 'Pm', 'Sm', 'Eu']);
    expect(commodityGroupMembers('HREE')).toEqual(['Y', 'Gd', 'Tb', 'Dy', 'Ho', 'Er', 'Tm', 'Yb', 'Lu']);
    expect(commodityGroupMembers('Cu')).toEqual([]);
  });
});

describe('deposit types', () => {
  it('has unique codes and Japanese labels', () => {
    expect(new Set(DEPOSIT_TYPE_CODES).size).toBe(DEPOSIT_TYPE_CODES.length);
    for (const d of DEPOSIT_TYPES) expect(d.ja).toMatch(/[\u3040-\u30ff\u4e00-\u9fff]/);
  });

  it('maps the classes named in the real data', () => {
    const cases: Array<[string, string]> = [
      ['Lacustrine brine lithium', 'li-brine'], ['LCT pegmatite', 'li-pegmatite'], ['Lacustrine clay lithium', 'li-clay'],
      ['Mafic-siliciclastic VMS', 'vms'], ['Kuroko', 'vms'], ['黒鉱', 'vms'], ['Porphyry copper ± gold', 'porphyry-cu-au'],
      ['Porphyry copper \b1 gold', 'porphyry-cu-au'], ['Porphyry copper- molybdenum', 'porphyry-cu-mo'],
      ['Low-fluorine porphyry molybdenum', 'porphyry-mo'], ['Carbonatite REE', 'carbonatite-ree'],
      ['Peralkaline igneous HFSE- REE', 'alkaline-igneous-ree'], ['Ion adsorption REE', 'ion-adsorption-clay-ree'],
      ['Heavy mineral sands', 'placer-ree'], ['Laterite nickel', 'laterite-ni-co'],
      ['Arc U-M intru- sion nickel- copper-PGE', 'magmatic-ni-cu-pge'], ['U-M layered intrusion chromium', 'stratiform-chromite'],
      ['U-M layered intrusion PGE', 'pge-reef'], ['Ophiolite chromium', 'podiform-chromite'],
      ['Low-sulfidation (LS) epither- mal gold-silver', 'epithermal-au-ag-ls'], ['High-sulfidation (HS) epithermal silver-gold ± Cu', 'epithermal-au-ag-hs'],
      ['Mesozonal orogenic gold', 'orogenic-au'], ['Siliciclastic- carbonate zinc-lead', 'sedex'], ['MVT', 'mvt'],
      ['Sediment-hosted stratabound copper', 'sediment-hosted-cu'], ['Hematite- dominant IOCG', 'iocg'],
      ['Skarn tungsten ± Mo', 'skarn-w'], ['Skarn copper', 'skarn-cu'], ['Skarn zinc-lead-silver', 'skarn-zn-pb'],
      ['Skarn iron', 'skarn-fe'], ['Greisen tin ±W-Mo', 'greisen-sn-w'], ['Fluvial placer gold', 'placer-au'],
      ['Superior-type banded iron formation', 'banded-iron-formation'], ['Phosphorite', 'sedimentary-phosphate'],
      ['Marine evaporite potash', 'evaporite-potash'], ['Metamorphic graphite', 'graphite'], ['Karst bauxite', 'bauxite'],
      ['Sedimentary manganese', 'sedimentary-mn'], ['Unconformity- related uranium', 'unconformity-u'],
      ['Sandstone uranium', 'sandstone-u'], ['20c', 'porphyry-cu-au'], ['14a - W skarn deposits', 'skarn-w'],
      ['porphyry-cu', 'porphyry-cu'], ['li-brine', 'li-brine'],
      // the same classes in other word orders and spellings reports use
      ['Nickel laterite', 'laterite-ni-co'], ['Ni-Co laterite', 'laterite-ni-co'], ['Co-Ni laterite', 'laterite-ni-co'],
      ['Lateritic nickel', 'laterite-ni-co'], ['laterite Ni', 'laterite-ni-co'], ['Copper porphyry', 'porphyry-cu'],
      ['Cu-Au porphyry', 'porphyry-cu-au'], ['Cu-Mo porphyry', 'porphyry-cu-mo'], ['Molybdenum porphyry', 'porphyry-mo'],
      ['Clay-hosted lithium', 'li-clay'], ['Low-sulphidation epithermal', 'epithermal-au-ag-ls'],
      ['High-sulphidation epithermal gold', 'epithermal-au-ag-hs'],
    ];
    for (const [text, code] of cases) expect(matchDepositType(text), text).toBe(code);
  });

  it('leaves vague words, bare numbers and dataset codes unmapped', () => {
    for (const t of ['Hydrothermal', 'Surficial', 'Sedimentary', 'Igneous', 'Metamorphic', 'Magmatic', 'Vein', 'Replacement',
      'Felsic', 'Mafic', 'Unclassified', 'Unknown', '17', '3', 'CD', 'CAig', 'Brine', 'Laterite', 'Massive sulphide', '', '   ']) {
      expect(matchDepositType(t), t).toBeUndefined();
    }
    expect(matchDepositType(null)).toBeUndefined();
  });

  it('normalises the escapes and line breaks of the MinMod text', () => {
    expect(normalizeDepositTypeText('Porphyry copper \\\\u00b1 gold')).toBe('porphyry copper gold');
    expect(normalizeDepositTypeText('Black shale va- nadium ± Mo ± Ni')).toBe('black shale vanadium mo ni');
  });
});

describe('development status', () => {
  it('parses MRDS dev_stat values and codes; Unknown is null, the rest undefined', () => {
    expect(parseDevStatus('Occurrence')).toBe('occurrence');
    expect(parseDevStatus('Prospect')).toBe('prospect');
    expect(parseDevStatus('Past Producer')).toBe('past-producer');
    expect(parseDevStatus('past-producer')).toBe('past-producer');
    expect(parseDevStatus('Producer')).toBe('producer');
    expect(parseDevStatus('Plant')).toBe('plant');
    expect(parseDevStatus('Prospect(?)')).toBe('prospect');
    expect(parseDevStatus('稼行中')).toBe('producer');
    expect(parseDevStatus('Unknown')).toBeNull();
    expect(parseDevStatus('unclassified')).toBeNull();
    expect(parseDevStatus('Mine')).toBeUndefined();
    expect(parseDevStatus('Active')).toBeUndefined();
    expect(parseDevStatus('')).toBeUndefined();
    expect(parseDevStatus(undefined)).toBeUndefined();
  });
});

describe('survey vocabularies', () => {
  it('parses Earth MRI program arrays and common method words', () => {
    expect(parseSurveyMethods(['Geophysics', 'Magnetic and Radiometric'])).toEqual({ methods: ['geophysics'], unknown: [] });
    expect(parseSurveyMethods(['Geologic mapping', 'geochemistry']).methods).toEqual(['geological-mapping', 'geochemistry']);
    expect(parseSurveyMethods(['Hyperspectral']).methods).toEqual(['remote-sensing']);
    expect(parseSurveyMethods('LiDAR; Drilling').methods).toEqual(['remote-sensing', 'drilling']);
    expect(parseSurveyMethods(['Reconnaissance geochemistry']).methods).toEqual(['geochemistry']);
    expect(parseSurveyMethods('物理探査').methods).toEqual(['geophysics']);
    expect(parseSurveyMethods('dowsing').unknown).toEqual(['dowsing']);
  });

  it('parses statuses', () => {
    expect(parseSurveyStatus('ongoing')).toBe('active');
    expect(parseSurveyStatus('Completed')).toBe('completed');
    expect(parseSurveyStatus('完了')).toBe('completed');
    expect(parseSurveyStatus('cancelled')).toBeUndefined();
  });
});

describe('vocabLabel', () => {
  it('gives English and Japanese labels, and the code for unknown codes', () => {
    expect(vocabLabel('commodity', 'Nd', 'ja')).toBe('ネオジム');
    expect(vocabLabel('commodity', 'Li', 'en')).toBe('Lithium');
    expect(vocabLabel('depositType', 'porphyry-cu', 'ja')).toBe('斑岩銅鉱床');
    expect(vocabLabel('devStatus', 'past-producer', 'en')).toBe('Past producer');
    expect(vocabLabel('surveyMethod', 'remote-sensing', 'ja')).toBe('リモートセンシング');
    expect(vocabLabel('surveyStatus', 'active', 'ja')).toBe('実施中');
    expect(vocabLabel('commodity', 'Xx', 'ja')).toBe('Xx');
  });
});
