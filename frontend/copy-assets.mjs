// Copy what Flask serves from node_modules into static/ (build output): both ES module bundles,
// and exactly the images the compiled tracker.css refers to. Run after the Sass step.
import { cpSync, existsSync, readFileSync, rmSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const modules = join(root, "node_modules");
const statics = join(root, "static");
const imagesUrl = "/static/assets/images/"; // must match the asset paths set in tracker.scss

const bundles = [
  "govuk-frontend/dist/govuk/govuk-frontend.min.js",
  "@ministryofjustice/frontend/moj/moj-frontend.min.js",
];
const imageFolders = ["govuk-frontend/dist/govuk/assets/images", "@ministryofjustice/frontend/moj/assets/images"];

for (const bundle of bundles) {
  for (const file of [bundle, `${bundle}.map`]) {
    cpSync(join(modules, file), join(statics, file.split("/").pop()));
  }
}

const css = readFileSync(join(statics, "tracker.css"), "utf8");
const urls = new Set([...css.matchAll(/url\(["']?([^"')]+)["']?\)/g)].map((match) => match[1]));
const problems = [];
let copied = 0;
rmSync(join(statics, "assets"), { recursive: true, force: true });
for (const url of urls) {
  if (url.startsWith("data:")) continue;
  const name = url.startsWith(imagesUrl) ? url.slice(imagesUrl.length) : null;
  const folder = name && imageFolders.find((candidate) => existsSync(join(modules, candidate, name)));
  if (!folder) {
    problems.push(url);
    continue;
  }
  cpSync(join(modules, folder, name), join(statics, "assets/images", name));
  copied += 1;
}
if (problems.length > 0) {
  console.error(`tracker.css refers to images the build cannot serve:\n  ${problems.join("\n  ")}`);
  process.exit(1);
}
console.log(`Copied ${bundles.length} scripts and ${copied} images into static/.`);
