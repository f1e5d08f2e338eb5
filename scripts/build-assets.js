// Builds what the browser loads from /assets/: our stylesheet (GOV.UK Frontend compiled with the
// council's settings), GOV.UK Frontend's JavaScript with our module that starts it, and our icon.
// Usage: node scripts/build-assets.js [OUT_DIR]   (OUT_DIR defaults to dist/public)
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as sass from 'sass';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const outDir = resolve(process.argv[2] ?? join(root, 'dist', 'public'));
const frontendDist = join(root, 'node_modules', 'govuk-frontend', 'dist', 'govuk');

mkdirSync(outDir, { recursive: true });

const { css } = sass.compile(join(root, 'src', 'views', 'assets', 'application.scss'), {
  loadPaths: [join(root, 'node_modules')],
  style: 'compressed',
  // GOV.UK Frontend's own deprecation notices are for its maintainers, not for us.
  quietDeps: true,
});
writeFileSync(join(outDir, 'application.css'), css);

// The source map comes along so that browsers' developer tools do not ask for a missing file.
for (const name of ['govuk-frontend.min.js', 'govuk-frontend.min.js.map']) {
  copyFileSync(join(frontendDist, name), join(outDir, name));
}
for (const name of ['init.js', 'autosave.js', 'timeout-warning.js', 'import-progress.js']) {
  copyFileSync(join(root, 'src', 'views', 'assets', name), join(outDir, name));
}

// Our own mark, not the crown: this is a council's service, not GOV.UK's. The colour is the
// header's ($app-brand-colour in application.scss).
const favicon = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32">
  <rect width="32" height="32" rx="6" fill="#106165"/>
  <circle cx="16" cy="16" r="9" fill="none" stroke="#ffffff" stroke-width="4.5"/>
</svg>
`;
writeFileSync(join(outDir, 'favicon.svg'), favicon);
