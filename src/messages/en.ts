/**
 * The core's problem messages in English, one template per stable code. A call site states
 * the code and its parameters once (`coded(...)`); the English `message` is built from here and
 * the renderer words the same code in the user's language (renderer/strings/problems.ts).
 * Placeholders are `{{name}}`, as in i18next; parameter values are inserted verbatim.
 */
export const PROBLEM_EN = {
  'record.required': '{{field}} is required',
  'record.notText': 'must be text, got {{value}}',
  'record.nameTooLong': 'is {{length}} characters long; the limit is {{limit}}',
  'record.notCodeList': 'must be a list of commodity codes, got {{value}}',
  'record.notCommodity': '{{value}} is not a commodity code such as Li, Cu or REE',
  'record.listedTwice': '"{{value}}" is listed twice',
  'record.notNameList': 'must be a list of names, got {{value}}',
  'record.notUrl': '{{value}} is not a web address; use one starting with http:// or https://',
  'record.notExtraObject': 'must be an object of extra properties, got {{value}}',
  'record.notDepositType': '{{value}} is not a deposit-type code such as porphyry-cu or li-brine',
  'record.notDevStatus': '{{value}} is not a development status; use {{codes}} or leave it empty',
  'record.notSurveyId': '{{value}} is not a survey id (a UUID like 123e4567-e89b-12d3-a456-426614174000)',
  'record.notMethodList': 'must be a list of methods, got {{value}}',
  'record.notMethod': '{{value}} is not a survey method; use {{codes}}',
  'record.endsBeforeStart': 'the survey ends ({{end}}) before it starts ({{start}})',
  'record.notSurveyStatus': '{{value}} is not a survey status; use {{codes}} or leave it empty',
  'record.notDate': '{{value}} is not a date; use YYYY, YYYY-MM or YYYY-MM-DD',
  'record.notResourceList': 'must be a list of resource estimates, got {{value}}',
  'record.notResource': 'must be an object with tonnage, grade, commodity …, got {{value}}',
  'record.notNonNegative': 'must be a number ≥ 0, got {{value}}',
  'record.tonnageNeedsUnit': 'a tonnage needs a unit: {{codes}}',
  'record.notTonnageUnit': '{{value}} is not a tonnage unit; use {{codes}}',
  'record.notGradeUnit': '{{value}} is not a grade unit; use {{codes}}',
  'record.gradeNeedsUnit': 'a grade needs a unit: {{codes}}',
  'record.gradeOverWhole': '{{grade}} {{unit}} is more than the whole rock; the most is {{max}} {{unit}}',
  'record.notYear': 'must be a whole year from {{min}} to {{max}}, got {{value}}',
  'record.fieldTooLong': '"{{field}}" is {{mib}} MiB long; the limit is 1 MiB per field',
  'mapping.notText': 'must be text, got {{value}}',
  'mapping.unknownCommodity': '{{value}} is not a known commodity; use a symbol like Li or a name like Lithium',
  'mapping.siteNameRequired': 'name is required (no name, and no source id to name the site by)',
  'mapping.surveyNameRequired': 'name is required (no name, and no source id to name the survey by)',
  'mapping.notDevStatus': '{{value}} is not a development status; use {{codes}} (or Unknown)',
  'mapping.notSurveyStatus': '{{value}} is not a survey status; use {{codes}}',
  'mapping.notDate': '{{value}} is not a date; use YYYY, YYYY-MM or YYYY-MM-DD',
  'input.binaryNul': '{{file}} is a binary file, not text (found a NUL byte near the start); is it the right file?',
  'input.binary': '{{file}} looks like a binary file, not text; is it the right file?',
  'geojson.empty': 'the file is empty (or only white space); expected a GeoJSON FeatureCollection, Feature or geometry',
  'geojson.notJson': 'not valid JSON: {{detail}}',
  'geojson.topoJson': 'this is TopoJSON ("type": "Topology"), not GeoJSON; convert it first, e.g. with topojson-client or ogr2ogr',
  'project.tooNew':
    '{{file}} was made by a newer version of Outcrop (schema {{fileVersion}}; this version understands up to {{maxVersion}}). Update Outcrop to open it; the file has not been changed.',
  'project.cannotOpen': '{{file}}: cannot open as a GeoPackage: {{detail}}',
  'project.notGeoPackage': '{{file}} is an SQLite file but not a GeoPackage (application_id is not "GPKG")',
  'project.notOutcrop':
    '{{file}} is a GeoPackage but not an Outcrop project (no outcrop_meta/deposits/surveys tables); import its layers into a project instead',
  'coord.lonOutOfRange': 'longitude {{value}} is outside −180…180',
  'coord.latOutOfRange': 'latitude {{value}} is outside −90…90',
  'coord.latOutOfRangeSwapped': 'latitude {{value}} is outside −90…90 (are longitude and latitude swapped? GeoJSON order is [longitude, latitude])',
  'geometry.outlineCrossesItself': 'outline crosses itself near {{at}} (a bow-tie)',
  'geometry.holeOutside': 'ring {{ring}} (a hole) lies outside ring 0 (the outline); a hole must be inside the outline',
  'geometry.oneMoreOfKind': '… and {{more}} more {{kind}} problem in this geometry (only the first {{cap}} are listed)',
  'geometry.moreOfKind': '… and {{more}} more {{kind}} problems in this geometry (only the first {{cap}} are listed)',
} as const;

export type ProblemCode = keyof typeof PROBLEM_EN;
export type ProblemParams = Record<string, string | number>;

/** Fill a `{{name}}` template; an unknown placeholder is left as it is. */
export function fillTemplate(template: string, params: ProblemParams): string {
  return template.replace(/\{\{\s*(\w+)\s*\}\}/g, (all, name: string) => (name in params ? String(params[name]) : all));
}

/** The `code`, `params` and English `message` of one problem, to spread into a Problem. */
export function coded(code: ProblemCode, params: ProblemParams = {}): { code: ProblemCode; params: ProblemParams; message: string } {
  return { code, params, message: fillTemplate(PROBLEM_EN[code], params) };
}

/** A coded message, for errors that take the message and its key separately. */
export type CodedMessage = ReturnType<typeof coded>;
