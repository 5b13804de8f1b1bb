// Kaoto's model expects a browser (DOMParser, window): jsdom stands in for it.
const { JSDOM } = require('jsdom');
const dom = new JSDOM('<!doctype html><html><body></body></html>');
for (const name of ['window', 'document', 'DOMParser', 'XMLSerializer', 'Node', 'Element', 'HTMLElement', 'navigator', 'getComputedStyle']) {
  if (!(name in globalThis)) {
    globalThis[name] = name === 'window' ? dom.window : dom.window[name];
  }
}
require(process.env.KAOTO_BUNDLE);
