/**
 * Commodity vocabulary: chemical elements by symbol, element groups (REE, PGE) and the
 * industrial-mineral, construction and energy commodities that appear in USGS and state
 * mineral-site data. Pure data plus lookups: no Node built-ins (the renderer imports this).
 *
 * Critical-mineral flags:
 * - `criticalUS`: U.S. Geological Survey, "Final 2025 List of Critical Minerals" (Department of
 *   the Interior, Federal Register, 7 Nov 2025): the 50 minerals of the 2022 list plus boron,
 *   copper, lead, metallurgical coal, phosphate, potash, rhenium, silicon, silver and uranium
 *   (60 in all; arsenic and tellurium kept). The list names barite, fluorspar, phosphate and
 *   potash rather than Ba, F, P and K; the element entries carry the same flag so a filter on
 *   either form finds the deposit. Osmium and promethium are not on the list.
 * - `criticalJP`: Japan, 経済安全保障推進法 特定重要物資「重要鉱物」 (Cabinet Order of 20 Dec
 *   2022, METI 安定供給確保を図るための取組方針): マンガン、ニッケル、クロム、タングステン、
 *   モリブデン、コバルト、ニオブ、タンタル、アンチモン、リチウム、ボロン、チタン、バナジウム、
 *   ストロンチウム、希土類金属、白金族、ベリリウム、ガリウム、ゲルマニウム、セレン、ルビジウム、
 *   ジルコニウム、インジウム、テルル、セシウム、バリウム、ハフニウム、レニウム、タリウム、
 *   ビスマス、グラファイト、フッ素、マグネシウム、シリコン、リン, and ウラン (a METI support
 *   target since 2023). Minerals of these elements (barite, fluorspar, phosphate) carry the flag.
 *   Check against the current e-Gov text before publishing a map that relies on it.
 *
 * Parsing accepts symbols in their own case or all capitals ("Li", "LI"; never "li", because
 * "in", "as", "be", "co" are words), English and Japanese names, MRDS commodity names
 * ("Barium-Barite", "Sand and Gravel"), oxide forms ("WO3", "Chromic Oxide") and the plurals,
 * qualifiers and typos seen in the real data. Terms that are recognised but are not
 * commodities (mineral species, host rocks, qualifiers such as "Construction", truncated
 * fragments) are reported as `ignored`, never mapped: see ./non-commodities.
 */
import { classifyNonCommodity } from './non-commodities';
import { memoizeText } from './memo';

export type CommodityKind = 'element' | 'group' | 'industrial' | 'energy';

export interface CommodityEntry {
  readonly code: string;
  readonly en: string;
  readonly ja: string;
  readonly kind: CommodityKind;
  /** Chemical symbol, for elements. */
  readonly symbol?: string;
  /** Element group the element belongs to. */
  readonly group?: 'REE' | 'PGE';
  /** Elements an industrial commodity is mined for, e.g. barite → Ba. */
  readonly elements?: readonly string[];
  readonly criticalUS: boolean;
  readonly criticalJP: boolean;
  /** Lower-case strings accepted on import (English and Japanese), besides `en` and `ja`. */
  readonly synonyms: readonly string[];
}

export const COMMODITIES = [
  // ---- elements (ordered by atomic number) ----
  { code: 'H', symbol: 'H', kind: 'element', en: 'Hydrogen', ja: '水素', criticalUS: false, criticalJP: false, synonyms: ['hydrogen', 'natural hydrogen'] },
  { code: 'He', symbol: 'He', kind: 'element', en: 'Helium', ja: 'ヘリウム', criticalUS: false, criticalJP: false, synonyms: ['helium'] },
  { code: 'Li', symbol: 'Li', kind: 'element', en: 'Lithium', ja: 'リチウム', criticalUS: true, criticalJP: true, synonyms: ['lithium', 'lithium carbonate', 'lithium oxide', 'li2o', 'lithium mica'] },
  { code: 'Be', symbol: 'Be', kind: 'element', en: 'Beryllium', ja: 'ベリリウム', criticalUS: true, criticalJP: true, synonyms: ['beryllium', 'beryllium oxide', 'beo'] },
  { code: 'B', symbol: 'B', kind: 'element', en: 'Boron', ja: 'ホウ素', criticalUS: true, criticalJP: true, synonyms: ['boron', 'borates', 'borate', 'borax', 'boron-borates', 'ボロン', '硼素', 'ほう素'] },
  { code: 'N', symbol: 'N', kind: 'element', en: 'Nitrogen', ja: '窒素', criticalUS: false, criticalJP: false, synonyms: ['nitrogen', 'nitrate', 'nitrates', 'no3', 'nitrogen-nitrates'] },
  { code: 'F', symbol: 'F', kind: 'element', en: 'Fluorine', ja: 'フッ素', criticalUS: true, criticalJP: true, synonyms: ['fluorine', '弗素', 'ふっ素'] },
  { code: 'Na', symbol: 'Na', kind: 'element', en: 'Sodium', ja: 'ナトリウム', criticalUS: false, criticalJP: false, synonyms: ['sodium', 'sodium oxide', 'na2o', 'sodium ox', 'sodium oxi', 'sod'] },
  { code: 'Mg', symbol: 'Mg', kind: 'element', en: 'Magnesium', ja: 'マグネシウム', criticalUS: true, criticalJP: true, synonyms: ['magnesium', 'magnesium oxide', 'magnesia', 'mgo', 'magnesium compounds', 'magnesium minerals', 'mangnesium'] },
  { code: 'Al', symbol: 'Al', kind: 'element', en: 'Aluminum', ja: 'アルミニウム', criticalUS: true, criticalJP: false, synonyms: ['aluminum', 'aluminium', 'aluminum oxide', 'aluminium oxide', 'alumina', 'al2o3'] },
  { code: 'Si', symbol: 'Si', kind: 'element', en: 'Silicon', ja: 'ケイ素', criticalUS: true, criticalJP: true, synonyms: ['silicon', 'silicon metal', 'シリコン', '珪素', 'けい素'] },
  { code: 'P', symbol: 'P', kind: 'element', en: 'Phosphorus', ja: 'リン', criticalUS: true, criticalJP: true, synonyms: ['phosphorus', 'phosphorous', 'phosphorus pentoxide', 'phosphorus pentoxite', 'p2o5', 'phosphrus', '燐'] },
  { code: 'S', symbol: 'S', kind: 'element', en: 'Sulfur', ja: '硫黄', criticalUS: false, criticalJP: false, synonyms: ['sulfur', 'sulphur', 'native sulfur', 'sulfur-pyrite', 'sulfuric acid', 'いおう'] },
  { code: 'Cl', symbol: 'Cl', kind: 'element', en: 'Chlorine', ja: '塩素', criticalUS: false, criticalJP: false, synonyms: ['chlorine', 'chloride'] },
  { code: 'K', symbol: 'K', kind: 'element', en: 'Potassium', ja: 'カリウム', criticalUS: true, criticalJP: false, synonyms: ['potassium', 'potassium oxide', 'potassium oxid', 'k2o'] },
  { code: 'Ca', symbol: 'Ca', kind: 'element', en: 'Calcium', ja: 'カルシウム', criticalUS: false, criticalJP: false, synonyms: ['calcium', 'calcium oxide', 'cao', 'cacium', 'caclcium'] },
  { code: 'Sc', symbol: 'Sc', kind: 'element', group: 'REE', en: 'Scandium', ja: 'スカンジウム', criticalUS: true, criticalJP: true, synonyms: ['scandium'] },
  { code: 'Ti', symbol: 'Ti', kind: 'element', en: 'Titanium', ja: 'チタン', criticalUS: true, criticalJP: true, synonyms: ['titanium', 'titanium oxide', 'titanium dioxide', 'tio2', 'titan', 'tita'] },
  { code: 'V', symbol: 'V', kind: 'element', en: 'Vanadium', ja: 'バナジウム', criticalUS: true, criticalJP: true, synonyms: ['vanadium', 'vanadium pentoxide', 'v2o5'] },
  { code: 'Cr', symbol: 'Cr', kind: 'element', en: 'Chromium', ja: 'クロム', criticalUS: true, criticalJP: true, synonyms: ['chromium', 'chrome', 'chromic oxide', 'chromium oxide', 'cr2o3'] },
  { code: 'Mn', symbol: 'Mn', kind: 'element', en: 'Manganese', ja: 'マンガン', criticalUS: true, criticalJP: true, synonyms: ['manganese', 'manganese oxide', 'mangeanse oxide', 'managanese', 'manganes', 'mno'] },
  { code: 'Fe', symbol: 'Fe', kind: 'element', en: 'Iron', ja: '鉄', criticalUS: false, criticalJP: false, synonyms: ['iron', 'iron ore', 'iron oxide', 'pig iron', 'fe2o3', '鉄鉱石'] },
  { code: 'Co', symbol: 'Co', kind: 'element', en: 'Cobalt', ja: 'コバルト', criticalUS: true, criticalJP: true, synonyms: ['cobalt', 'cobal'] },
  { code: 'Ni', symbol: 'Ni', kind: 'element', en: 'Nickel', ja: 'ニッケル', criticalUS: true, criticalJP: true, synonyms: ['nickel', 'ferronickel', 'nickel silicate', 'native nickel'] },
  { code: 'Cu', symbol: 'Cu', kind: 'element', en: 'Copper', ja: '銅', criticalUS: true, criticalJP: false, synonyms: ['copper', 'native copper', 'coppper', 'copper minerals', 'copper oxides', 'copper sulfides', 'copper-oxide minerals', 'cu minerals'] },
  { code: 'Zn', symbol: 'Zn', kind: 'element', en: 'Zinc', ja: '亜鉛', criticalUS: true, criticalJP: false, synonyms: ['zinc'] },
  { code: 'Ga', symbol: 'Ga', kind: 'element', en: 'Gallium', ja: 'ガリウム', criticalUS: true, criticalJP: true, synonyms: ['gallium'] },
  { code: 'Ge', symbol: 'Ge', kind: 'element', en: 'Germanium', ja: 'ゲルマニウム', criticalUS: true, criticalJP: true, synonyms: ['germanium'] },
  { code: 'As', symbol: 'As', kind: 'element', en: 'Arsenic', ja: 'ヒ素', criticalUS: true, criticalJP: false, synonyms: ['arsenic', 'aresnic', 'as2o3', '砒素', 'ひ素'] },
  { code: 'Se', symbol: 'Se', kind: 'element', en: 'Selenium', ja: 'セレン', criticalUS: false, criticalJP: true, synonyms: ['selenium'] },
  { code: 'Br', symbol: 'Br', kind: 'element', en: 'Bromine', ja: '臭素', criticalUS: false, criticalJP: false, synonyms: ['bromine'] },
  { code: 'Rb', symbol: 'Rb', kind: 'element', en: 'Rubidium', ja: 'ルビジウム', criticalUS: true, criticalJP: true, synonyms: ['rubidium', 'rubidi', 'rub'] },
  { code: 'Sr', symbol: 'Sr', kind: 'element', en: 'Strontium', ja: 'ストロンチウム', criticalUS: false, criticalJP: true, synonyms: ['strontium', 'strontiu', 'stront'] },
  { code: 'Y', symbol: 'Y', kind: 'element', group: 'REE', en: 'Yttrium', ja: 'イットリウム', criticalUS: true, criticalJP: true, synonyms: ['yttrium'] },
  { code: 'Zr', symbol: 'Zr', kind: 'element', en: 'Zirconium', ja: 'ジルコニウム', criticalUS: true, criticalJP: true, synonyms: ['zirconium', 'zro2'] },
  { code: 'Nb', symbol: 'Nb', kind: 'element', en: 'Niobium', ja: 'ニオブ', criticalUS: true, criticalJP: true, synonyms: ['niobium', 'columbium', 'cb', 'nb2o5'] },
  { code: 'Mo', symbol: 'Mo', kind: 'element', en: 'Molybdenum', ja: 'モリブデン', criticalUS: false, criticalJP: true, synonyms: ['molybdenum', 'moly', 'mos2', 'moo3', '水鉛'] },
  { code: 'Ru', symbol: 'Ru', kind: 'element', group: 'PGE', en: 'Ruthenium', ja: 'ルテニウム', criticalUS: true, criticalJP: true, synonyms: ['ruthenium'] },
  { code: 'Rh', symbol: 'Rh', kind: 'element', group: 'PGE', en: 'Rhodium', ja: 'ロジウム', criticalUS: true, criticalJP: true, synonyms: ['rhodium'] },
  { code: 'Pd', symbol: 'Pd', kind: 'element', group: 'PGE', en: 'Palladium', ja: 'パラジウム', criticalUS: true, criticalJP: true, synonyms: ['palladium', 'native palladium'] },
  { code: 'Ag', symbol: 'Ag', kind: 'element', en: 'Silver', ja: '銀', criticalUS: true, criticalJP: false, synonyms: ['silver', 'silveer', 'native silver'] },
  { code: 'Cd', symbol: 'Cd', kind: 'element', en: 'Cadmium', ja: 'カドミウム', criticalUS: false, criticalJP: false, synonyms: ['cadmium'] },
  { code: 'In', symbol: 'In', kind: 'element', en: 'Indium', ja: 'インジウム', criticalUS: true, criticalJP: true, synonyms: ['indium'] },
  { code: 'Sn', symbol: 'Sn', kind: 'element', en: 'Tin', ja: 'スズ', criticalUS: true, criticalJP: false, synonyms: ['tin', 'sno2', 'tin oxide', '錫', 'すず'] },
  { code: 'Sb', symbol: 'Sb', kind: 'element', en: 'Antimony', ja: 'アンチモン', criticalUS: true, criticalJP: true, synonyms: ['antimony'] },
  { code: 'Te', symbol: 'Te', kind: 'element', en: 'Tellurium', ja: 'テルル', criticalUS: true, criticalJP: true, synonyms: ['tellurium'] },
  { code: 'I', symbol: 'I', kind: 'element', en: 'Iodine', ja: 'ヨウ素', criticalUS: false, criticalJP: false, synonyms: ['iodine', '沃素', 'よう素'] },
  { code: 'Cs', symbol: 'Cs', kind: 'element', en: 'Cesium', ja: 'セシウム', criticalUS: true, criticalJP: true, synonyms: ['cesium', 'caesium'] },
  { code: 'Ba', symbol: 'Ba', kind: 'element', en: 'Barium', ja: 'バリウム', criticalUS: true, criticalJP: true, synonyms: ['barium', 'barium oxide', 'bao'] },
  { code: 'La', symbol: 'La', kind: 'element', group: 'REE', en: 'Lanthanum', ja: 'ランタン', criticalUS: true, criticalJP: true, synonyms: ['lanthanum'] },
  { code: 'Ce', symbol: 'Ce', kind: 'element', group: 'REE', en: 'Cerium', ja: 'セリウム', criticalUS: true, criticalJP: true, synonyms: ['cerium'] },
  { code: 'Pr', symbol: 'Pr', kind: 'element', group: 'REE', en: 'Praseodymium', ja: 'プラセオジム', criticalUS: true, criticalJP: true, synonyms: ['praseodymium'] },
  { code: 'Nd', symbol: 'Nd', kind: 'element', group: 'REE', en: 'Neodymium', ja: 'ネオジム', criticalUS: true, criticalJP: true, synonyms: ['neodymium', 'neoymium', 'ネオジウム'] },
  { code: 'Pm', symbol: 'Pm', kind: 'element', group: 'REE', en: 'Promethium', ja: 'プロメチウム', criticalUS: false, criticalJP: true, synonyms: ['promethium'] },
  { code: 'Sm', symbol: 'Sm', kind: 'element', group: 'REE', en: 'Samarium', ja: 'サマリウム', criticalUS: true, criticalJP: true, synonyms: ['samarium'] },
  { code: 'Eu', symbol: 'Eu', kind: 'element', group: 'REE', en: 'Europium', ja: 'ユウロピウム', criticalUS: true, criticalJP: true, synonyms: ['europium'] },
  { code: 'Gd', symbol: 'Gd', kind: 'element', group: 'REE', en: 'Gadolinium', ja: 'ガドリニウム', criticalUS: true, criticalJP: true, synonyms: ['gadolinium', 'gadoliniumn'] },
  { code: 'Tb', symbol: 'Tb', kind: 'element', group: 'REE', en: 'Terbium', ja: 'テルビウム', criticalUS: true, criticalJP: true, synonyms: ['terbium'] },
  { code: 'Dy', symbol: 'Dy', kind: 'element', group: 'REE', en: 'Dysprosium', ja: 'ジスプロシウム', criticalUS: true, criticalJP: true, synonyms: ['dysprosium'] },
  { code: 'Ho', symbol: 'Ho', kind: 'element', group: 'REE', en: 'Holmium', ja: 'ホルミウム', criticalUS: true, criticalJP: true, synonyms: ['holmium'] },
  { code: 'Er', symbol: 'Er', kind: 'element', group: 'REE', en: 'Erbium', ja: 'エルビウム', criticalUS: true, criticalJP: true, synonyms: ['erbium'] },
  { code: 'Tm', symbol: 'Tm', kind: 'element', group: 'REE', en: 'Thulium', ja: 'ツリウム', criticalUS: true, criticalJP: true, synonyms: ['thulium'] },
  { code: 'Yb', symbol: 'Yb', kind: 'element', group: 'REE', en: 'Ytterbium', ja: 'イッテルビウム', criticalUS: true, criticalJP: true, synonyms: ['ytterbium'] },
  { code: 'Lu', symbol: 'Lu', kind: 'element', group: 'REE', en: 'Lutetium', ja: 'ルテチウム', criticalUS: true, criticalJP: true, synonyms: ['lutetium'] },
  { code: 'Hf', symbol: 'Hf', kind: 'element', en: 'Hafnium', ja: 'ハフニウム', criticalUS: true, criticalJP: true, synonyms: ['hafnium'] },
  { code: 'Ta', symbol: 'Ta', kind: 'element', en: 'Tantalum', ja: 'タンタル', criticalUS: true, criticalJP: true, synonyms: ['tantalum', 'tantalum pentoxide', 'ta2o5'] },
  { code: 'W', symbol: 'W', kind: 'element', en: 'Tungsten', ja: 'タングステン', criticalUS: true, criticalJP: true, synonyms: ['tungsten', 'wolfram', 'wo3', 'tungsten trioxide'] },
  { code: 'Re', symbol: 'Re', kind: 'element', en: 'Rhenium', ja: 'レニウム', criticalUS: true, criticalJP: true, synonyms: ['rhenium', 'rhe'] },
  { code: 'Os', symbol: 'Os', kind: 'element', group: 'PGE', en: 'Osmium', ja: 'オスミウム', criticalUS: false, criticalJP: true, synonyms: ['osmium'] },
  { code: 'Ir', symbol: 'Ir', kind: 'element', group: 'PGE', en: 'Iridium', ja: 'イリジウム', criticalUS: true, criticalJP: true, synonyms: ['iridium'] },
  { code: 'Pt', symbol: 'Pt', kind: 'element', group: 'PGE', en: 'Platinum', ja: '白金', criticalUS: true, criticalJP: true, synonyms: ['platinum', 'プラチナ'] },
  { code: 'Au', symbol: 'Au', kind: 'element', en: 'Gold', ja: '金', criticalUS: false, criticalJP: false, synonyms: ['gold', 'native gold', 'native au', 'free gold', 'visible gold', 'lode gold', 'placer gold'] },
  { code: 'Hg', symbol: 'Hg', kind: 'element', en: 'Mercury', ja: '水銀', criticalUS: false, criticalJP: false, synonyms: ['mercury', 'quicksilver'] },
  { code: 'Tl', symbol: 'Tl', kind: 'element', en: 'Thallium', ja: 'タリウム', criticalUS: false, criticalJP: true, synonyms: ['thallium'] },
  { code: 'Pb', symbol: 'Pb', kind: 'element', en: 'Lead', ja: '鉛', criticalUS: true, criticalJP: false, synonyms: ['lead'] },
  { code: 'Bi', symbol: 'Bi', kind: 'element', en: 'Bismuth', ja: 'ビスマス', criticalUS: true, criticalJP: true, synonyms: ['bismuth', '蒼鉛'] },
  { code: 'Ra', symbol: 'Ra', kind: 'element', en: 'Radium', ja: 'ラジウム', criticalUS: false, criticalJP: false, synonyms: ['radium'] },
  { code: 'Th', symbol: 'Th', kind: 'element', en: 'Thorium', ja: 'トリウム', criticalUS: false, criticalJP: false, synonyms: ['thorium', 'tho2'] },
  { code: 'U', symbol: 'U', kind: 'element', en: 'Uranium', ja: 'ウラン', criticalUS: true, criticalJP: true, synonyms: ['uranium', 'u3o8', 'triuranium octoxide', 'uranium oxide'] },

  // ---- element groups ----
  // LREE = La–Eu, HREE = Gd–Lu plus Y (USGS Fact Sheet 2014-3078 convention); Sc stays with REE.
  { code: 'REE', kind: 'group', en: 'Rare earth elements', ja: '希土類（レアアース）', criticalUS: true, criticalJP: true, synonyms: ['ree', 'rare earth elements', 'rare-earth elements', 'rare earths', 'rare-earths', 'rare earth', 'rare-earth', 'rare-eaths', 'rare earth oxides', 'reo', 'treo', 'rare earth metals', 'レアアース', '希土類', '希土類元素', '希土類金属'] },
  { code: 'LREE', kind: 'group', en: 'Light rare earth elements', ja: '軽希土類', criticalUS: true, criticalJP: true, synonyms: ['lree', 'light rare earth elements', 'light rare earths', '軽レアアース'] },
  { code: 'HREE', kind: 'group', en: 'Heavy rare earth elements', ja: '重希土類', criticalUS: true, criticalJP: true, synonyms: ['hree', 'heavy rare earth elements', 'heavy rare earths', '重レアアース'] },
  { code: 'PGE', kind: 'group', en: 'Platinum-group elements', ja: '白金族', criticalUS: true, criticalJP: true, synonyms: ['pge', 'pgm', 'pgms', 'platinum group elements', 'platinum-group elements', 'platinum group metals', 'platinum-group metals', 'platinum-group', 'pt-group', '白金族元素', '白金族金属'] },

  // ---- industrial minerals and rocks (names as in USGS Mineral Commodity Summaries / MRDS) ----
  { code: 'graphite', kind: 'industrial', elements: ['C'], en: 'Graphite', ja: '黒鉛', criticalUS: true, criticalJP: true, synonyms: ['natural graphite', 'flake graphite', 'crystalline flake graphite', 'amorphous graphite', 'グラファイト'] },
  { code: 'fluorspar', kind: 'industrial', elements: ['F'], en: 'Fluorspar', ja: '蛍石', criticalUS: true, criticalJP: true, synonyms: ['fluorite', 'fluorine-fluorite', 'caf2', 'acidspar', 'フローライト'] },
  { code: 'barite', kind: 'industrial', elements: ['Ba'], en: 'Barite', ja: '重晶石', criticalUS: true, criticalJP: true, synonyms: ['baryte', 'barytes', 'barium-barite', 'バライト'] },
  { code: 'phosphate', kind: 'industrial', elements: ['P'], en: 'Phosphate rock', ja: 'リン鉱石', criticalUS: true, criticalJP: true, synonyms: ['phosphate', 'phosphates', 'phosphate rock', 'rock phosphate', 'phosphorite', 'phosphorus-phosphates', 'guano', '燐鉱石', 'りん鉱石'] },
  { code: 'potash', kind: 'industrial', elements: ['K'], en: 'Potash', ja: 'カリ塩', criticalUS: true, criticalJP: false, synonyms: ['sulfate of potash', 'sop', 'muriate of potash', 'mop', 'sylvite', 'カリ', 'カリ鉱石'] },
  { code: 'salt', kind: 'industrial', elements: ['Na', 'Cl'], en: 'Salt', ja: '塩（岩塩）', criticalUS: false, criticalJP: false, synonyms: ['rock salt', 'halite', 'hal', 'sodium chloride', '岩塩', '塩'] },
  { code: 'soda-ash', kind: 'industrial', elements: ['Na'], en: 'Soda ash', ja: 'ソーダ灰', criticalUS: false, criticalJP: false, synonyms: ['soda ash', 'sodium carbonate', 'trona', 'naco', 'natural soda ash'] },
  { code: 'sodium-sulfate', kind: 'industrial', elements: ['Na'], en: 'Sodium sulfate', ja: '硫酸ナトリウム', criticalUS: false, criticalJP: false, synonyms: ['sodium sulfate', 'sodium sulphate', 'naso', 'mirabilite', 'thenardite', 'salt cake'] },
  { code: 'gypsum', kind: 'industrial', elements: ['Ca', 'S'], en: 'Gypsum', ja: '石膏', criticalUS: false, criticalJP: false, synonyms: ['anhydrite', 'gypsum-anhydrite', 'gyp', 'alabaster', 'せっこう'] },
  { code: 'limestone', kind: 'industrial', elements: ['Ca'], en: 'Limestone', ja: '石灰石', criticalUS: false, criticalJP: false, synonyms: ['lst', 'high calcium', 'high-calcium limestone', 'calcium carbonate', 'carbonate rock', 'marl', 'travertine', 'travertine-marl', 'chalk', 'fluxstone', 'shell', 'oyster shell', '石灰岩'] },
  { code: 'dolomite', kind: 'industrial', elements: ['Ca', 'Mg'], en: 'Dolomite', ja: 'ドロマイト', criticalUS: false, criticalJP: false, synonyms: ['dolostone', 'dolomitic limestone', '苦灰石'] },
  { code: 'lime', kind: 'industrial', elements: ['Ca'], en: 'Lime', ja: '石灰', criticalUS: false, criticalJP: false, synonyms: ['burnt lime', 'quicklime', 'hydrated lime'] },
  { code: 'cement', kind: 'industrial', en: 'Cement raw materials', ja: 'セメント原料', criticalUS: false, criticalJP: false, synonyms: ['cement', 'cement rock', 'cement clay', 'cem', 'portland cement', 'セメント'] },
  { code: 'stone', kind: 'industrial', en: 'Stone (crushed and dimension)', ja: '石材', criticalUS: false, criticalJP: false, synonyms: ['stone', 'stn', 'crushed stone', 'dimension stone', 'building stone', 'ornamental stone', 'decorative rock', 'miscellaneous stone', 'carving stone', 'crushed rock', 'granite', 'granite gneiss', 'gneiss', 'biotite gneiss', 'marble', 'slate', 'flagstone', 'sandstone', 'basalt', 'diabase', 'gabbro', 'traprock', 'trap rock', 'greenstone', 'quartzite', 'amphibolite', 'metabasalt', 'metarhyolite', 'argillite', 'siltstone', 'phyllite', 'conglomerate', 'meta-volcanic', 'meta-graywacke', 'metasandstone', 'schist', '砕石', '採石'] },
  { code: 'sand-gravel', kind: 'industrial', en: 'Sand and gravel', ja: '砂・砂利', criticalUS: false, criticalJP: false, synonyms: ['sand and gravel', 'sand & gravel', 'sand', 'gravel', 'sdg', 'construction sand', 'road gravel', '砂利', '砂'] },
  { code: 'silica', kind: 'industrial', elements: ['Si'], en: 'Silica (industrial sand, quartz)', ja: '珪石・珪砂', criticalUS: false, criticalJP: false, synonyms: ['silica', 'quartz', 'qartz', 'silica sand', 'glass sand', 'industrial sand', 'molding sand', 'quartz sand', 'high silica', 'high-purity quartz', 'silicon dioxide', 'silcon dioxide', 'silcia', 'sio2', '珪石', '珪砂', 'ケイ石', 'けい石', 'けい砂'] },
  { code: 'quartz-crystal', kind: 'industrial', elements: ['Si'], en: 'Quartz crystal', ja: '水晶', criticalUS: false, criticalJP: false, synonyms: ['quartz crystal', 'quartz crystals', 'optical quartz'] },
  { code: 'clay', kind: 'industrial', en: 'Clay (common, fire, ball clay, shale)', ja: '粘土', criticalUS: false, criticalJP: false, synonyms: ['clay', 'clays', 'cly', 'caly', 'common clay', 'brick clay', 'fire clay', 'refractory clay', 'ball clay', 'shale', 'underclay', "fuller's earth", 'fullers earth', 'absorbent clay', 'bloating material', '耐火粘土'] },
  { code: 'kaolin', kind: 'industrial', elements: ['Al'], en: 'Kaolin', ja: 'カオリン', criticalUS: false, criticalJP: false, synonyms: ['kaoline', 'china clay', 'kaolin clay', 'halloysite'] },
  { code: 'bentonite', kind: 'industrial', en: 'Bentonite', ja: 'ベントナイト', criticalUS: false, criticalJP: false, synonyms: [] },
  { code: 'feldspar', kind: 'industrial', en: 'Feldspar', ja: '長石', criticalUS: false, criticalJP: false, synonyms: ['nepheline syenite', 'feld'] },
  { code: 'mica', kind: 'industrial', en: 'Mica', ja: '雲母', criticalUS: false, criticalJP: false, synonyms: ['muscovite mica', 'sheet mica', 'scrap mica', 'mic', 'マイカ'] },
  { code: 'talc', kind: 'industrial', elements: ['Mg'], en: 'Talc, soapstone and pyrophyllite', ja: '滑石・ろう石', criticalUS: false, criticalJP: false, synonyms: ['talc', 'soapstone', 'talc-soapstone', 'steatite', 'pyrophyllite', 'ろう石', '蝋石', '滑石', 'タルク'] },
  { code: 'kyanite', kind: 'industrial', elements: ['Al'], en: 'Kyanite and related minerals', ja: '藍晶石', criticalUS: false, criticalJP: false, synonyms: ['kyanite', 'andalusite', 'sillimanite', 'mullite', 'カイヤナイト'] },
  { code: 'garnet', kind: 'industrial', en: 'Garnet (industrial)', ja: 'ざくろ石', criticalUS: false, criticalJP: false, synonyms: ['garnet', 'industrial garnet', '柘榴石', 'ガーネット'] },
  { code: 'abrasive', kind: 'industrial', en: 'Natural abrasives', ja: '研磨材', criticalUS: false, criticalJP: false, synonyms: ['abrasive', 'abrasives', 'emery', 'corundum', 'staurolite', 'tripoli', 'natural sharpening stone', 'エメリー'] },
  { code: 'gemstone', kind: 'industrial', en: 'Gemstones', ja: '宝石', criticalUS: false, criticalJP: false, synonyms: ['gemstone', 'gem', 'semiprecious gemstone', 'precious stones', 'emerald', 'ruby', 'sapphire', 'aquamarine', 'amethyst', 'kunzite', 'peridot', 'lapis lazuli', 'jade', 'chrysoprase', 'turquoise', 'agate', 'plume agate', 'jasper', 'amber', '宝石類'] },
  { code: 'diamond', kind: 'industrial', elements: ['C'], en: 'Diamond', ja: 'ダイヤモンド', criticalUS: false, criticalJP: false, synonyms: ['industrial diamond', 'gem diamond'] },
  { code: 'asbestos', kind: 'industrial', en: 'Asbestos', ja: '石綿', criticalUS: false, criticalJP: false, synonyms: ['chrysotile', 'chrysotile asbestos', 'crocidolite', 'amosite', 'アスベスト'] },
  { code: 'vermiculite', kind: 'industrial', en: 'Vermiculite', ja: '蛭石', criticalUS: false, criticalJP: false, synonyms: ['vrm', 'バーミキュライト'] },
  { code: 'perlite', kind: 'industrial', en: 'Perlite', ja: '真珠岩', criticalUS: false, criticalJP: false, synonyms: ['パーライト'] },
  { code: 'pumice', kind: 'industrial', en: 'Pumice and volcanic cinder', ja: '軽石', criticalUS: false, criticalJP: false, synonyms: ['pumice', 'pumicite', 'volcanic cinders', 'cinders', 'cinders (volcanic)', 'scoria', 'volcanic materials', 'volcanic ash'] },
  { code: 'diatomite', kind: 'industrial', en: 'Diatomite', ja: '珪藻土', criticalUS: false, criticalJP: false, synonyms: ['diatomaceous earth', 'kieselguhr', 'けいそう土'] },
  { code: 'zeolite', kind: 'industrial', en: 'Zeolites', ja: '沸石', criticalUS: false, criticalJP: false, synonyms: ['zeolite', 'zeolites', 'ゼオライト'] },
  { code: 'wollastonite', kind: 'industrial', en: 'Wollastonite', ja: '珪灰石', criticalUS: false, criticalJP: false, synonyms: [] },
  { code: 'magnesite', kind: 'industrial', elements: ['Mg'], en: 'Magnesite', ja: 'マグネサイト', criticalUS: false, criticalJP: true, synonyms: ['magnesium carbonate', '菱苦土石'] },
  { code: 'olivine', kind: 'industrial', elements: ['Mg'], en: 'Olivine', ja: 'かんらん石', criticalUS: false, criticalJP: false, synonyms: ['olvine', 'dunite sand', '橄欖石'] },
  { code: 'iron-oxide-pigment', kind: 'industrial', elements: ['Fe'], en: 'Iron oxide pigments', ja: '酸化鉄顔料', criticalUS: false, criticalJP: false, synonyms: ['iron oxide pigment', 'iron oxide pigments', 'iron-oxide pigment', 'iron pigment', 'iron pigments', 'mineral pigments', 'pigment', 'ocher', 'ochre', 'sienna', 'umber', 'ベンガラ'] },
  { code: 'bauxite', kind: 'industrial', elements: ['Al'], en: 'Bauxite', ja: 'ボーキサイト', criticalUS: true, criticalJP: false, synonyms: ['baux', 'laterite bauxite'] },

  // ---- energy ----
  { code: 'coal', kind: 'energy', en: 'Coal', ja: '石炭', criticalUS: false, criticalJP: false, synonyms: ['lignite', 'subbituminous', 'bituminous coal', 'anthracite', 'brown coal', 'steam coal', 'thermal coal', '亜炭', '褐炭'] },
  { code: 'met-coal', kind: 'energy', en: 'Metallurgical coal', ja: '原料炭', criticalUS: true, criticalJP: false, synonyms: ['metallurgical coal', 'coking coal', 'met coal'] },
  { code: 'oil-gas', kind: 'energy', en: 'Oil and natural gas', ja: '石油・天然ガス', criticalUS: false, criticalJP: false, synonyms: ['oil', 'crude oil', 'petroleum', 'gas', 'natural gas', 'oil and gas', '石油', '天然ガス'] },
  { code: 'oil-shale', kind: 'energy', en: 'Oil shale', ja: 'オイルシェール', criticalUS: false, criticalJP: false, synonyms: ['oil shale', '油母頁岩'] },
  { code: 'peat', kind: 'energy', en: 'Peat', ja: '泥炭', criticalUS: false, criticalJP: false, synonyms: ['peat'] },
  { code: 'geothermal', kind: 'energy', en: 'Geothermal', ja: '地熱', criticalUS: false, criticalJP: false, synonyms: ['geothermal', 'geothermal energy'] },
] as const satisfies readonly CommodityEntry[];

export type CommodityCode = (typeof COMMODITIES)[number]['code'];

export const COMMODITY_CODES: readonly CommodityCode[] = COMMODITIES.map((c) => c.code);

const BY_CODE = new Map<string, CommodityEntry>(COMMODITIES.map((c) => [c.code, c]));

export function isCommodityCode(x: unknown): x is CommodityCode {
  return typeof x === 'string' && BY_CODE.has(x);
}

export function commodityEntry(code: CommodityCode): CommodityEntry;
export function commodityEntry(code: string): CommodityEntry | undefined;
export function commodityEntry(code: string): CommodityEntry | undefined {
  return BY_CODE.get(code);
}

/** Elements of a group code (REE, LREE, HREE, PGE); empty for anything else. */
export function commodityGroupMembers(code: CommodityCode): CommodityCode[] {
  const ree = COMMODITIES.filter((c) => 'group' in c && c.group === 'REE').map((c) => c.code);
  const light = ['La', 'Ce', 'Pr', 'Nd', 'Pm', 'Sm', 'Eu'];
  switch (code) {
    case 'REE':
      return ree;
    case 'LREE':
      return ree.filter((c) => light.includes(c));
    case 'HREE':
      return ree.filter((c) => !light.includes(c) && c !== 'Sc');
    case 'PGE':
      return COMMODITIES.filter((c) => 'group' in c && c.group === 'PGE').map((c) => c.code);
    default:
      return [];
  }
}

// ---------------------------------------------------------------------------------------------
// Lookup tables
// ---------------------------------------------------------------------------------------------

/** Exact-case symbols ("Li") and their all-capital form ("LI"). */
const SYMBOLS = new Map<string, CommodityCode>();
/** Lower-case names, synonyms and non-element codes. */
const NAMES = new Map<string, CommodityCode>();

// "RE" in capitals is rare earths as often as rhenium in the data (USGS phosphate database),
// so it is not read as a symbol; "Re" in its own case still is.
const AMBIGUOUS_CAPITALS = new Set(['RE']);

for (const c of COMMODITIES) {
  if ('symbol' in c) {
    SYMBOLS.set(c.symbol, c.code);
    if (!AMBIGUOUS_CAPITALS.has(c.symbol.toUpperCase())) SYMBOLS.set(c.symbol.toUpperCase(), c.code);
  } else {
    NAMES.set(c.code.toLowerCase(), c.code);
  }
  NAMES.set(c.en.toLowerCase(), c.code);
  NAMES.set(normalizeCommodityText(c.ja).toLowerCase(), c.code);
  for (const s of c.synonyms) NAMES.set(normalizeCommodityText(s).toLowerCase(), c.code);
}

/** NFKC, collapsed whitespace, trimmed. Keeps case (symbols are case-sensitive). */
export function normalizeCommodityText(s: string): string {
  return s
    .normalize('NFKC')
    .replace(/[\u2018\u2019`]/g, "'")
    .replace(/\s+/g, ' ')
    .trim();
}

export interface CommodityTermResult {
  code?: CommodityCode;
  /** More codes named in parentheses: "Osmium (Pd, Rh)", "aluminum (bauxite)". */
  also?: CommodityCode[];
  /** Recognised as not a commodity (mineral, rock, qualifier, fragment ...). */
  ignored?: boolean;
  /** The term carried more than the code says: "Mica?", "potential thorium", "iron (magnetite)". */
  inexact?: boolean;
}

const UNIT_PREFIX = /^(?:%|wt\s?%|g\/t|ppm|ppb|kg\/t|lb\/t|oz\/t)\s*(?=\S)/i;
const QUALIFIER_PREFIX =
  /^(?:minor|rare|trace|lesser|accessory|potential|potenial|potenital|possible|probable|some|unidentified)\s+/i;

/** Resolve one commodity term (no list separators). */
export function lookupCommodityTerm(term: string): CommodityTermResult {
  const t = normalizeCommodityText(term);
  if (t === '') return { ignored: true };
  const sym = SYMBOLS.get(t);
  if (sym) return { code: sym };
  const k = t.toLowerCase();
  const named = NAMES.get(k);
  if (named) return { code: named };
  if (classifyNonCommodity(k)) return { ignored: true };

  // "%Ni", "g/t Pt": grade units in front of a symbol say nothing more than the symbol.
  const unit = t.match(UNIT_PREFIX);
  if (unit) return lookupCommodityTerm(t.slice(unit[0].length));

  // Uncertainty marks and qualifiers: map the commodity, but the term said more than that.
  if (/\?+$/.test(t)) return inexact(lookupCommodityTerm(t.replace(/\s*\?+$/, '')));
  const q = t.match(QUALIFIER_PREFIX);
  if (q) return inexact(lookupCommodityTerm(t.slice(q[0].length)));

  // "copper (Cu)", "aluminum (bauxite)", "chromite (5% in laterite Ni ore)", "K(", "serpentine()".
  const paren = t.match(/^([^()]*?)\s*\((.*?)\)?$/s) ?? t.match(/^([^()]*?)\s*\)$/);
  if (paren) {
    const head = paren[1].trim();
    const inner = (paren[2] ?? '').trim();
    if (head === '') return { ignored: true }; // "(Eckel, p. 497)": a citation, not a commodity
    const h = lookupCommodityTerm(head);
    if (inner === '' || !h.code) return h;
    // The parenthesis may name the same commodity ("copper (Cu)"), more commodities
    // ("Osmium (Pd, Rh)") or a note ("iron (magnetite)", "Fire Clay (Refractory)").
    const i = parseCommodityList(inner);
    if (!i.exact || i.codes.length === 0) return { ...h, inexact: true };
    const also = i.codes.filter((c) => c !== h.code);
    return also.length ? { ...h, also } : h;
  }

  // Plurals seen in the data: "Osmiums", "gemstones", "diamonds", "iron oxides".
  if (/[^s]s$/i.test(t)) {
    const r = lookupCommodityTerm(t.slice(0, -1));
    if (r.code || r.ignored) return r;
  }
  if (/es$/i.test(t)) {
    const r = lookupCommodityTerm(t.slice(0, -2));
    if (r.code || r.ignored) return r;
  }

  // Debris of a list split inside a sentence: numbers, punctuation, single letters.
  if (!/\p{L}/u.test(t) || /^\p{L}$/u.test(t)) return { ignored: true };
  return {};
}

function inexact(r: CommodityTermResult): CommodityTermResult {
  return r.code ? { ...r, inexact: true } : r;
}

/**
 * Parse one commodity as given by a source: a symbol ("Li", "LI"), an English or Japanese name
 * ("Lithium", "リチウム"), a group ("REE", "platinum group metals"), an MRDS name
 * ("Barium-Barite") or "copper (Cu)". Returns undefined for anything that is not a commodity.
 */
export function parseCommodity(text: string): CommodityCode | undefined {
  const r = lookupCommodityTerm(text);
  if (r.code) return r.also?.length ? undefined : r.code;
  if (r.ignored) return undefined;
  const list = parseCommodityList(text);
  return list.codes.length === 1 && list.unknown.length === 0 && list.ignored.length === 0
    ? list.codes[0]
    : undefined;
}

export interface CommodityListResult {
  /** Commodity codes in source order, without duplicates. */
  codes: CommodityCode[];
  /** Terms that are neither commodities nor known non-commodity terms: report these. */
  unknown: string[];
  /** Terms recognised as not being commodities (minerals, rocks, qualifiers, fragments). */
  ignored: string[];
  /** True when the codes say everything the text said (nothing ignored, unknown or qualified). */
  exact: boolean;
}

/**
 * Split a commodity list and parse each term. Accepts an array or a string separated by
 * `;` `,` `/` `|` `、` `・`, by " and ", " or ", " with ", "&" or by runs of spaces (the USGS
 * potash database writes "HAL  K"), keeping parenthesised text together. Order is kept,
 * duplicates are dropped.
 */
export function parseCommodityList(input: string | readonly unknown[] | null | undefined): CommodityListResult {
  if (input === null || input === undefined) return { codes: [], unknown: [], ignored: [], exact: true };
  const r = typeof input === 'string' ? parseListText(input) : parsePieces(input.flatMap((x) => splitTopLevel(String(x ?? ''))));
  // A fresh copy: callers keep the lists in their records.
  return { codes: [...r.codes], unknown: [...r.unknown], ignored: [...r.ignored], exact: r.exact };
}

const parseListText = memoizeText((text: string) => parsePieces(splitTopLevel(text)));

function parsePieces(pieces: readonly string[]): CommodityListResult {
  const out: CommodityListResult = { codes: [], unknown: [], ignored: [], exact: true };
  for (const p of pieces) addTerm(p, out);
  return out;
}

function addTerm(raw: string, out: CommodityListResult): void {
  const { piece, resolved } = resolvePiece(raw);
  if (piece === '') return;
  if (!resolved) {
    out.unknown.push(piece);
    out.exact = false;
    return;
  }
  if (resolved.length > 1 || resolved[0].text !== piece) out.exact = out.exact && resolved.every((r) => r.code);
  for (const r of resolved) {
    if (r.code) {
      for (const c of [r.code, ...(r.also ?? [])]) if (!out.codes.includes(c)) out.codes.push(c);
      if (r.inexact) out.exact = false;
    } else {
      out.ignored.push(r.text);
      out.exact = false;
    }
  }
}

/**
 * One piece of a list, normalised and resolved. Memoised: the 11k distinct MinMod lists are
 * made of a few hundred distinct terms. The result is shared, so callers only read it.
 */
const resolvePiece = memoizeText((raw: string) => {
  const piece = normalizeCommodityText(raw);
  return { piece, resolved: piece === '' ? null : resolveTerm(piece, 0) };
});

/** Resolve a term whole, else split it on words and gaps; null when some part is unknown. */
function resolveTerm(text: string, depth: number): Array<CommodityTermResult & { text: string }> | null {
  const r = lookupCommodityTerm(text);
  if (r.code || r.ignored) return [{ ...r, text }];
  const parts = splitWeak(text);
  if (depth > 3 || (parts.length === 1 && parts[0] === text)) return null;
  const out: Array<CommodityTermResult & { text: string }> = [];
  for (const p of parts) {
    const sub = resolveTerm(p, depth + 1);
    if (!sub) return null;
    out.push(...sub);
  }
  return out;
}

const STRONG_SEPARATORS = ';,/|、・\n';

/** Split on strong separators outside parentheses; "g/t" and "mg/L" are units, not lists. */
function splitTopLevel(s: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let cur = '';
  // By UTF-16 unit: every character looked at is in the BMP, so a surrogate pair just passes.
  const text = s.normalize('NFKC');
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === '(') depth++;
    else if (ch === ')') depth = Math.max(0, depth - 1);
    const unitSlash = ch === '/' && /(?:^|[\s%\d])(?:g|kg|mg|lb|oz)$/i.test(cur) && /[tl]/i.test(text[i + 1] ?? '');
    if (depth === 0 && !unitSlash && STRONG_SEPARATORS.includes(ch)) {
      out.push(cur);
      cur = '';
    } else {
      cur += ch;
    }
  }
  // A parenthesis that never closes (MinMod re-ordered some lists) must not swallow the rest.
  if (depth > 0) out.push(...cur.split(/[;,/|、・\n]/));
  else out.push(cur);
  return out.map((x) => x.trim()).filter((x) => x !== '');
}

/** Split a term that did not resolve as a whole on words and wide gaps. */
function splitWeak(t: string): string[] {
  const bare = t.replace(/^(?:and|or)\s+|\s+(?:and|or)$/i, '');
  if (bare !== t) return [bare];
  let parts = t
    .split(/\s{2,}|\s+(?:and|or|with|&|\+)\s+/i)
    .map((x) => x?.trim())
    .filter((x): x is string => !!x);
  if (parts.length <= 1) parts = t.split(/\s+/);
  return parts;
}
