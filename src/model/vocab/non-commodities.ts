/**
 * Terms that turn up in the "commodities" columns of real mineral-site data but are NOT
 * commodities, so the commodity parser must recognise them and leave them unmapped.
 * Built from the distinct values of the MinMod extract (110,459 sites), the USGS GeoJSON sets
 * and the USGS lithium database (see tests/unit/model/vocab-coverage.test.ts).
 *
 * Why each kind stays unmapped:
 * - mineral: species names. Several USGS compilations (asbestos, laterite, sediment-hosted
 *   gold, phosphate, carbonatite) list the site's mineralogy in the commodity column: a
 *   chalcopyrite-bearing Carlin-type gold deposit is not a copper deposit. Minerals whose name
 *   is itself the commodity name (barite, graphite, talc, fluorite, quartz …) are commodities
 *   instead, see ./commodities.
 * - rock: host or country rocks that are not quarried as stone under that name.
 * - qualifier: the second half of an MRDS commodity name split at its comma
 *   ("Sand and Gravel, Construction", "Stone, Crushed/Broken", "Limestone, General").
 * - vague: groups too loose to stand for a code ("base metals", "precious metals", "sulfates":
 *   a brine's sulfate may be sodium sulfate, sulfate of potash or gypsum; "Unknown").
 * - fragment: debris of a list split inside a sentence or a truncated field, where the intended
 *   commodity cannot be known ("ru" and "si" in the Alabama set are cut-off words, "RE" may be
 *   rare earths or rhenium, "Po" is pyrrhotite in Ni-Cu reports, not polonium).
 * Numbers, lone punctuation and single letters are fragments by rule, not listed here.
 */
export type NonCommodityKind = 'mineral' | 'rock' | 'qualifier' | 'vague' | 'fragment';

const MINERALS = `
acanthite altaite ankerite-dolomite attapulgite autunite bariopyrochlore bornite jadeite roscoelite trevorite tvalchrelidzeite
zussmanite actinolite actinolite-tremolite adularia aegerite aegirine aegirine-augite aktashite albite allanite
allophane alunite amphibole amphiboles anatase ancylite andesine andradite ankerite anorthite anthonyite
anthophyllite anthopyllite antigorite antimonselite apatie apatite apophyllite aragonite arfvedsonite
argentite arsenolite arsenopyrite aresnopyrite asbolane augelite augite aurostibite awaruite azurite
baddeleyite baddelyite balkanite baltimorite bastite bastn bastnaesite bastnasite bastnäsite beidellite
benitoite berzelianite beryl bindheimite bioite biotite bismuthinite bitumen bnerite boulangerite bournonite
bravoite britholite brochantite bronzite brookite brucite brushite burbankite cahnite calaverite calcite
calumetite cancrinite carbonate carbonate-apatite carbonate-fluorapatite carlcite carlinite caryopilite
cassiterite celestite cerargyrite cerianite ceriopyrochlore cerussite chalcanthite chalcedony chalcocite
chalcophanite chalcopyrite chalcostibite chamosite chert chesterite chloritoid chlorite chlorite/serpentine
chloro-fluorapatite chondrodite christite chromite chromrutile chrysocolla churchite cinnabar clacite
clausthalite clinochlore clinochrysotile clinohedrite clinohumite clinojimthompsonite clinopyroxene
clinozoisite clintonite cobaltite collophane coloradoite columbite columbite-tantalite conichalcite covellite
cradallite crandallite crossite cryolite cryptomelane cubanite cummingtonite cuprite dahllite dahlite
daliranite daqingshanite deerite deweylite diaclasite diallage diaspore dickite digenite diopside dufrenite
electrum ellisite enstatite epidote epsomite erlichmanite ernienickelite eudialyte euchroite falcondoite
famatinite fangite faustite fayalite fermite ferrihydrite ferroaxinite ferroselite fersmite florencite
fluorapatite fluoapatite forsterite fosterite francolite francolite-dahllite fuchsite galena galkhaite
garnierite genthite geocronite geothite getchellite gersdorffite gibbsite gillulyite glauconite glaucophane
godlevskite goethite gorceixite gotzenite goyazite greenockite grunerite heazlewoodite hectorite hematite
hemimorphite hinsdalite hmite hollandite hornblende hydrargillite hydrobiotite hydrochlorite hydrogoethite
hydrogrossular hydromagnesite hydromica hydrotalcite hydroxlapatite hydroxyapatite hypersthene illite
illite-smectite ilmenite ilmenomagnetite imogolite irarsite iridosmine isocubanite isokite jamesonite jarosite
jasperoid jimthompsonite jordanite kaersutite kammererite kaolinite kerolite kotschubeite ksolinite
kullerudite labradorite laffittite lanthanite latrappite laurite lautite lepidocrocite leucoxene lfuorite
limonite lithiophorite lizardite lollingite lorandite lueshite lusungite maghemite magnesio-arfvedsonite
magnesioarfvedsonite magnesioriebeckite magnetite malachite manganapatite manganocalcite mangansericite
marcasite margarite marmolite martinite martite maucherite melanite melanterite melilite melnikovite melonite
meta-autunite metacinnabar microcline microcline-perthite microperthite millerite millisite minnesotaite
molybdenite monazite montmorillonite monticellite morenosite muscovite muscovite-sericite natroniobite
nepheline nephrite nepouite neptunite niocalite nontronite okaite oligonite opal orcelite orpiment
orthoclase orthopyroxene os-laurite paatie palygorskite pandaite paratacamite parisite pecoraite pectolite
penninite penroseite pentlandite perovskite phlogopite picotite picrolite piedmontite piemontite pigeonite
pimelite plagioclase plagionite plumbogummite polydymite powellite prehnite priderite prochlorite psilomelane
pyrargyrite pyrite pyroaurite pyrobitumen pyrochlore pyrochroite pyroclore pyrolusite pyromorphite pyrophanite
pyroxene pyroxenes pyrrhotite pyrrrhotite raguinite ramsdellite realgar rhabdophane rhodochrome rhodochrosite
rhodonite richterite rickardite riebeckite riebeckite-magnesioriebeckite rutile saponite sarabauite saussurite
scapolite scheelite schorl schuetteite scorodite sectite sellaite semseyite senarmontite sepiolite sericite
sericite-illite serpentine siderite siegenite simonite smaragdite smectite soddyte sodalite spessartine
sperrylite sphalerite sphene spinel spodumene stannite stelite stevensite stibiconite stibnite stilpnomelane
strontianite svanbergite sylvanite synchisite synchysite takovite tantalite tantalowodginite tennantite
tetradymite tetrahedrite thorianite thorite tiemannite tiemmanite tirodite titanite titanium-augite
titanium-magnetite titanomagneite titanomagnetite todorokite topaz torbernite tourmaline tremolite
tremolite-actinolite tridymite troilite trustedtite tungstite twinnite tyuyamunite tzenite uraninite
uranothorianite uvarovite uytenbogaardtite vaesite valentinite valerite valleriite vanadinite variscite
vesuvianite violarite vivianite wagnerite wakabayashilite wavellite weilerite wernerite williamsite
willemseite winchite wodginite wolframite wurtzite xenotime xonotlite yttrio-fluorite zaratite zinkenite
zircon zoisite
`;

/** Hyphenated or descriptive mineral names from the same lists. */
const MINERAL_PHRASES = [
  'as-pyrite', 'as-siderite', 'as-sulfide', 'as-sulfosalt', 'ag-sb enriched pyrite', 'ag-selenide', 'au-enriched pyrite',
  'au-telluride', 'co-cryptomelane', 'co-ni chalcophanite', 'co-ni todorokite', 'co-ni-as-s mineral', 'co-pentlandite',
  'co-rich asbolane', 'cr spinel', 'cr-spinel', 'cr-antigorite', 'cr-chlorite', 'cr-clinochlore', 'cu phosphates',
  'cu-ni alloy', 'cu-oxide', 'cu-sb sulfide', 'cu-sulfosalt', 'cu-zn alloy', 'cu2fes3', 'fe and mn oxides', 'fe oxide',
  'fe oxides', 'fe-dolomite', 'fe-oxide', 'fe-ti oxides', 'hg-gold', 'hg-pyrite', 'k feldspar', 'k-feldspar',
  'potassium feldspar', 'mn-hydroxide', 'mn-ni oxide', 'mn-oxide', 'mn-oxides', 'ni-as sulfide', 'ni-co chalcophanite',
  'ni-co todorokite', 'ni-cu-sn-fe-zn alloys(intermetallic compounds)', 'ni-rich asbolane', 'pd-sb telluride',
  'ree carbonates', 'ree minerals', 'ree-sphene', 'pge minerals', 'la-nd phosphates and silicates', 'se-covellite',
  'se-stibioluzonite', 'se-stibnite', 'sr and ba-feldspar', 'ti-magnetite', 'tl-pyrite', 'v-bearing phlogopite',
  'zn-tennantite', 'zn-tetrahedrite', 'alkali amphibole', 'amphibole of the hornblende group', 'calcic plagioclase',
  'carbonate minerals (dolomite or magnesite)', 'carbonatite minerals enriched in copper and iron',
  'copper and bismuth carbonates', 'ferruginous clay mineral', 'feldspar group', 'feldspar (labradorite)',
  'fibrous anthophyllite', 'fibrous calcite', 'fibrous nephrite', 'fibrous talc', 'fibrous tremolite',
  'grossularite garnet', 'iron oxides', 'magnesian silicate minerals', 'numerous unidentified basic copper chlorides',
  'other calc-silicates', 'other metamorphic minerals', 'other silicates', 'secondary iron oxides', 'secondary phosphates',
  'serpentine (antigorite)', 'serpentine (deweylite)', 'silicate', 'sulfide', 'sulfides', 'oxide', 'oxides',
  'tremolite or cummingtonite', 'unknown ag- and au-bearing minerals', 'unknown cu-fe-ni sulfide',
  'unknown pd-bearing phase', 'unknown pt-se-bearing phase', 'unidentified platinum', 'an unidentified aluminum phosphate',
  'wavellite or variscite', 'calcite crystal', 'calcite with pyrite', 'organic matter', 'carbon (remobilized)',
  'optical calcite', 'quartz vein', 'vein quartz', 'ni-bearing',
  'carbonates', 'carbonate',
  'ankeritic carbonate', 'calc-silicate minerals', 'carbonate fluorapatite', 'carbonate fluoapatite',
  'carbonaceous material', 'carbonaceous matter', 'chlorine-rich fluorapatite', 'chromian antigorite',
  'chromiferous hornblende-edenite', 'chrome hornblende', 'clay minerals', 'cryptocrystalline apatite',
  'dolomitic calcite', 'fe-mg silicates', 'ferroan carbonate', 'ferroan enstatite', 'ferroan phlogopite',
  'ferromagnesian silicates', 'hematite (martite)', 'hydrous iron oxides', 'iron oxied',
  'iron oxides and clays', 'iron sulfides', 'iron-silicate minerals', 'iron-titanium oxides',
  'joaquinite-group minerals', 'manganese minerals', 'microcline feldspar', 'opaline silica', 'opaque oxides',
  'serpentine minerals', 'sodic amphibole', 'sodic plagioclase', 'spessartite garnet', 'specular hematite',
  'syngenetic sulfides', 'titanium magnetite', 'titaniferous magnetite', 'white mica', 'chalcedonic quartz',
  'iron-oxide minerals', 'carbonate minerals',
];

const ROCKS = [
  'amphibolite saprolite', 'basic', 'black sand', 'colluvium', 'dolostone and sandstone', 'evaporites', 'gneiss saprolite',
  'heavy minerals', 'jasperoid (silica)', 'kimberlite', 'kyanite quartzite', 'laterite', 'limestone conglomerate',
  'metasediments', 'mica schist', 'mineral sands', 'muscovite schist',
  'muscovite schist and quartzite', 'nepheline syenite pegmatite', 'obsidian', 'pegmatite', 'phoscorite', 'picrite',
  'quartz mica gneiss', 'quartzite breccia', 'saprolite', 'saprolite-amphibolite', 'saprolite-gneiss', 'saprolite-granite',
  'saprolite-metabasalt', 'saprolite-muscovite schist', 'saprolite-phyllite', 'saprolite-schist', 'serpentinite',
  'silt matrix', 'siltstone and shale', 'ultrabasic', 'volcanic rocks', 'onyx', 'marble (cave onyx)', 'feldspathic sand',
  'slimes', 'brine', 'bri', 'carbonatite', 'aggregate', 'lightweight aggregate', 'structural material',
  'structural materials', 'stoneware pottery', 'concrete products',
];

const QUALIFIERS = [
  'construction', 'construc', 'crushed', 'broken', 'crushed/broken', 'dimension', 'general', 'industrial', 'refractory',
  'metal', 'vein', 'free', 'white', 'long', 'refinery', 'plant', 'contained or me', 'tonnes',
  'bloating', 'sharpening', 'pig', 'cement quality',
];

const VAGUE = [
  'base', 'base-', 'base metals', 'precious metals', 'precious-metals', 'total precious metals (tpm)', 'sulfates', 'sulfate',
  'so4', 'h2s', 'carbon', 'c', 'carbon dioxide', 'hydrocarbon', 'water', 'mineral water', 'unknown', 'none', 'other',
  'not known', 'potassium pentoxide', 'disilicon trioxide', 'crystalline carbonate', 'organic', 'ash', 'fill',
  'and numerous other minerals--see harder', 'nickel-copper', 'silico',
];

const FRAGMENTS = [
  're', 'ru', 'si', 'st', 'sili', 'odium', 'ni', 'mo', 'mol', 'po', 'tc', 'an', 'zb', 'bii', 'cor', 'gp', 'fld', 'dit', 'gla',
  'pyr', 'py', 'cal', 'vr', 'car', 'carb', 'k-ar', 'site', 'ma', '2 ma', '5 ma', 'zircon and baddeleyite', 'and baddeleyite', '(mcknight', '(eckel',
];

const TERMS = new Map<string, NonCommodityKind>();
for (const m of MINERALS.split(/\s+/)) if (m) TERMS.set(m, 'mineral');
const add = (list: readonly string[], kind: NonCommodityKind) => {
  for (const t of list) TERMS.set(t.normalize('NFKC').toLowerCase(), kind);
};
add(MINERAL_PHRASES, 'mineral');
add(ROCKS, 'rock');
add(QUALIFIERS, 'qualifier');
add(VAGUE, 'vague');
add(FRAGMENTS, 'fragment');

/** The kind of a recognised non-commodity term (lower-case, NFKC), or undefined. */
export function classifyNonCommodity(lowerTerm: string): NonCommodityKind | undefined {
  return TERMS.get(lowerTerm);
}

/** Every listed term with its kind (for documentation and tests). */
export function nonCommodityTerms(): ReadonlyMap<string, NonCommodityKind> {
  return TERMS;
}
