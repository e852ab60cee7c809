// Writes wwwroot/fonts/manrope-latin-wght.woff2: Manrope (SIL OFL 1.1) from @fontsource-variable/manrope, the variable
// weight axis kept, cut to the characters the site's text uses. Measured: the package's Latin file is 24,836 bytes, this
// subset 23,248 (Inter's Latin file, the other candidate, is 48,256 bytes and 38,672 subset: too much of the 60 KB page
// budget). The site's @font-face names the same ranges in unicode-range, so a character outside them (an editor's "ő")
// is drawn by the fallback font instead of a missing glyph.
// Run after changing the package version or the ranges: npm ci && node subset.mjs
import subsetFont from "subset-font";
import { copyFileSync, readFileSync, writeFileSync } from "node:fs";

const ranges = [
  [0x20, 0x7e], [0xa0, 0xff], [0x2013, 0x2014], [0x2018, 0x201d], [0x2022, 0x2022], [0x2026, 0x2026],
  [0x2190, 0x2193], [0x2212, 0x2212], [0x2264, 0x2265], [0x20ac, 0x20ac],
];
let text = "";
for (const [first, last] of ranges) {
  for (let code = first; code <= last; code++) {
    text += String.fromCodePoint(code);
  }
}

const source = "node_modules/@fontsource-variable/manrope/files/manrope-latin-wght-normal.woff2";
const target = new URL("../../wwwroot/fonts/manrope-latin-wght.woff2", import.meta.url);
const subset = await subsetFont(readFileSync(source), text, { targetFormat: "woff2" });
writeFileSync(target, subset);
copyFileSync("node_modules/@fontsource-variable/manrope/LICENSE", new URL("../../wwwroot/fonts/OFL.txt", import.meta.url));
console.log(`${target.pathname}: ${subset.length} bytes`);
