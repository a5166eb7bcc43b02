// Optimises many wasm modules for size in one Node process, with binaryen.js from npm (the
// same library as `wasm-opt -Oz`). A split bundle has hundreds of small modules; one
// `wasm-opt` process for each costs minutes in start-up alone, this costs seconds.
// Usage: node wasm-opt-all.mjs TOOLS_DIR FILE.wasm...
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

const [tools, ...files] = process.argv.slice(2);
if (!tools || files.length === 0) {
  console.error("usage: wasm-opt-all.mjs TOOLS_DIR FILE.wasm...");
  process.exit(2);
}
const { default: binaryen } = await import(
  pathToFileURL(join(tools, "node_modules", "binaryen", "index.js")).href
);
const F = binaryen.Features;
// What rustc 1.95 emits for wasm32-unknown-unknown by default, and what wasm-bindgen keeps.
const features =
  F.MVP |
  F.BulkMemory |
  F.BulkMemoryOpt |
  F.CallIndirectOverlong |
  F.NontrappingFPToInt |
  F.SignExt |
  F.MutableGlobals |
  F.ReferenceTypes |
  F.Multivalue;

binaryen.setOptimizeLevel(2);
binaryen.setShrinkLevel(2); // -Oz
binaryen.setDebugInfo(false);
let before = 0;
let after = 0;
for (const file of files) {
  const input = readFileSync(file);
  const module = binaryen.readBinary(input);
  module.setFeatures(features);
  module.optimize();
  const output = module.emitBinary();
  module.dispose();
  writeFileSync(file, output);
  before += input.length;
  after += output.length;
}
console.error(`wasm-opt-all: ${files.length} modules, ${before} B -> ${after} B`);
