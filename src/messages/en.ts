/**
 * The core's problem messages in English, one template per stable code. A call site states
 * the code and its parameters once (`coded(...)`); the English `message` is built from here and
 * the renderer words the same code in the user's language (renderer/strings/problems.ts).
 * Placeholders are `{{name}}`, as in i18next; parameter values are inserted verbatim, except
 * word params (see WORDS_EN below) and a `found`/`value` that describes a value in words
 * ("an object", "the text \"x\"", as describeValue does), which the renderer words too.
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
  'mapping.notFinite': 'holds a number beyond what can be stored ({{value}}, as a number such as 1e999 reads): put it in quotes to keep it as text, or correct it',
  'mapping.unknownCommodity': '{{value}} is not a known commodity; use a symbol like Li or a name like Lithium',
  'mapping.siteNameRequired': 'name is required (no name, and no source id to name the site by)',
  'mapping.surveyNameRequired': 'name is required (no name, and no source id to name the survey by)',
  'mapping.notDevStatus': '{{value}} is not a development status; use {{codes}} (or Unknown)',
  'mapping.notSurveyStatus': '{{value}} is not a survey status; use {{codes}}',
  'mapping.notDate': '{{value}} is not a date; use YYYY, YYYY-MM or YYYY-MM-DD',
  'input.binaryNul': '{{file}} is a binary file, not text (found a NUL byte near the start); is it the right file?',
  'input.binary': '{{file}} looks like a binary file, not text; is it the right file?',
  'input.notUtf8': 'the bytes {{bytes}} are not UTF-8 text. Save the file as UTF-8, or give its encoding (probably {{suggest}}: in the CLI, --encoding {{suggest}})',
  'input.notInEncoding': '{{file}} holds bytes that are not valid {{encoding}} text; is that its encoding?',
  'input.unknownEncoding': 'unknown text encoding {{encoding}}: use a name such as utf-8, windows-1252, shift_jis, euc-jp or utf-16le',
  'input.noSuchFile': 'cannot read {{file}}: no such file',
  'input.cannotRead': 'cannot read {{file}}: {{detail}}',
  'input.folder': '{{file}} is a folder, not a file',
  'input.gzipCut': '{{file}} is cut off: the compressed data ends before the file does (an interrupted download or copy?). Get the whole file again',
  'input.gzipDamaged': '{{file}} is not readable gzip data ({{detail}}): is it damaged, or not gzipped?',
  'geojson.empty': 'the file is empty (or only white space); expected a GeoJSON FeatureCollection, Feature or geometry',
  'geojson.notJson': 'not valid JSON: {{detail}}',
  'geojson.jsonUnexpected': 'not valid JSON: unexpected {{found}}',
  'geojson.jsonCurlyQuote': 'not valid JSON: unexpected {{found}} (a curly quote; JSON needs straight double quotes ")',
  'geojson.jsonSingleQuote': 'not valid JSON: unexpected {{found}} (JSON needs double quotes ", not single quotes)',
  'geojson.jsonNaN': 'not valid JSON: unexpected {{found}} (NaN and Infinity are not allowed in JSON; use null)',
  'geojson.jsonComment': 'not valid JSON: unexpected {{found}} (comments are not allowed in JSON)',
  'geojson.jsonTrailingCommaBrace': "not valid JSON: a comma right before '}' (trailing commas are not allowed in JSON)",
  'geojson.jsonTrailingCommaBracket': "not valid JSON: a comma right before ']' (trailing commas are not allowed in JSON)",
  'geojson.jsonExpectedKey': 'not valid JSON: expected a property name in double quotes, found {{found}}',
  'geojson.jsonExpectedColon': "not valid JSON: expected ':' after the property name, found {{found}}",
  'geojson.jsonExpectedComma': "not valid JSON: expected ',' or '{{closer}}', found {{found}} (is a comma missing?)",
  'geojson.topoJson': 'this is TopoJSON ("type": "Topology"), not GeoJSON; convert it first, e.g. with topojson-client or ogr2ogr',
  'project.tooNew':
    '{{file}} was made by a newer version of Outcrop (schema {{fileVersion}}; this version understands up to {{maxVersion}}). Update Outcrop to open it; the file has not been changed.',
  'project.cannotOpen': '{{file}}: cannot open as a GeoPackage: {{detail}}',
  'project.noSchemaVersion':
    '{{file}} has no Outcrop schema version (outcrop_meta has no schema_version row): another program may have changed it. Outcrop cannot tell which upgrades it needs, so it does not open it; the file has not been changed. Restore it from a backup, or put the row back.',
  'project.badSchemaVersion':
    '{{file}} has an unreadable Outcrop schema version ("{{value}}" in outcrop_meta.schema_version, where a whole number belongs): another program may have changed it. Outcrop cannot tell which upgrades it needs, so it does not open it; the file has not been changed. Restore it from a backup, or put the number back.',
  'project.empty': '{{file}} is empty (0 bytes), not an Outcrop project (use "outcrop init {{path}}" to make one)',
  'project.notWritable': '{{file}} cannot be changed: the file or its folder is read-only',
  'project.readOnlyFolder': '{{file}} cannot be read where it is: SQLite needs to create its "-shm" file in the same folder, which is read-only. Copy the project to a folder you can write to.',
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
  'geometry.missing': 'the feature has no geometry (use "geometry": null for a feature without a location)',
  'geometry.notObject': 'geometry must be an object like {"type": "Point", "coordinates": [longitude, latitude]}, found {{found}}',
  'geometry.noType': 'geometry has no "type"; expected one of {{types}}',
  'geometry.collection': 'GeometryCollection is not supported: put each geometry in its own feature',
  'geometry.unknownType': 'unknown geometry type {{type}}; expected one of {{types}}',
  'geometry.unknownTypeCase': 'unknown geometry type {{type}}; expected one of {{types}} (did you mean "{{hint}}"? names are case-sensitive)',
  'geometry.typeNotText': 'unknown geometry type {{found}}; expected one of {{types}}',
  'geometry.noCoordinates': 'a {{type}} needs "coordinates"; there are none',
  'geometry.emptyCoordinates': 'the {{type}} has no coordinates (an empty list); use "geometry": null for a feature without a location',
  'geometry.lineTooShort': 'a line needs at least 2 positions, found {{count}}',
  'geometry.notPositionList': '{{what}} must be a list of positions, found {{found}}',
  'geometry.notList': '{{what}} must be a list, found {{found}}',
  'geometry.noRings': 'a polygon needs at least one ring (its outline), found an empty list',
  'geometry.partNoRings': 'part {{part}}: a polygon needs at least one ring (its outline), found an empty list',
  'geometry.ringOnePosition': '{{ringName}} has {{count}} position; a closed ring needs at least 4 (3 corners and the first point repeated at the end)',
  'geometry.ringTooShort': '{{ringName}} has {{count}} positions; a closed ring needs at least 4 (3 corners and the first point repeated at the end)',
  'geometry.ringNotClosed': '{{ringName}} is not closed: first point {{first}} differs from last point {{last}} (repeat the first point at the end)',
  'geometry.ringOneCorner': '{{ringName}} has only {{count}} distinct corner; a ring needs at least 3',
  'geometry.ringFewCorners': '{{ringName}} has only {{count}} distinct corners; a ring needs at least 3',
  'geometry.ringAroundPole': '{{ringName}} goes all the way round the globe (it encircles a pole); Outcrop cannot store it: split it into pieces that do not',
  'geometry.ringSpikesOnly': '{{ringName}} has no area (its edges only run out and back along one line)',
  'geometry.ringFlat': '{{ringName}} has no area (all its points lie on one line)',
  'geometry.tooManyCrossings': 'the rings cross in more places than listed (the check stops after {{count}}); fix these first',
  'geometry.partOutlineCrossesItself': 'part {{part}}: outline crosses itself near {{at}} (a bow-tie)',
  'geometry.holeCrossesItself': '{{ringName}} crosses itself near {{at}}',
  'geometry.outlineRunsBack': 'outline runs back along itself near {{at}} (two of its edges overlap)',
  'geometry.partOutlineRunsBack': 'part {{part}}: outline runs back along itself near {{at}} (two of its edges overlap)',
  'geometry.holeRunsBack': '{{ringName}} runs back along itself near {{at}} (two of its edges overlap)',
  'geometry.partsCross': 'part {{part}} crosses part {{otherPart}} near {{at}}; the parts of a MultiPolygon must not overlap',
  'geometry.partsShareEdge': 'part {{part}} shares an edge with part {{otherPart}} near {{at}}; the parts of a MultiPolygon may touch only at points (merge them into one polygon)',
  'geometry.holeCrossesOutline': '{{ringName}} crosses {{outlineName}} near {{at}}',
  'geometry.holeCrossesHole': '{{ringName}} crosses ring {{otherRing}} (another hole) near {{at}}',
  'geometry.holeSharesEdgeWithOutline': '{{ringName}} shares an edge with {{outlineName}} near {{at}}; rings may touch only at points',
  'geometry.holeSharesEdgeWithHole': '{{ringName}} shares an edge with ring {{otherRing}} (another hole) near {{at}}; rings may touch only at points',
  'geometry.partHoleOutside': '{{ringName}} lies outside {{outlineName}}; a hole must be inside the outline',
  'geometry.holesNest': '{{ringName}} lies inside ring {{otherRing}}, another hole; holes must not nest',
  'geometry.partInsidePart': 'part {{part}} lies inside part {{otherPart}}; the parts of a MultiPolygon must not overlap',
  'position.notList': 'expected a position [longitude, latitude], found {{found}}',
  'position.listOfPositions': 'expected a position [longitude, latitude], found a list of positions (is the geometry "type" right?)',
  'position.empty': 'a position needs 2 numbers [longitude, latitude], found an empty list',
  'position.oneValue': 'a position needs 2 numbers [longitude, latitude], found only 1 value ({{found}})',
  'coord.notFinite': '{{axis}} is not a finite number (found {{value}}, e.g. from a literal like 1e999)',
  'coord.missing': '{{axis}} is missing (found {{found}})',
  'coord.text': '{{axis}} is {{found}}, not a number',
  'coord.quotedNumber': '{{axis}} is {{found}}, not a number (remove the quotes)',
  'coord.notNumber': '{{axis}} must be a number, found {{found}}',
  'coord.lonOutOfRangeProjected': 'longitude {{value}} is outside −180…180 (these look like projected coordinates, e.g. UTM metres; Outcrop needs WGS 84 longitude and latitude in degrees)',
  'coord.latOutOfRangeProjected': 'latitude {{value}} is outside −90…90 (these look like projected coordinates, e.g. UTM metres; Outcrop needs WGS 84 longitude and latitude in degrees)',
  'coord.bothOutOfRange': 'longitude {{lon}} is outside −180…180 and latitude {{lat}} is outside −90…90',
  'coord.both': '{{lonProblem}} and {{latProblem}}',
  'coord.bothOutOfRangeProjected': 'longitude {{lon}} is outside −180…180 and latitude {{lat}} is outside −90…90 (these look like projected coordinates, e.g. UTM metres; Outcrop needs WGS 84 longitude and latitude in degrees)',
  'import.unknownExtension': '{{file}}: cannot tell the format from the extension "{{ext}}"; use .geojson, .json, .csv, .gpkg, a zipped Shapefile .zip or a .shp (or --format)',
  'import.notStorable': 'a {{type}} cannot be stored: deposits are points and surveys are polygons',
  'import.reportedUnlocated': 'this feature is from an import report and still has no location; fix what the report says of it first ({{problems}})',
  'import.multiPointDeposit': 'a MultiPoint with {{count}} points cannot be one deposit: give each deposit its own feature',
  'import.depositNotPoint': 'the deposits layer holds points, but this feature is a {{type}}',
  'import.surveyNotPolygon': 'the surveys layer holds polygons, but this feature is a {{type}}',
  'import.duplicateId': 'id "{{id}}" is used by an earlier feature in this file; ids must be unique',
  'import.notTimestamp': 'must be an ISO 8601 timestamp like 2026-11-23T10:00:00Z, got {{value}}',
  'import.mapNotDepositField': '{{file}} (field mapping): {{pairs}}: not a deposit field; use one of {{targets}} (or extra)',
  'import.mapNotSurveyField': '{{file}} (field mapping): {{pairs}}: not a survey field; use one of {{targets}} (or extra)',
  'import.mapNotField': '{{file}} (field mapping): {{pairs}}: not a deposit or survey field; use one of {{targets}} (or extra)',
  'import.mapTwice': '{{file}} (field mapping): "{{first}}" and "{{second}}" are both mapped onto "{{target}}"; map one of them elsewhere or to extra',
  'import.allRejected': '{{file}}: all {{rejected}} features are invalid, nothing was imported{{report}}. First problem: {{first}}',
  'import.invalidFeatures': '{{file}}: {{rejected}} of {{total}} features are invalid, nothing was imported. First problem: {{first}}',
  'mapping.namesNotText': 'names must be text, got {{value}}',
  'mapping.notDepositTypeCode': "{{value}} is not a deposit-type code such as porphyry-cu or li-brine; put the source's wording in deposit_type_text",
  'mapping.notSurveyId': '{{value}} is not a survey id (a UUID like 123e4567-e89b-12d3-a456-426614174000)',
  'mapping.notResourceList': 'must be a JSON list of estimates like [{"tonnage": 12.5, "tonnage_unit": "Mt", "commodity": "Li", "grade": 1.2, "grade_unit": "%"}], got {{value}}',
  'mapping.resourceNotObject': '{{path}} must be an object, got {{value}}',
  'mapping.resourceUnknownKey': '{{path}} has an unknown key {{key}}; use tonnage, tonnage_unit, commodity, grade, grade_unit, classification, year, source',
  'mapping.resourceNotNumber': '{{path}} must be a number, got {{value}}',
  'mapping.resourceUnknownCommodity': '{{path}} {{value}} is not a known commodity; use a symbol like Li or a name like Lithium',
  'mapping.notSurveyMethod': '{{value}} is not a survey method; use {{codes}} (or words like Hyperspectral, LiDAR, Aeromagnetic)',
  'csv.empty': '{{file}} is empty: expected a header line naming the columns',
  'csv.badDelimiter': '{{file}}: delimiter {{delimiter}} cannot be used; give one character such as "," ";" or "tab"',
  'csv.columnNotInHeader': 'column {{column}} (given for {{axis}}) is not in the header; the header has {{header}}',
  'csv.noLonColumn': 'no longitude column: the header has {{header}}; expected one of {{expected}}, or name it with the lon option',
  'csv.noLatColumn': 'no latitude column: the header has {{header}}; expected one of {{expected}}, or name it with the lat option',
  'csv.lonWithoutLat': 'found longitude column {{column}} but no latitude column; expected one of {{expected}}',
  'csv.latWithoutLon': 'found latitude column {{column}} but no longitude column; expected one of {{expected}}',
  'csv.noGeometryColumns':
    'no geometry columns: the header has {{header}}; expected a longitude column ({{lonNames}}) and a latitude column ({{latNames}}), or a WKT column ({{wktNames}}); names are matched ignoring case, or can be given with the lon/lat/wkt options',
  'csv.oneColumnHeader':
    'no geometry columns: split at {{delimiter}}, the header is one column, {{header}}; its fields look separated by {{likely}}: give the delimiter with the delimiter option (--delimiter "{{option}}")',
  'csv.extraFields': 'expected {{width}} fields as in the header, found {{count}}; the extra values are kept as {{names}}',
  'csv.missingFields': 'expected {{width}} fields as in the header, found {{count}}; the missing columns ({{names}}) are left out',
  'csv.wktEmpty': 'no geometry: the WKT is EMPTY',
  'csv.wktCellEmpty': 'no geometry: {{column}} is empty (only an Outcrop CSV export, with its extra_json column, may hold rows without a location)',
  'csv.noCoordinates': 'no coordinates: {{lon}} and {{lat}} are empty (only an Outcrop CSV export, with its extra_json column, may hold rows without a location)',
  'csv.rowCrsUnknown': 'the {{column}} column says these coordinates are in {{value}}, which is not a CRS Outcrop knows (give an EPSG code such as EPSG:4267, or WGS84, NAD27, NAD83, JGD2011)',
  'csv.cellEmpty': 'no {{axis}}: the cell is empty',
  'csv.extraNotObject': 'expected a JSON object of extra properties; kept as text',
  'csv.extraKeyIsColumn': "key {{key}} is also a column; the column's value is kept",
  'csv.quoteNotClosed': 'a quoted field is never closed: a " opens a field here and no closing " follows before the end of the file',
  'csv.recordTooLong': 'the record starting here is too long; usually a quote that is never closed (a stray ") or the wrong delimiter',
  'csv.badClosingQuote': 'a quoted field is closed and then followed by more text in the same cell ("abc"def); quote the whole cell and double the quotes inside it ("""abc""def")',
  'csv.decimalComma': '{{axis}} {{text}} uses a decimal comma; expected a decimal point, e.g. {{fixed}}',
  'csv.notCoordinate': '{{axis}} {{text}} is not a number (expected decimal degrees such as 36.5042 or DMS such as 36°30\'15"N)',
  'csv.dmsHemisphereTwice': '{{axis}} {{text}}: hemisphere letter given twice',
  'csv.dmsSignAndHemisphere': '{{axis}} {{text}}: has both a sign and a hemisphere letter',
  'csv.dmsLatHemisphere': '{{axis}} {{text}}: hemisphere "{{hemi}}" does not belong to a {{axis}} (expected N or S)',
  'csv.dmsLonHemisphere': '{{axis}} {{text}}: hemisphere "{{hemi}}" does not belong to a {{axis}} (expected E or W)',
  'csv.dmsMinutesAfterDecimal': '{{axis}} {{text}}: decimal degrees cannot be followed by minutes',
  'csv.dmsSecondsWithoutMinutes': '{{axis}} {{text}}: seconds without minutes',
  'csv.dmsSecondsAfterDecimal': '{{axis}} {{text}}: decimal minutes cannot be followed by seconds',
  'csv.dmsMinutesOver60': '{{axis}} {{text}}: minutes must be below 60, got {{value}}',
  'csv.dmsSecondsOver60': '{{axis}} {{text}}: seconds must be below 60, got {{value}}',
  'wkt.srid': 'SRID {{srid}} is not supported; expected WGS 84 lon/lat (SRID=4326 or no SRID)',
  'wkt.cannotParse': 'not valid WKT: cannot parse in {{text}}',
  'wkt.endsEarly': 'not valid WKT: the text ends too early in {{text}}',
  'wkt.unexpectedText': 'not valid WKT: unexpected text in {{text}}',
  'wkt.unexpected': 'not valid WKT: unexpected {{got}} in {{text}}',
  'wkt.unsupportedType': '{{type}} is not supported; expected one of {{types}}',
  'geojson.tooDeep': 'the data is nested deeper than {{max}} levels of [ ] and { }; GeoJSON needs far fewer (8 for a FeatureCollection of MultiPolygons), so this is not a usable map file',
  'geojson.notObjectAtTop': 'the file holds {{found}} at the top level, not a GeoJSON object; expected {"type": "FeatureCollection", "features": [...]}, a Feature or a geometry',
  'geojson.featuresNotList': '"features" must be a list [ ... ] of features, found {{found}}',
  'geojson.typeNotText': 'the top-level "type" must be text such as "FeatureCollection", found {{found}}',
  'geojson.unknownType': 'unknown top-level "type" {{type}}; expected "FeatureCollection", "Feature" or a geometry type such as "Polygon"',
  'geojson.typeWithFeatures': 'the top-level "type" is {{type}}, but the file has a "features" list; use "type": "FeatureCollection"',
  'geojson.noType': 'the top-level object has no "type"; expected "FeatureCollection", "Feature" or a geometry type',
  'geojson.noFeatures': 'the FeatureCollection has no "features" list',
  'geojson.afterEnd': 'unexpected {{found}} after the end of the GeoJSON object; a file holds one JSON value (newline-delimited GeoJSON is not supported)',
  'geojson.controlInText': 'a line break or control character inside a text value; JSON text must stay on one line (write \\n for a line break)',
  'geojson.cutInFeature': 'the file ends in the middle of feature {{index}} (which starts at line {{line}}): it looks cut off (was it copied or downloaded completely?)',
  'geojson.cutInFeatureToken': 'the file ends in the middle of {{token}} in feature {{index}} (which starts at line {{line}}): it looks cut off (was it copied or downloaded completely?)',
  'geojson.cutInFeatures': 'the file ends in the middle of the "features" list: it looks cut off (was it copied or downloaded completely?)',
  'geojson.cutInObject': 'the file ends in the middle of the GeoJSON object: it looks cut off (was it copied or downloaded completely?)',
  'geojson.cutInObjectToken': 'the file ends in the middle of {{token}} in the GeoJSON object: it looks cut off (was it copied or downloaded completely?)',
  'geojson.notFeature': 'expected a feature {"type": "Feature", "geometry": ..., "properties": {...}}, found {{found}}',
  'geojson.badId': 'a feature "id" must be text or a number, found {{found}}',
  'geojson.bareGeometry': 'this is a bare geometry ("type": {{type}}), not a feature; wrap it as {"type": "Feature", "geometry": {...}, "properties": {...}}',
  'geojson.featureNoType': 'the feature has no "type"; expected "type": "Feature"',
  'geojson.notFeatureType': '"type" must be "Feature", found {{found}}',
  'geojson.featureNoGeometry': 'the feature has no "geometry" member; use "geometry": null for a feature without a location',
  'geojson.badProperties': '"properties" must be an object {...} or null, found {{found}}',
  'gpkg.notGeoPackage': '{{file}} is not a GeoPackage (no gpkg_contents table): {{detail}}',
  'gpkg.noCrs': '{{file}}: layer "{{layer}}" has no coordinate reference system (srs_id {{srsId}}); give one with --crs, e.g. --crs EPSG:6677',
  'gpkg.noSuchFile': 'cannot read {{file}}: no such file',
  'gpkg.noLayers': "{{file}} has no feature layers (gpkg_contents lists none with data_type 'features')",
  'gpkg.noSuchLayer': '{{file}} has no feature layer "{{layer}}"; its layers are {{layers}}',
  'gpkg.chooseLayer': '{{file}} has {{count}} feature layers; choose one with --source-layer: {{layers}}',
  'gpkg.badGeometry': 'cannot decode the GeoPackage geometry: {{detail}}',
  'project.notFound': '{{file}}: no such project file (use "outcrop init {{path}}" to create one)',
  'project.cannotUpgrade': '{{file}} was made by an older Outcrop (schema {{version}}) and could not be upgraded: {{detail}}. Open it once with write access.',
  'shapefile.cannotOpen': 'cannot read {{file}}: {{detail}}',
  'shapefile.notZip': 'cannot read {{file}} as a zip file: {{detail}}',
  'shapefile.noShp': '{{file}} contains no .shp file',
  'shapefile.noShpButData': '{{file}} contains no .shp file, but holds {{files}}: unzip it and import that file (for example: outcrop import project.gpkg {{first}})',
  'shapefile.noLayer': '{{file}} has no shapefile "{{layer}}"; it contains {{layers}}',
  'shapefile.severalLayers': '{{file}} contains {{count}} shapefiles; choose one with --source-layer: {{layers}}',
  'shapefile.notThisLayer': '{{file}} is one shapefile, not "{{layer}}"; leave out --source-layer or give the right .shp',
  'shapefile.partTooBig': '{{where}}: {{part}} would be {{size}} bytes, more than such a file can hold ({{limit}} bytes); the zip is damaged or not a real Shapefile',
  'shapefile.encrypted': '{{where}}: {{part}} is encrypted; unzip it with its password first',
  'shapefile.impossibleSize': '{{where}}: {{part}} claims {{size}} bytes uncompressed from {{compressed}} bytes in the zip, more than compression can give; the zip is damaged',
  'shapefile.cannotRead': '{{where}}: cannot read {{part}}: {{detail}}',
  'shapefile.noDbf': '{{where}} has no .dbf (attribute table) beside it',
  'shapefile.noPrj': '{{where}} has no .prj, so its coordinate reference system is unknown; give one with --crs (e.g. --crs EPSG:6677)',
  'shapefile.unknownEncoding': '{{where}}: {{cpg}} names the text encoding "{{label}}", which Outcrop cannot decode; write a known one into it (e.g. UTF-8, CP932, 1252)',
  'shapefile.badDbf': '{{where}}: cannot read {{dbf}}: {{detail}}',
  'shapefile.badShx': '{{where}}: {{shx}} is {{size}} bytes, not a 100-byte header plus 8 bytes per shape; the index is damaged (delete it and Outcrop counts the shapes itself)',
  'shapefile.countMismatch': '{{where}} has {{shapes}} shapes but {{dbf}} has {{records}} records; the two must match one to one',
  'shapefile.dbfTruncated':
    '{{where}} has {{shapes}} shapes but {{dbf}} has {{records}} records (its header says {{headerCount}}; the file is truncated); the two must match one to one',
  'shapefile.dbfEndsEarly': '{{dbf}} ends after {{records}} records although its header says {{headerCount}}; the file is truncated',
  'shapefile.badShp': '{{where}}: cannot read the shapes: {{detail}}',
  'shapefile.badShape': 'cannot read this shape: {{detail}}',
  'shapefile.badText': 'the text is not valid {{encoding}} (the encoding {{source}} gives); is that the right encoding? Fix the .cpg (e.g. UTF-8 or CP932)',
  'site.noLayerReadOnly': '{{project}} has no "sites" layer yet; open it read-write once to upgrade it',
  'site.noLayerDevBuild': '{{project}} has no "sites" layer (made by a development build of Outcrop before candidate sites existed); import its data into a new project',
  'site.nameEmpty': 'site: "name" must not be empty',
  'site.unknownRole': 'site "{{name}}": "roles" has unknown role {{role}}',
  'site.notPermitStage': 'site "{{name}}": "permit_stage" {{stage}} is not a permit stage',
  'site.notSiteGeometry': 'site "{{name}}": geometry must be a Point or (Multi)Polygon, got {{type}}',
  'site.idExists': 'sites: a site with id "{{id}}" already exists',
  'site.notFound': 'no site with id "{{id}}"',
  'site.notFoundIn': 'no site with id "{{id}}" in {{project}}',
  'site.badGeometry': 'site "{{name}}": {{problem}}',
  'site.noGeometry': 'site "{{name}}": no geometry',
  'site.noLocation': 'site "{{name}}" ({{id}}) has no location: another program cleared it; place it again (Sites › Edit in the app) to compare it',
  'site.unknownCommodity': 'site "{{name}}": "{{commodity}}" is not a known commodity (use a symbol like Nd or a name like lithium)',
  'permit.notStage': 'permit review: stage {{stage}} is not a permit stage',
  'permit.notDate': 'permit review: date must be a date YYYY[-MM[-DD]], got {{date}}',
  'aoi.badGeometry': 'area of interest: {{problem}}',
  'aoi.notPolygon': 'area of interest: not a polygon',
  'aoi.mustBePolygon': 'area of interest: must be a polygon',
  'aoi.unknownCountry': 'unknown country "{{name}}"; did you mean {{suggestions}}?',
  'aoi.unknownCountryExample': 'unknown country "{{name}}" (use the Natural Earth name, e.g. "Japan")',
  'aoi.unknownState': 'unknown US state "{{name}}"; did you mean {{suggestions}}?',
  'aoi.unknownStateExample': 'unknown US state "{{name}}" (e.g. "Nevada" or "NV")',
  'aoi.unknownPrefecture': 'unknown Japanese prefecture "{{name}}"; did you mean {{suggestions}}?',
  'aoi.unknownPrefectureExample': 'unknown Japanese prefecture "{{name}}" (e.g. "Hokkaido" or "北海道")',
  'coverage.datesReversed': 'coverage dates: from {{from}} is after to {{to}}',
  'coverage.badDate': 'coverage dates: {{date}} is not a date; use YYYY, YYYY-MM or YYYY-MM-DD',
  'compare.siteTwice': 'each site can be compared once',
  'compare.badRadius': 'radius must be a number of km in (0, 2000], got {{radius}}',
  'compare.noSites': 'no sites to compare',
  'compare.noInfrastructure': '{{file}}: no features with a geometry',
  'weights.unknownKey': '{{file}}: unknown key "{{key}}": {{detail}}',
  'weights.badValue': '{{file}}: "{{key}}": {{detail}}',
  'weights.notCommodity': '{{file}}: "commodities.{{code}}": not a commodity code (use e.g. "Li", "Nd", "graphite")',
  'report.pdfNeedsDesktop': 'PDF reports need the desktop app; here, download the HTML report and print it from the browser',
  'report.givePath': 'give the path of the report to write',
  'layer.givePath': 'give the path of the GeoJSON file to import as a reference layer',
  'layer.badName': 'reference layer name must be 1–200 characters, got {{name}}',
  'layer.noTable': '{{project}} has no reference layers table yet; open it read-write once to upgrade it',
  'layer.badFormat': '{{file}}: a reference layer is read from GeoJSON, a GeoPackage layer or a zipped Shapefile, not {{format}}',
  'layer.invalidFeatures': '{{file}}: {{count}} features have problems; nothing was imported. First: {{first}}',
  'layer.noFeatures': '{{file}}: no features with a geometry; nothing was imported',
  'layer.noGeometry': 'the feature has no geometry; a reference layer needs a location for every feature',
  'layer.zoneNotPolygon': 'an exclusion zone must be a Polygon or MultiPolygon, found {{type}}',
  'layer.badRole': 'role must be infrastructure or exclusion, got {{role}}',
  'layer.exists': 'a reference layer "{{name}}" is already stored; delete it first or replace it',
  'layer.notFound': 'no reference layer "{{name}}" in {{project}}',
  'layer.notFoundStored': 'no reference layer "{{name}}" in {{project}} (stored: {{names}})',
  'layer.notFoundNone': 'no reference layer "{{name}}" in {{project}} (none stored; import one with "outcrop layers import")',
  'layer.holdsExclusion': 'reference layer "{{name}}" holds exclusion zones, not infrastructure',
  'layer.holdsInfrastructure': 'reference layer "{{name}}" holds infrastructure, not exclusion zones',
  'geojson.unreadable': '{{file}}: not a readable GeoJSON file ({{detail}})',
  'geojson.noPolygon': '{{file}}: no Polygon or MultiPolygon in the file',
  'export.badPrecision': 'precision must be a whole number of decimals from 0 to 15, got {{precision}}',
  'export.badId': 'a feature id must be a string or a number, got {{type}}',
  'export.notFinite': 'a coordinate must be a finite number, got {{number}}',
  'export.csvGeometryMode': 'CSV geometry must be "auto", "latlon" or "wkt", got {{mode}}',
  'export.csvPointWithCoordinates': 'geometry is a Point with {{count}} coordinates, but this CSV has longitude/latitude columns (2-D points only); export with geometry "wkt"',
  'export.csvNotPoint': 'geometry is a {{type}}, but this CSV has longitude/latitude columns (2-D points only); export with geometry "wkt"',
  'export.filtersDepositsOnly': 'commodity, status and type filters apply to deposits only; drop --layer surveys',
  'export.geojsonCrs': 'GeoJSON is WGS 84 longitude/latitude by definition (RFC 7946); export CSV or GeoPackage to reproject',
  'export.gpkgCrsCode': '--crs: a GeoPackage names its CRS by an EPSG code; give one (e.g. EPSG:6677) instead of {{crs}}',
  'export.gpkgSurvey': '--survey is not available for GeoPackage exports yet; use --bbox or export GeoJSON',
  'export.csvOneLayer': 'a CSV file holds one layer: choose --layer deposits or --layer surveys',
  'export.unknownExtension': 'cannot tell the export format from "{{ext}}": use .geojson, .csv or .gpkg',
  'export.ontoItself': 'cannot export a project onto itself',
  'output.cannotWrite': 'cannot write {{path}}: {{reason}}',
  'import.reportIsProject': 'the report {{path}} would overwrite the project; choose another file for it',
  'import.reportIsInput': 'the report {{path}} would overwrite the file being imported; choose another file for it',
  'export.outsideCrs': 'cannot be expressed in {{crs}} (outside the area the projection covers)',
  'export.outsideTargetCrs': 'cannot be expressed in the target CRS (outside the area the projection covers)',
  'export.givePath': 'give the path of the file to export to',
  'file.exists': '{{file}} already exists',
  'survey.notFound': 'no survey with id "{{id}}"',
  'project.walKept': '{{project}}: the disk is full or failing, so the latest changes stay in {{project}}-wal beside it. They are safe there and are read with the project, but keep the two files together (do not copy {{project}} alone) until there is space again: the next time the project is opened they are folded in',
  'project.locked': 'the project is locked by another program or Outcrop process (a long import or merge, or QGIS saving edits); nothing was changed: try again when it has finished',
  'disk.full': 'the disk is full ({{detail}}); nothing was changed and no file was half written: free some space and try again',
  'disk.ioError': 'the disk failed a write ({{detail}}); nothing was changed: check the disk and try again',
  'survey.noOutline': 'survey "{{name}}" ({{id}}) has no outline (its file had none, or another program cleared it); draw it to query it',
  'project.createReadOnly': 'cannot create a project read-only',
  'project.busy': '{{project}} is busy with another change (an import, a merge or an undo); try again when it has finished',
  'project.backupOntoItself': 'cannot back up a project onto itself',
  'project.readOnly': '{{project}} is open read-only',
  'project.noneOpen': 'no project is open: open or create one first',
  'project.givePath': 'give the path of the project file',
  'import.givePath': 'give the path of the file to import',
  'basemap.givePath': 'give the path of an .mbtiles or .pmtiles file',
  'basemap.tooMany': 'at most {{max}} basemaps; remove one first',
  'basemap.notFound': 'no basemap with id "{{id}}"',
  'basemap.wrongExtension': '{{file}}: a basemap must be an .mbtiles or .pmtiles file',
  'basemap.notMbtiles': '{{file}} is not an MBTiles file: {{detail}}',
  'basemap.tileFormat': '{{file}}: tile format "{{format}}" is not supported (pbf, png, jpg, webp)',
  'basemap.compression': 'PMTiles compression {{compression}} is not supported (use gzip or none)',
  'basemap.cannotOpen': '{{file}}: {{detail}}',
  'basemap.gone': '{{file}}: {{detail}}',
  'basemap.mbtilesGone': '{{file}} is not an MBTiles file: {{detail}}',
  'basemap.notPmtiles': '{{file}} is not a PMTiles v3 file: {{detail}}',
  'basemap.tileType': '{{file}}: tile type {{type}} is not supported (MVT, PNG, JPEG, WebP)',
  'conflict.notFound': 'no conflict #{{id}}',
  'conflict.resolved': 'conflict #{{id}} is already resolved',
  'conflict.wholeFeature': 'conflict #{{id}} is about the whole feature ({{conflictKind}}); choose ours or theirs',
  'conflict.featureGone': 'the feature of conflict #{{id}} no longer exists here',
  'conflict.recordGone': 'the record of conflict #{{id}} no longer exists here',
  'conflict.depositNotPoint': 'a deposit is a point',
  'conflict.surveyNotPolygon': 'a survey area must be a polygon',
  'package.givePath': 'give the path of the package to write',
  'package.giveMergePath': 'give the path of the package to merge',
  'package.isProject': '{{file}} is an Outcrop project, not an exchange package (make one with "outcrop package")',
  'package.notPackage': '{{file}} is not an Outcrop exchange package: {{detail}}',
  'package.cannotRead': '{{file}} cannot be read: {{detail}}',
  'package.isTheProject': 'the package cannot be the project itself',
  'crs.outsideArea': 'position [{{x}}, {{y}}] cannot be converted from {{crs}} to WGS 84: it lies outside the area that CRS is defined for',
  'crs.outsideUse':
    'position [{{x}}, {{y}}] in {{crs}} lands at longitude {{lon}}, latitude {{lat}}, about {{km}} km from where that CRS is used ({{area}}; {{bounds}}): check that the file is in that CRS, that easting and northing are not swapped, and that they are in metres',
  'package.exists': '{{file}} already exists; choose a new name for the package',
  'package.badSince': '--since must be "last", a date like 2026-11-01 or a history number; got "{{since}}"',
  'crs.none': '{{source}}: no coordinate reference system given (expected e.g. EPSG:6677)',
  'crs.notRecognised': '{{source}}: cannot read the coordinate reference system {{given}}; expected an EPSG code such as EPSG:6677, a +proj string or WKT',
  'crs.unknownEpsg':
    '{{source}}: unknown CRS {{given}}: Outcrop knows EPSG:4326, 4269, 4267, 4301 (Tokyo), 4612, 6668, 4258 (ETRS89), 4283/7844 (GDA94/2020), 4167, 4617, 4674, 4490, 6669–6687 (JGD2011 Japan Plane Rectangular I–XIX), 2443–2461 (JGD2000), 32601–32660/32701–32760 (WGS 84 UTM), 26901–26923 (NAD83 UTM) and 3857; give a +proj string or WKT for others',
  'crs.badProj': '{{source}}: cannot read the CRS {{given}}: {{detail}}',
  'crs.badProjPlain': '{{source}}: cannot read the CRS {{given}}',
  'crs.badWkt': '{{source}}: cannot read the coordinate reference system (WKT): {{detail}}',
  'crs.badWktNamed': '{{source}}: cannot read the coordinate reference system (WKT "{{name}}"): {{detail}}',
  'crs.badWktPlain': '{{source}}: cannot read the coordinate reference system (WKT)',
  'crs.badWktNamedPlain': '{{source}}: cannot read the coordinate reference system (WKT "{{name}}")',
  'import.depositIdExists': 'a deposit with this id is already in the project (was this file imported, or exported from this project, before?); leave out the id to import it as a new deposit',
  'import.surveyIdExists': 'a survey with this id is already in the project (was this file imported, or exported from this project, before?); leave out the id to import it as a new survey',
  'feature.idExists': '{{layer}}: a feature with id "{{id}}" already exists',
  'feature.needsPoint': 'a deposit needs a point: place it on the map (only one stored without a location may be saved without one)',
  'feature.needsOutline': 'a survey area needs an outline: draw it on the map (only one stored without an outline may be saved without one)',
  'feature.notFound': '{{layer}}: no feature with id "{{id}}"',
  'feature.unreadableGeometry':
    '{{layer}}: the geometry of feature fid {{fid}} (id "{{id}}") cannot be read: {{detail}}. Another program may have written it in a format of its own (a SpatiaLite blob …): rewrite it as a GeoPackage geometry (in QGIS, or with ogrinfo -sql and AsGPB), clear it, or delete the feature',
  'feature.unreadableGeometryOfId':
    '{{layer}}: the geometry of feature "{{id}}" cannot be read: {{detail}}. Another program may have written it in a format of its own (a SpatiaLite blob …): rewrite it as a GeoPackage geometry (in QGIS, or with ogrinfo -sql and AsGPB), clear it, or delete the feature',
  'query.badDistance': 'distance must be a number of km ≥ 0, got {{km}}',
  'query.distanceTooFar': "distance {{km}} km is more than half the Earth's circumference",
  'query.badCount': 'k must be a whole number ≥ 1, got {{k}}',
} as const;

export type ProblemCode = keyof typeof PROBLEM_EN;
export type ProblemParams = Record<string, string | number>;

/** Fill a `{{name}}` template; an unknown placeholder is left as it is. */
export function fillTemplate(template: string, params: ProblemParams): string {
  return template.replace(/\{\{\s*(\w+)\s*\}\}/g, (all, name: string) => (name in params ? String(params[name]) : all));
}

/**
 * Words that messages insert, by group. A param named after a group (`kind`, `what`, `axis`,
 * `token`) holds a key of that group and is shown as its word; numeric `ring` (and `part` in a
 * MultiPolygon) give `{{ringName}}` and `{{outlineName}}`; `lonIs`/`latIs` (a key of `coord`)
 * with `lonValue`/`latValue` give `{{lonProblem}}`/`{{latProblem}}`. The renderer words the
 * same keys (renderer/strings/problems.ts).
 */
export const WORDS_EN = {
  kind: {
    structure: 'structure',
    position: 'position',
    ring: 'ring',
    crossing: 'crossing',
    'crossing-limit': 'crossing-limit',
    hole: 'hole',
    part: 'part',
  },
  what: {
    multiPoint: 'a MultiPoint',
    lineString: 'a LineString',
    multiLineString: 'a MultiLineString',
    lineOfMultiLineString: 'each line of a MultiLineString',
    polygon: 'a polygon',
    ringOfPolygon: 'each ring of a polygon',
    multiPolygon: 'a MultiPolygon',
  },
  axis: { longitude: 'longitude', latitude: 'latitude', wkt: 'WKT' },
  token: { text: 'a text value', number: 'a number', word: 'a word (true, false or null)' },
  ring: { outline: 'ring 0 (the outline)', hole: 'ring {{ring}} (a hole)', inPart: 'part {{part}}: {{name}}' },
  /** One axis of a position where both are wrong (`lonIs`/`latIs` with `lonValue`/`latValue`). */
  coord: {
    lonOutOfRange: 'longitude {{value}} is outside −180…180',
    latOutOfRange: 'latitude {{value}} is outside −90…90',
    notFinite: '{{axis}} is not a finite number (found {{value}}, e.g. from a literal like 1e999)',
    missing: '{{axis}} is missing (found {{value}})',
    text: '{{axis}} is {{value}}, not a number',
    quotedNumber: '{{axis}} is {{value}}, not a number (remove the quotes)',
    notNumber: '{{axis}} must be a number, found {{value}}',
  },
} as const;

export type WordGroup = keyof typeof WORDS_EN;
export type WordOf<G extends WordGroup> = keyof (typeof WORDS_EN)[G];
/** Words for one language: `word('ring', 'hole', {ring: 2})`, undefined when the key is unknown. */
export type Words = (group: WordGroup, key: string, params?: ProblemParams) => string | undefined;

const WORD_PARAMS = ['kind', 'what', 'axis', 'token'] as const;

/** English words (WORDS_EN). */
export const englishWords: Words = (group, key, params = {}) => {
  const table = WORDS_EN[group] as Record<string, string>;
  return Object.prototype.hasOwnProperty.call(table, key) ? fillTemplate(table[key], params) : undefined;
};

/** A problem's params with its word params worded and ring names added, for its template. */
export function wordParams(params: ProblemParams, word: Words): ProblemParams {
  const out: ProblemParams = { ...params };
  for (const name of WORD_PARAMS) {
    const v = params[name];
    if (typeof v === 'string') out[name] = word(name, v) ?? v;
  }
  for (const [axis, name] of [['longitude', 'lon'], ['latitude', 'lat']] as const) {
    const is = params[`${name}Is`];
    if (typeof is !== 'string') continue;
    const phrase = word('coord', is, { axis: word('axis', axis) ?? axis, value: params[`${name}Value`] ?? '' });
    if (phrase !== undefined) out[`${name}Problem`] = phrase;
  }
  if (typeof params.ring === 'number') {
    const inPart = (name: string) => (typeof params.part === 'number' ? (word('ring', 'inPart', { part: params.part, name }) ?? name) : name);
    const outline = word('ring', 'outline') ?? 'ring 0';
    out.outlineName = inPart(outline);
    out.ringName = inPart(params.ring === 0 ? outline : (word('ring', 'hole', { ring: params.ring }) ?? `ring ${params.ring}`));
  }
  return out;
}

/** The `code`, `params` and English `message` of one problem, to spread into a Problem. */
export function coded(code: ProblemCode, params: ProblemParams = {}): { code: ProblemCode; params: ProblemParams; message: string } {
  return { code, params, message: fillTemplate(PROBLEM_EN[code], wordParams(params, englishWords)) };
}

/** A coded message, for errors that take the message and its key separately. */
export type CodedMessage = ReturnType<typeof coded>;

/** Where a problem is, worded in some language (English below; the renderer's via i18next). */
export interface PlaceWords {
  feature(index: number): string;
  featureWithId(index: number, id: string): string;
  line(line: number): string;
  lineColumn(line: number, column: number): string;
  /** Joins the feature and the line ("feature 3, line 40"). */
  and: string;
}

export const PLACE_EN: PlaceWords = {
  feature: (i) => `feature ${i}`,
  featureWithId: (i, id) => `feature ${i} (id ${id})`,
  line: (l) => `line ${l}`,
  lineColumn: (l, c) => `line ${l}, column ${c}`,
  and: ', ',
};

/** Longest feature id a problem line shows whole; a longer one (a hostile 60 MB "id") is cut, with its length. */
const SHOWN_ID_CHARS = 120;

/** A feature id as a problem line shows it: whole, or its start and how long it is. */
export function shownId(id: string): string {
  return id.length <= SHOWN_ID_CHARS ? id : `${id.slice(0, 80)}… (${id.length.toLocaleString('en-US')} characters)`;
}

/**
 * A problem as one line: `file: feature 12 (id "dep-7"), line 40: "field": message`, its place
 * worded by `words` (the core's formatProblem in English; the renderer's in the UI's language).
 */
export function problemLineWith(
  words: PlaceWords,
  p: { file?: string; featureIndex?: number; featureId?: string | number | null; line?: number; column?: number; field?: string },
  message: string,
): string {
  const parts: string[] = [];
  if (p.file) parts.push(p.file);
  const where: string[] = [];
  if (p.featureIndex !== undefined) {
    where.push(p.featureId !== undefined && p.featureId !== null && p.featureId !== '' ? words.featureWithId(p.featureIndex, JSON.stringify(shownId(String(p.featureId)))) : words.feature(p.featureIndex));
  }
  if (p.line !== undefined) where.push(p.column !== undefined ? words.lineColumn(p.line, p.column) : words.line(p.line));
  if (where.length) parts.push(where.join(words.and));
  if (p.field) parts.push(`"${p.field}"`);
  return `${parts.join(': ')}${parts.length ? ': ' : ''}${message}`;
}
