# Validate METS structure against metsrw's mets.xsd (from PyPI). No registry package ships the
# LOC xlink.xsd that mets.xsd imports, nor the PREMIS and MODS schemas: xlink attribute groups
# are therefore missing (errors about xlink:* attributes are listed separately), xsi:type
# attributes naming PREMIS types are removed, and mdWrap/xmlData content is lax as mets.xsd says.
# Usage: python validate_mets_schema.py <mets.xsd> <file.xml>... ; exit 1 when a file is invalid.
import sys, xmlschema
import xml.etree.ElementTree as ET
XSI = '{http://www.w3.org/2001/XMLSchema-instance}type'
schema = xmlschema.XMLSchema(sys.argv[1], validation='lax')
failed = False
for f in sys.argv[2:]:
    tree = ET.parse(f)
    for el in tree.iter():
        el.attrib.pop(XSI, None)
    errs = list(schema.iter_errors(tree))
    xl = [e for e in errs if '{http://www.w3.org/1999/xlink}' in str(e.reason)]
    other = [e for e in errs if e not in xl]
    print(f, 'VALID' if not other else f'{len(other)} errors', f'(+{len(xl)} xlink-attribute reports from the missing xlink.xsd)')
    for e in other[:6]: print('  ', e.reason, e.path)
    failed = failed or bool(other)
sys.exit(1 if failed else 0)
