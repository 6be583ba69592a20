// Renders CSL-JSON items with citeproc-js, as Zotero does, for tests/test_downloads.py.
//   node render.js STYLE.csl LOCALE.xml ITEMS.json
// Prints {"entries": {id: text}, "errors": [citeproc's bibliography errors]}: each item as
// the style writes it in plain text (an item the style leaves out of a reference list, as
// APA does a personal communication, is an error of code 1 and has no entry). Reads only
// the three files it is given: no network.
"use strict";
const fs = require("fs");
const CSL = require("citeproc");

const [style, locale, itemsPath] = process.argv.slice(2);
const items = JSON.parse(fs.readFileSync(itemsPath, "utf8"));
const byId = Object.fromEntries(items.map((item) => [String(item.id), item]));
const sys = {
  retrieveLocale: () => fs.readFileSync(locale, "utf8"),
  retrieveItem: (id) => byId[id],
};
const engine = new CSL.Engine(sys, fs.readFileSync(style, "utf8"), "en-US");
engine.setOutputFormat("text");
const rendered = {};
const errors = [];
for (const item of items) {  // one at a time: an item left out cannot shift the others
  engine.updateItems([String(item.id)]);
  const [meta, entries] = engine.makeBibliography();
  errors.push(...(meta.bibliography_errors || []));
  if (entries.length) rendered[String(item.id)] = entries[0].trim();
}
console.log(JSON.stringify({ entries: rendered, errors }));
