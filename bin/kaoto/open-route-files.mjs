// Opens route files with Kaoto's own model (what its editor parses a file into) and serialises them back, as
// Kaoto does on save. Prints OK/FAIL per file; exit status 1 when a file cannot be opened or does not come back
// with the same items. Bundled and run by bin/check-kaoto.
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { CamelResourceFactory } from './node_modules/@kaoto/kaoto/lib/esm/models/camel/camel-resource-factory.js'; // not in the package's exports

// order of keys and of a file's items does not matter to Camel; values are compared as text
const normal = v => Array.isArray(v) ? v.map(normal)
  : (v && typeof v === 'object') ? Object.fromEntries(Object.keys(v).sort().map(k => [k, normal(v[k])])) : String(v);
const items = yaml => JSON.stringify(normal(parse(yaml)).map(i => JSON.stringify(i)).sort());

let failed = 0;
for (const file of process.argv.slice(2)) {
  try {
    const source = readFileSync(file, 'utf8');
    const resource = CamelResourceFactory.createCamelResource(source, { path: file });
    const drawn = resource.getVisualEntities().map(e => `${e.type}:${e.getId()}`);
    const saved = resource.toString();
    const kept = items(saved) === items(source);
    const comments = text => text.split('\n').filter(l => /^\s*#/.test(l)).length;
    if (!kept) failed++;
    console.log(`${kept ? 'OK  ' : 'FAIL'} ${file}: ${drawn.length} diagram(s) [${drawn.join(', ')}]`
      + `${kept ? '' : ' - saving changes its content'}; comment lines kept on save: ${comments(saved)} of ${comments(source)}`);
  } catch (e) {
    failed++;
    console.log(`FAIL ${file}: ${e && e.message}`);
  }
}
process.exit(failed ? 1 : 0);
