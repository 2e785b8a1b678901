// Builds the dashboard into dist/: app.js (one classic script: mosquitto's http_dir serves files
// without a content type, which module scripts refuse) and index.html with the styles inlined.
import { build } from 'esbuild';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const dist = join(here, 'dist');
mkdirSync(dist, { recursive: true });

await build({
  entryPoints: [join(here, 'src', 'main.js')],
  outfile: join(dist, 'app.js'),
  bundle: true,
  format: 'iife',
  platform: 'browser',
  target: ['es2020'],
  minify: true,
  sourcemap: false,
  legalComments: 'eof',
  logLevel: 'warning',
});

const styles = [join(here, 'node_modules', 'uplot', 'dist', 'uPlot.min.css'), join(here, 'src', 'style.css')]
  .map((f) => readFileSync(f, 'utf8'))
  .join('\n');
const html = readFileSync(join(here, 'src', 'index.html'), 'utf8').replace('/*STYLE*/', () => styles);
writeFileSync(join(dist, 'index.html'), html);
console.log(`dashboard: built ${dist}`);
