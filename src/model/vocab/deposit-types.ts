/**
 * Deposit-type vocabulary: the mineral-deposit model classes geologists use, after the USGS
 * descriptive models (Cox and Singer, 1986, USGS Bulletin 1693), the USGS mineral-deposit
 * models for resource assessment (Scientific Investigations Report 2010-5070 series) and the
 * USGS Critical Minerals Mapping Initiative classification (Hofstra and others, 2021, USGS
 * Open-File Report 2021-1049), whose names the MinMod/SRI data use ("Mesozonal orogenic gold",
 * "U-M layered intrusion chromium"). Pure data plus lookups (the renderer imports this).
 *
 * `matchDepositType` maps a source's free text onto a code only when the text names a class;
 * lithology or process words alone ("Hydrothermal", "Surficial", "Sedimentary", "Vein",
 * "Magmatic", "Felsic") stay unmapped, as do bare model numbers ("17", "3"): the USGS laterite
 * database numbers its own classes 1–3, so a bare number is not a Cox and Singer model.
 */
import { memoizeText } from './memo';

export interface DepositTypeEntry {
  readonly code: string;
  readonly en: string;
  readonly ja: string;
  /** Main commodities the class is mined for (codes from ./commodities). */
  readonly commodities: readonly string[];
  /** Exact phrases (lower case) accepted besides the patterns below. */
  readonly synonyms: readonly string[];
}

export const DEPOSIT_TYPES = [
  { code: 'porphyry-cu', en: 'Porphyry copper', ja: '斑岩銅鉱床', commodities: ['Cu'], synonyms: ['porphyry cu', '斑岩型銅鉱床'] },
  { code: 'porphyry-cu-mo', en: 'Porphyry copper-molybdenum', ja: '斑岩銅モリブデン鉱床', commodities: ['Cu', 'Mo'], synonyms: ['porphyry cu-mo', '21a'] },
  { code: 'porphyry-cu-au', en: 'Porphyry copper-gold', ja: '斑岩銅金鉱床', commodities: ['Cu', 'Au'], synonyms: ['porphyry cu-au', '20c'] },
  { code: 'porphyry-mo', en: 'Porphyry molybdenum (Climax and low-fluorine)', ja: '斑岩モリブデン鉱床', commodities: ['Mo'], synonyms: ['climax mo', 'climax-type molybdenum'] },
  { code: 'porphyry-sn', en: 'Porphyry tin', ja: '斑岩スズ鉱床', commodities: ['Sn'], synonyms: [] },
  { code: 'porphyry-w', en: 'Porphyry tungsten-molybdenum', ja: '斑岩タングステン鉱床', commodities: ['W', 'Mo'], synonyms: [] },
  { code: 'carbonatite-ree', en: 'Carbonatite REE', ja: 'カーボナタイト型レアアース鉱床', commodities: ['REE'], synonyms: [] },
  { code: 'carbonatite', en: 'Carbonatite (commodity unspecified)', ja: 'カーボナタイト鉱床', commodities: ['REE', 'Nb', 'phosphate'], synonyms: ['carbonatite', 'carbonatite deposits', 'magmatic carbonatite'] },
  { code: 'carbonatite-nb', en: 'Carbonatite niobium', ja: 'カーボナタイト型ニオブ鉱床', commodities: ['Nb', 'Ta'], synonyms: [] },
  { code: 'alkaline-igneous-ree', en: 'Alkaline and peralkaline igneous REE-HFSE', ja: 'アルカリ岩型レアアース鉱床', commodities: ['REE', 'Zr', 'Nb'], synonyms: ['alkaline intrusions', 'peralkaline intrusion', 'peralkaline oversaturated volcanic-hosted deposits'] },
  { code: 'igneous-apatite', en: 'Igneous apatite (apatite-nepheline, apatite-REE intrusions)', ja: '火成岩型リン灰石鉱床', commodities: ['phosphate', 'REE'], synonyms: [] },
  { code: 'ion-adsorption-clay-ree', en: 'Ion-adsorption clay REE', ja: 'イオン吸着型レアアース鉱床', commodities: ['REE', 'HREE'], synonyms: ['ion adsorption ree', 'ion-adsorption ree', 'ionic clay'] },
  { code: 'deep-sea-ree-mud', en: 'Deep-sea REE-rich mud', ja: 'レアアース泥', commodities: ['REE'], synonyms: ['ree mud', 'rare-earth mud', '深海レアアース泥'] },
  { code: 'placer-ree', en: 'Heavy-mineral sands and REE placers', ja: '漂砂型レアアース鉱床（重鉱物砂）', commodities: ['REE', 'Ti', 'Zr'], synonyms: ['heavy mineral sands', 'heavy-mineral sands', 'coastal heavy-mineral sands', 'mineral sands', 'monazite-bearing stream placers', 'stream placer ree', 'placer thorium', 'residual placer ilmenite', 'placer titanium', '重砂鉱床'] },
  { code: 'li-brine', en: 'Lithium brine (continental, geothermal, oilfield)', ja: '塩湖かん水型リチウム鉱床', commodities: ['Li', 'K', 'B'], synonyms: ['lithium brine', 'closed-basin brine', 'geothermal brine', 'salar', 'lithium-enriched oilfield brine', 'lacustrine evaporite lithium', 'かん水型リチウム'] },
  { code: 'li-pegmatite', en: 'Lithium-cesium-tantalum (LCT) pegmatite', ja: 'ペグマタイト型リチウム鉱床（LCT）', commodities: ['Li', 'Cs', 'Ta'], synonyms: ['lct pegmatite', 'spodumene', 'lithium pegmatite', 'complex-type spodumene-subtype'] },
  { code: 'li-clay', en: 'Lithium clay (volcano-sedimentary)', ja: '粘土型リチウム鉱床', commodities: ['Li'], synonyms: ['lithium clay', 'lithium-bearing clay', 'lacustrine clay lithium', 'lacustrine evaporite clay lithium', 'lacustrine clays'] },
  { code: 'pegmatite', en: 'Pegmatite (other than LCT)', ja: 'ペグマタイト鉱床', commodities: ['mica', 'feldspar', 'Be', 'Ta'], synonyms: ['pegmatite', 'pegmatites', 'simple pegmatite', 'nyf pegmatite', 'ペグマタイト'] },
  { code: 'laterite-ni-co', en: 'Nickel-cobalt laterite', ja: 'ラテライト型ニッケル・コバルト鉱床', commodities: ['Ni', 'Co', 'Sc'], synonyms: ['laterite nickel', 'nickel-cobalt laterites', 'lateritic ni', 'nickeliferrous laterite', 'nickeliferous laterite', 'ni laterite', '38a'] },
  { code: 'magmatic-ni-cu-pge', en: 'Magmatic nickel-copper-PGE sulfide', ja: '正マグマ性ニッケル・銅・白金族鉱床', commodities: ['Ni', 'Cu', 'Co', 'PGE'], synonyms: ['magmatic sulphide', 'magmatic sulfide', 'magmatic sulphide deposits', 'orthomagmatic sulphide deposits', 'massive ni-cu sulfide'] },
  { code: 'pge-reef', en: 'Stratiform PGE reef (layered intrusion)', ja: '層状貫入岩型白金族鉱床', commodities: ['PGE'], synonyms: ['merensky reef', 'pge reef'] },
  { code: 'stratiform-chromite', en: 'Stratiform chromite (layered intrusion)', ja: '層状クロム鉄鉱鉱床', commodities: ['Cr', 'PGE'], synonyms: ['stratiform chromite', 'magmatic stratiform chromite', 'bushveld chromitite'] },
  { code: 'podiform-chromite', en: 'Podiform (ophiolite) chromite', ja: 'ポディフォーム型クロム鉄鉱鉱床', commodities: ['Cr', 'PGE'], synonyms: ['podiform chromite', 'podiform chromite deposits', 'ophiolite chromium', 'ophiolite chromite'] },
  { code: 'magmatic-fe-ti-v', en: 'Magmatic iron-titanium-vanadium (layered and anorthosite)', ja: '正マグマ性鉄・チタン・バナジウム鉱床', commodities: ['Fe', 'Ti', 'V'], synonyms: ['fe-ti-v in igneous cumulate deposits', 'anorthosite massif titanium'] },
  { code: 'epithermal-au-ag', en: 'Epithermal gold-silver (intermediate sulfidation, alkalic)', ja: '浅熱水性金銀鉱床', commodities: ['Au', 'Ag'], synonyms: ['epithermal vein', 'epithermal gold', 'epithermal au-ag'] },
  { code: 'epithermal-au-ag-ls', en: 'Low-sulfidation epithermal gold-silver', ja: '低硫化系浅熱水性金銀鉱床', commodities: ['Au', 'Ag'], synonyms: ['low-sulfidation', 'low sulfidation', 'hot-spring au-ag', '低硫化系'] },
  { code: 'epithermal-au-ag-hs', en: 'High-sulfidation epithermal gold-silver-copper', ja: '高硫化系浅熱水性金銀鉱床', commodities: ['Au', 'Ag', 'Cu'], synonyms: ['high-sulfidation', 'high sulfidation', 'quartz-alunite gold', '高硫化系'] },
  { code: 'epithermal-hg', en: 'Epithermal and hot-spring mercury', ja: '浅熱水性水銀鉱床', commodities: ['Hg'], synonyms: ['epithermal mercury', 'hot-spring mercury', 'hot-spring hg'] },
  { code: 'orogenic-au', en: 'Orogenic gold (incl. low-sulfide gold-quartz veins)', ja: '造山帯型金鉱床', commodities: ['Au'], synonyms: ['orogenic gold', 'orogenic gold deposits', 'low-sulfide gold-quartz veins', 'gold quartz veins', 'auriferous quartz vein gold', 'mother lode gold'] },
  { code: 'orogenic-sb', en: 'Orogenic antimony-gold', ja: '造山帯型アンチモン鉱床', commodities: ['Sb', 'Au'], synonyms: [] },
  { code: 'intrusion-related-au', en: 'Intrusion-related gold', ja: '貫入岩関連金鉱床', commodities: ['Au'], synonyms: [] },
  { code: 'carlin-au', en: 'Carlin-type (sediment-hosted disseminated) gold', ja: 'カーリン型金鉱床', commodities: ['Au'], synonyms: ['carbonate-hosted au-ag'] },
  { code: 'vms', en: 'Volcanogenic massive sulfide (VMS, incl. Kuroko, Besshi, Cyprus)', ja: '火山性塊状硫化物鉱床（黒鉱・別子型を含む）', commodities: ['Cu', 'Zn', 'Pb', 'Au', 'Ag'], synonyms: ['vms', 'vhms', 'kuroko', 'kuroko-type', 'besshi', 'besshi-type', 'cyprus-type', '黒鉱', '黒鉱鉱床', '別子型', '別子型鉱床', '塊状硫化物鉱床'] },
  { code: 'seafloor-massive-sulfide', en: 'Seafloor massive sulfide (modern)', ja: '海底熱水鉱床', commodities: ['Cu', 'Zn', 'Au', 'Ag'], synonyms: ['seafloor massive sulfide', 'seafloor massive sulphide', 'sms'] },
  { code: 'sedex', en: 'Sedimentary exhalative (clastic-dominated) zinc-lead', ja: '堆積性噴気鉱床（SEDEX）', commodities: ['Zn', 'Pb', 'Ag'], synonyms: ['sedex', 'sedimentary exhalative', 'clastic-dominated zinc-lead', 'cd zinc-lead'] },
  { code: 'mvt', en: 'Mississippi Valley-type zinc-lead (and MVT fluorspar, barite)', ja: 'ミシシッピバレー型鉛亜鉛鉱床', commodities: ['Zn', 'Pb', 'fluorspar', 'barite'], synonyms: ['mvt', 'mississippi valley-type', 'mississippi valley type', 'southeast missouri pb-zn'] },
  { code: 'irish-zn-pb', en: 'Irish-type carbonate-hosted zinc-lead', ja: 'アイルランド型鉛亜鉛鉱床', commodities: ['Zn', 'Pb'], synonyms: [] },
  { code: 'kipushi-cu-zn-pb', en: 'Kipushi-type copper-zinc-lead', ja: 'キプシ型銅・鉛・亜鉛鉱床', commodities: ['Cu', 'Zn', 'Pb', 'Ge'], synonyms: ['kipushi', '32c'] },
  { code: 'sediment-hosted-cu', en: 'Sediment-hosted stratabound copper', ja: '堆積岩容在型層状銅鉱床', commodities: ['Cu', 'Co', 'Ag'], synonyms: ['redbed cu', 'reduced facies cu', 'revett cu', 'kupferschiefer', 'copper occurrence in sedimentary rock'] },
  { code: 'iocg', en: 'Iron oxide-copper-gold (IOCG)', ja: '鉄酸化物銅金鉱床（IOCG）', commodities: ['Cu', 'Au', 'Fe', 'U', 'Co'], synonyms: ['iocg'] },
  { code: 'ioa', en: 'Iron oxide-apatite (Kiruna-type, IOA)', ja: '鉄酸化物-リン灰石鉱床（キルナ型）', commodities: ['Fe', 'phosphate', 'REE'], synonyms: ['ioa', 'kiruna-type', 'iron oxide-apatite'] },
  { code: 'skarn', en: 'Skarn (unspecified or other commodity)', ja: 'スカルン鉱床', commodities: [], synonyms: ['skarn', 'contact metasomatic', 'スカルン'] },
  { code: 'skarn-w', en: 'Tungsten skarn', ja: 'タングステンスカルン鉱床', commodities: ['W', 'Mo'], synonyms: ['w skarn', 'tungsten skarn', '14a'] },
  { code: 'skarn-cu', en: 'Copper skarn', ja: '銅スカルン鉱床', commodities: ['Cu', 'Au'], synonyms: ['cu skarn', 'copper skarn'] },
  { code: 'skarn-zn-pb', en: 'Zinc-lead skarn', ja: '鉛亜鉛スカルン鉱床', commodities: ['Zn', 'Pb', 'Ag'], synonyms: ['zn-pb skarn', 'zinc-lead skarn'] },
  { code: 'skarn-fe', en: 'Iron skarn', ja: '鉄スカルン鉱床', commodities: ['Fe'], synonyms: ['fe skarn', 'iron skarn'] },
  { code: 'skarn-sn', en: 'Tin skarn', ja: 'スズスカルン鉱床', commodities: ['Sn'], synonyms: ['sn skarn', 'tin skarn', '14b'] },
  { code: 'skarn-au', en: 'Gold skarn', ja: '金スカルン鉱床', commodities: ['Au'], synonyms: ['au skarn', 'gold skarn'] },
  { code: 'skarn-mo', en: 'Molybdenum skarn', ja: 'モリブデンスカルン鉱床', commodities: ['Mo'], synonyms: ['mo skarn', 'molybdenum skarn'] },
  { code: 'greisen-sn-w', en: 'Greisen tin-tungsten (and Be, Mo)', ja: 'グライゼン型スズ・タングステン鉱床', commodities: ['Sn', 'W', 'Mo', 'Be'], synonyms: ['greisen', 'sn greisen', '15c'] },
  { code: 'vein-sn-w', en: 'Tin-tungsten veins', ja: 'スズ・タングステン鉱脈鉱床', commodities: ['Sn', 'W'], synonyms: ['w veins', 'sn veins', 'vein tin', 'vein tungsten', '15a', '15b'] },
  { code: 'polymetallic-vein', en: 'Polymetallic veins (Ag-Pb-Zn-Cu-Au)', ja: '多金属鉱脈鉱床', commodities: ['Ag', 'Pb', 'Zn', 'Cu', 'Au'], synonyms: ['polymetallic veins', 'vein polymetallic', '22c'] },
  { code: 'polymetallic-replacement', en: 'Polymetallic replacement (carbonate-hosted, manto)', ja: '多金属交代鉱床', commodities: ['Ag', 'Pb', 'Zn', 'Cu'], synonyms: ['replacement polymetallic', 'polymetallic replacement', 'carbonate replacement deposits', 'manto'] },
  { code: 'five-element-vein', en: 'Five-element veins (Ag-Ni-Co-As-Bi)', ja: '五元素鉱脈鉱床', commodities: ['Ag', 'Ni', 'Co', 'As', 'Bi'], synonyms: ['vein five-element', 'five-element veins', 'arsenide five-element veins'] },
  { code: 'placer-au', en: 'Placer and paleoplacer gold', ja: '砂金鉱床', commodities: ['Au'], synonyms: ['placer gold', 'gold placer', 'stream placer gold', 'alluvial gold', 'alluvial au-pge placer', '砂金'] },
  { code: 'placer-pge', en: 'Placer platinum-group elements', ja: '砂白金鉱床', commodities: ['PGE'], synonyms: ['placer pge', 'fluvial placer pge'] },
  { code: 'placer-sn', en: 'Placer tin', ja: '砂スズ鉱床', commodities: ['Sn'], synonyms: ['placer tin', 'placer sn', 'alluvial placer sn', '39e'] },
  { code: 'placer', en: 'Placer (other or unspecified commodity)', ja: '漂砂鉱床', commodities: [], synonyms: ['placer', 'placers', 'stream placer', 'beach placer', 'paleo beach placer', 'eluvial placer', 'alluvial', 'alluvial or eluvial deposits', 'alluvial paleoplacer', 'diamond placers', '漂砂鉱床'] },
  { code: 'banded-iron-formation', en: 'Banded iron formation (Superior, Algoma)', ja: '縞状鉄鉱層', commodities: ['Fe'], synonyms: ['bif', 'banded iron formation', 'superior-type iron', 'algoma-type iron', '縞状鉄鉱床'] },
  { code: 'sedimentary-phosphate', en: 'Sedimentary phosphate (phosphorite, guano)', ja: '堆積性リン鉱床', commodities: ['phosphate', 'REE', 'U'], synonyms: ['phosphorite', 'upwelling type phosphate deposits', 'marine phosphorite', 'guano', 'insular phosphate'] },
  { code: 'evaporite-potash', en: 'Bedded evaporite potash', ja: '蒸発岩型カリ鉱床', commodities: ['potash', 'salt', 'Mg'], synonyms: ['potash evaporite', 'bedded potash'] },
  { code: 'brine-potash', en: 'Brine potash', ja: 'かん水型カリ鉱床', commodities: ['potash', 'Li', 'Mg', 'B'], synonyms: [] },
  { code: 'evaporite', en: 'Evaporite (salt, gypsum, borate, trona, nitrate)', ja: '蒸発岩鉱床', commodities: ['salt', 'gypsum', 'B', 'soda-ash', 'N'], synonyms: ['evaporite', 'evaporites', 'marine evaporite salt', 'marine evaporite gypsum'] },
  { code: 'graphite', en: 'Graphite (flake and vein)', ja: '黒鉛鉱床', commodities: ['graphite'], synonyms: ['flake graphite', 'crystalline flake graphite', 'disseminated flake graphite', 'graphite veins', 'vein graphite', '37f', '37g'] },
  { code: 'bauxite', en: 'Bauxite (laterite and karst)', ja: 'ボーキサイト鉱床', commodities: ['bauxite', 'Ga'], synonyms: ['bauxite', 'karst bauxite', 'laterite bauxite', 'lateritic bauxite'] },
  { code: 'sedimentary-mn', en: 'Sedimentary manganese', ja: '堆積性マンガン鉱床', commodities: ['Mn'], synonyms: ['sedimentary manganese', 'sediment-hosted manganese', 'superior-type banded manganese'] },
  { code: 'fe-mn-crust-nodule', en: 'Seafloor ferromanganese crusts and nodules', ja: 'コバルトリッチクラスト・マンガン団塊', commodities: ['Mn', 'Co', 'Ni', 'Cu', 'REE'], synonyms: ['crust manganese', 'manganese nodules', 'polymetallic nodules', 'cobalt-rich crust', 'ferromanganese crust', 'マンガン団塊', 'コバルトリッチクラスト'] },
  { code: 'unconformity-u', en: 'Unconformity-related uranium', ja: '不整合関連型ウラン鉱床', commodities: ['U'], synonyms: ['unconformity uranium', 'unconformity-related uranium'] },
  { code: 'sandstone-u', en: 'Sandstone-hosted uranium (roll-front, tabular)', ja: '砂岩型ウラン鉱床', commodities: ['U', 'V'], synonyms: ['sandstone uranium', 'sandstone-hosted uranium', 'roll-front uranium', 'tabular uranium'] },
  { code: 'black-shale-metals', en: 'Black shale-hosted Ni-Mo-PGE, V, U, Au', ja: '黒色頁岩型鉱床', commodities: ['Ni', 'Mo', 'V', 'PGE', 'U'], synonyms: [] },
  { code: 'volcanic-hosted-cu', en: 'Volcanic-hosted (basaltic) copper', ja: '火山岩容在型銅鉱床', commodities: ['Cu', 'Ag'], synonyms: ['basaltic cu', 'basaltic copper'] },
  { code: 'metamorphic-kyanite', en: 'Metamorphic kyanite-sillimanite-andalusite', ja: '変成岩型藍晶石鉱床', commodities: ['kyanite'], synonyms: ['metamorphic kyanite'] },
  { code: 'kimberlite-diamond', en: 'Kimberlite and lamproite diamond', ja: 'キンバーライト型ダイヤモンド鉱床', commodities: ['diamond'], synonyms: ['kimberlite diamond', 'diamond pipes', 'kimberlite'] },
] as const satisfies readonly DepositTypeEntry[];

export type DepositTypeCode = (typeof DEPOSIT_TYPES)[number]['code'];

export const DEPOSIT_TYPE_CODES: readonly DepositTypeCode[] = DEPOSIT_TYPES.map((d) => d.code);

const BY_CODE = new Map<string, DepositTypeEntry>(DEPOSIT_TYPES.map((d) => [d.code, d]));

export function isDepositTypeCode(x: unknown): x is DepositTypeCode {
  return typeof x === 'string' && BY_CODE.has(x);
}

export function depositTypeEntry(code: DepositTypeCode): DepositTypeEntry;
export function depositTypeEntry(code: string): DepositTypeEntry | undefined;
export function depositTypeEntry(code: string): DepositTypeEntry | undefined {
  return BY_CODE.get(code);
}

/**
 * Ordered rules over normalised text (lower case, ± and hyphens as spaces, words rejoined where
 * a PDF line break split them). The first match wins, so specific classes come before general
 * ones (porphyry Cu-Mo before porphyry Cu, W skarn before skarn).
 */
const RULES: ReadonlyArray<readonly [RegExp, DepositTypeCode]> = [
  // Japanese names (no word boundaries in Japanese text)
  [/黒鉱|別子|塊状硫化物/, 'vms'],
  [/海底熱水/, 'seafloor-massive-sulfide'],
  [/レアアース泥/, 'deep-sea-ree-mud'],
  [/イオン吸着/, 'ion-adsorption-clay-ree'],
  [/斑岩銅/, 'porphyry-cu'],
  [/斑岩モリブデン/, 'porphyry-mo'],
  [/砂金/, 'placer-au'],
  [/高硫化/, 'epithermal-au-ag-hs'],
  [/低硫化/, 'epithermal-au-ag-ls'],
  [/浅熱水性?金|浅熱水性?銀/, 'epithermal-au-ag'],
  [/造山帯型金/, 'orogenic-au'],
  [/スカルン/, 'skarn'],
  [/グライゼン/, 'greisen-sn-w'],
  [/マンガン団塊|コバルトリッチクラスト/, 'fe-mn-crust-nodule'],
  // porphyry
  [/\bporphyry (?:copper|cu) (?:molybdenum|mo)\b/, 'porphyry-cu-mo'],
  [/\bporphyry (?:copper|cu) (?:and |& )?(?:gold|au)\b|\bporphyry gold\b|\bporphyry (?:copper|cu) (?:gold|au)\b/, 'porphyry-cu-au'],
  [/\bporphyry (?:molybdenum|mo)\b|\bclimax\b/, 'porphyry-mo'],
  [/\bporphyry (?:tungsten|w)\b/, 'porphyry-w'],
  [/\bporphyry (?:tin|sn)\b/, 'porphyry-sn'],
  // … and the metal first, as many reports write it ("Cu-Au porphyry", "copper porphyry")
  [/\b(?:copper|cu) (?:molybdenum|mo) porphyry\b/, 'porphyry-cu-mo'],
  [/\b(?:copper|cu) (?:and |& )?(?:gold|au) porphyry\b|\bgold porphyry\b/, 'porphyry-cu-au'],
  [/\b(?:molybdenum|mo) porphyry\b/, 'porphyry-mo'],
  [/\b(?:tungsten|w) porphyry\b/, 'porphyry-w'],
  [/\b(?:tin|sn) porphyry\b/, 'porphyry-sn'],
  [/\bporphyry (?:copper|cu)\b|\b(?:copper|cu) porphyry\b/, 'porphyry-cu'],
  // REE, Li
  [/\bion adsorption\b|\bionic clay\b/, 'ion-adsorption-clay-ree'],
  [/\bcarbonatite (?:niobium|nb)\b/, 'carbonatite-nb'],
  [/\bcarbonatite\b.*\b(?:ree|rare earth)\b/, 'carbonatite-ree'],
  [/\bcarbonatite\b/, 'carbonatite'],
  [/\b(?:per)?alkaline igneous\b|\bperalkaline (?:intrusion|oversaturated)\b|\balkaline intrusions?\b/, 'alkaline-igneous-ree'],
  [/\bapatite (?:nepheline|intrusion)\b/, 'igneous-apatite'],
  [/\bheavy mineral sands?\b|\b(?:fluvial|stream|beach) placer (?:ree|rare earth|monazite|titanium|thorium)\b|\bmonazite bearing .*placers?\b|\bplacer (?:ree|thorium|titanium|ilmenite)\b|\bresidual placer ilmenite\b/, 'placer-ree'],
  [/\b(?:lacustrine|continental|closed basin|geothermal|oilfield|salar) .*\bbrine\b.*\blithium\b|\blithium .*\bbrine\b|\bbrine lithium\b|\blacustrine evaporite lithium\b/, 'li-brine'],
  [/\blithium\b.*\b(?:clay|smectites?|hectorite)\b|\bclay lithium\b|\blacustrine clays\b|\b(?:clay|claystone|sediment|volcano sedimentary) hosted lithium\b/, 'li-clay'],
  [/\blct pegmatite|\blithium cesium tantalum\b|\bspodumene\b|\blithium\b.*\bpegmatites?\b/, 'li-pegmatite'],
  [/\bpegmatites?\b/, 'pegmatite'],
  // magmatic
  [/\blayered intrusion (?:chromium|chromite)\b|\bstratiform chromite\b/, 'stratiform-chromite'],
  [/\blayered intrusion pge\b|\bpge reef\b|\bmerensky\b/, 'pge-reef'],
  [/\bpodiform chromite\b|\bophiolite chrom(?:ium|ite)\b/, 'podiform-chromite'],
  [/\b(?:iron titanium vanadium|fe ti v|titanium vanadium)\b|\banorthosite massif titanium\b/, 'magmatic-fe-ti-v'],
  [/\bnickel copper\b.*\bpge\b|\bni cu\b|\bnickel copper\b|\bmagmatic (?:sulphide|sulfide|nickel)\b|\bmassive ni cu\b|\bcu ni pge\b|\bcopper nickel\b|\bcontact (?:type )?(?:pge|nickel|ni)\b|\borthomagmatic sul|\bgabbro related nickel\b|\bkomatiite\b/, 'magmatic-ni-cu-pge'],
  // epithermal and gold
  [/\bhigh sul(?:f|ph)idation\b|\bquartz alunite\b/, 'epithermal-au-ag-hs'],
  [/\blow sul(?:f|ph)idation\b|\bhot spring (?:au|gold)/, 'epithermal-au-ag-ls'],
  [/\bintermediate sul(?:f|ph)idation\b|\balkalic epithermal\b|\bepithermal (?:gold|silver|au|ag|vein)\b/, 'epithermal-au-ag'],
  [/\bepithermal mercury\b|\bhot spring (?:mercury|hg)\b/, 'epithermal-hg'],
  [/\borogenic antimony\b/, 'orogenic-sb'],
  [/\borogenic gold\b|\bgold quartz veins?\b|\bauriferous quartz veins?\b|\blow sulfide (?:gold|au) quartz\b/, 'orogenic-au'],
  [/\bintrusion related gold\b/, 'intrusion-related-au'],
  [/\bcarlin\b/, 'carlin-au'],
  // massive sulfide and sediment-hosted base metals
  [/\bseafloor massive sul/, 'seafloor-massive-sulfide'],
  [/\bvms\b|\bvhms\b|\bvolcanogenic massive sul|\bvolcanic hosted massive sul|\bkuroko\b|\bbesshi\b|\bcyprus type\b|\bbimodal (?:mafic|felsic)\b|\bmassive sulphide type mineralization\b/, 'vms'],
  [/\bsedex\b|\bsedimentary exhalative\b|\bclastic dominated\b|\bsiliciclastic (?:carbonate|mafic) zinc lead\b/, 'sedex'],
  [/\bmvt\b|\bmississippi valley\b|\bsoutheast missouri\b/, 'mvt'],
  [/\birish type\b/, 'irish-zn-pb'],
  [/\bkipushi\b/, 'kipushi-cu-zn-pb'],
  [/\bsediment hosted (?:stratabound )?copper\b|\bredbed cu\b|\breduced facies cu\b|\brevett cu\b|\bkupferschiefer\b|\bcopper occurrence in sedimentary rock\b/, 'sediment-hosted-cu'],
  [/\biocg\b|\biron oxide copper gold\b/, 'iocg'],
  [/\bioa\b|\biron oxide apatite\b|\bkiruna\b/, 'ioa'],
  // skarn, greisen, veins
  [/\bskarn (?:tungsten|w)\b|\b(?:w|tungsten) skarn\b/, 'skarn-w'],
  [/\bskarn (?:tin|sn)\b|\b(?:sn|tin) skarn\b/, 'skarn-sn'],
  [/\bskarn (?:copper|cu)\b|\b(?:cu|copper) skarn\b/, 'skarn-cu'],
  [/\bskarn (?:zinc|zn)\b|\b(?:zn pb|zinc lead) skarn\b/, 'skarn-zn-pb'],
  [/\bskarn (?:iron|fe)\b|\b(?:fe|iron) skarn\b/, 'skarn-fe'],
  [/\bskarn (?:gold|au)\b|\b(?:au|gold) skarn\b/, 'skarn-au'],
  [/\bskarn (?:molybdenum|mo)\b|\b(?:mo|molybdenum) skarn\b/, 'skarn-mo'],
  [/\bskarn\b|^contact metasomatic$/, 'skarn'],
  [/\bgreisen\b/, 'greisen-sn-w'],
  [/\bvein (?:tin|tungsten)\b|\b(?:sn|w|tin|tungsten) veins\b|\bsn polymetallic veins\b|\bcopper tin veins\b/, 'vein-sn-w'],
  [/\bfive element\b/, 'five-element-vein'],
  [/\bvein polymetallic\b|\bpolymetallic (?:veins?|ag pb zn)\b/, 'polymetallic-vein'],
  [/\breplacement polymetallic\b|\bpolymetallic replacement\b|\bcarbonate replacement\b/, 'polymetallic-replacement'],
  // placers
  [/\bplacer pge\b|\bplacer platinum\b/, 'placer-pge'],
  [/\bplacer (?:tin|sn)\b|\bpaleoplacer tin\b/, 'placer-sn'],
  [/\bplacer gold\b|\bgold placer\b|\bplacer (?:au|gold)\b|\bpaleoplacer gold\b|\balluvial gold\b|\bau pge placer\b|\bplacer gold\b/, 'placer-au'],
  [/\bplacers?\b/, 'placer'],
  // sedimentary, residual and other
  [/\bbanded iron formation\b|\b(?:superior|algoma) type (?:banded )?iron\b|\bbif\b/, 'banded-iron-formation'],
  [/\bphosphorite\b|\bphosphate deposits\b|\bguano\b/, 'sedimentary-phosphate'],
  [/\bbrine potash\b/, 'brine-potash'],
  [/\bevaporite potash\b|\bevaporite carnallite\b/, 'evaporite-potash'],
  [/\bevaporite (?:salt|gypsum|borate|trona|nitrate|magnesite)\b|^evaporites?$/, 'evaporite'],
  [/\bgraphite\b/, 'graphite'],
  [/\bbauxite\b/, 'bauxite'],
  [/\blaterite (?:nickel|ni)\b|\b(?:nickel|ni)(?: (?:cobalt|co))? laterites?\b|\b(?:cobalt|co) (?:nickel|ni) laterites?\b|\blateritic (?:ni|nickel)\b|\bnickel?iferr?ous laterite\b/, 'laterite-ni-co'],
  [/\bsedimentary manganese\b|\bsediment hosted manganese\b|\bbanded manganese\b/, 'sedimentary-mn'],
  [/\bcrust manganese\b|\bmanganese nodules?\b|\bpolymetallic nodules?\b|\bferromanganese crusts?\b/, 'fe-mn-crust-nodule'],
  [/\bunconformity related uranium\b/, 'unconformity-u'],
  [/\bsandstone (?:hosted )?uranium\b|\broll front uranium\b/, 'sandstone-u'],
  [/\bblack shale (?:nickel|vanadium|va nadium|gold|uranium)\b/, 'black-shale-metals'],
  [/\bvolcanic hosted copper\b/, 'volcanic-hosted-cu'],
  [/\bmetamorphic kyanite\b/, 'metamorphic-kyanite'],
  [/\bkimberlite\b/, 'kimberlite-diamond'],
];

const SYNONYMS = new Map<string, DepositTypeCode>();
for (const d of DEPOSIT_TYPES) {
  SYNONYMS.set(normalizeDepositTypeText(d.code), d.code);
  SYNONYMS.set(normalizeDepositTypeText(d.en), d.code);
  SYNONYMS.set(normalizeDepositTypeText(d.ja), d.code);
  for (const s of d.synonyms) SYNONYMS.set(normalizeDepositTypeText(s), d.code);
}

/**
 * Lower case; "±", "+/-" and the mangled escapes seen in the MinMod text ("\b1", "\\u00b1")
 * become spaces, as do hyphens; words broken across a PDF line ("intru- sion") are rejoined.
 */
export function normalizeDepositTypeText(s: string): string {
  return s
    .normalize('NFKC')
    .toLowerCase()
    .replace(/\\+\/?u00b1|\\+\/?u0026|[\b]1?|±|\+\/-/g, ' ')
    .replace(/\b(intru|va|epither|poly|sul|sedi)- (sion|nadium|mal|metallic|phide|fide|ment)\b/g, '$1$2')
    .replace(/[-_–—/]/g, ' ')
    .replace(/[()"',.;:]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/**
 * Map a reported deposit type onto a code, or undefined when the text does not name a class
 * (vague process words, dataset-specific codes, empty). The caller keeps the raw text.
 */
export function matchDepositType(text: string | null | undefined): DepositTypeCode | undefined {
  return typeof text === 'string' ? matchText(text) : undefined;
}

const matchText = memoizeText((text: string): DepositTypeCode | undefined => {
  const t = normalizeDepositTypeText(text);
  if (t === '') return undefined;
  const exact = SYNONYMS.get(t);
  if (exact) return exact;
  for (const [re, code] of RULES) if (re.test(t)) return code;
  return undefined;
});
