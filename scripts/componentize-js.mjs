// Builds one JavaScript check into a wasm component with componentize-js:
//
//   node componentize-js.mjs SOURCE.js WIT_DIR WORLD OUT.wasm
//
// Used by scripts/build-js-checks.sh and, copied by `host new --lang
// javascript`, by every scaffolded JavaScript check. Through the API rather
// than the package's CLI, which needs a module (commander) that
// componentize-js does not declare. `http` and `fetch-event` would make the
// component import wasi:http, which the host does not provide; stdio stays
// so an uncaught exception reaches the host's captured stderr instead of a
// bare trap.
import { componentize } from "@bytecodealliance/componentize-js";
import { writeFile } from "node:fs/promises";

const [sourcePath, witPath, worldName, out] = process.argv.slice(2);
if (!out) {
    console.error("usage: node componentize-js.mjs SOURCE.js WIT_DIR WORLD OUT.wasm");
    process.exit(2);
}
const { component } = await componentize({
    sourcePath,
    witPath,
    worldName,
    disableFeatures: ["http", "fetch-event"],
});
await writeFile(out, component);
