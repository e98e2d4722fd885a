#!/usr/bin/env node
// Which workspace package may import which (grep-level, no build needed).
//
//   * plugins/* production code imports only @trellis/core, @tensorflow/* and
//     node:* builtins (plus the extra packages listed in PLUGIN_EXTRA below).
//     Plugin tests (*.test.ts, files under test/) may also import vitest,
//     @trellis/testing, the plugin itself, and workspace packages the plugin
//     lists in devDependencies.
//   * packages/core imports no other @trellis package (it is the base).
//   * No file under src/ or test/ of a published workspace package reaches into another
//     package through a relative path (`../../plugins/x/src/...`): import the
//     package by name instead.
//
// Usage: node scripts/check-boundaries.mjs [root]   (exit 1 on a violation)
import {readdirSync, readFileSync, statSync, existsSync} from 'node:fs';
import {join, relative, resolve, dirname, sep} from 'node:path';

const root = resolve(process.argv[2] ?? join(dirname(new URL(import.meta.url).pathname), '..'));

// Packages a plugin's production code may import besides @trellis/core and
// @tensorflow/*. "@trellis/initializers where already used": no plugin uses it
// today (packages/layers does, and layers is not a plugin); add an entry here
// (plugin dir name -> package names) when a plugin needs it.
const PLUGIN_EXTRA = {
  // A PNG encoder for image summaries.
  tensorboard: ['fast-png'],
  // Zip (fflate) and HDF5 (h5wasm, the HDF5 C library in WebAssembly) for .keras and .h5 files.
  'keras-files': ['fflate', 'h5wasm'],
  // Keras .keras/.h5 files, loaded by a dynamic import() only when a Keras format is asked for
  // (an optional peer dependency, so the tfjs-format path never loads zip or HDF5 code).
  serializers: ['@trellis/keras-files'],
  // TensorBoard HParams records, loaded by a dynamic import() only when a tuner is given a logDir
  // (an optional peer dependency).
  tuner: ['@trellis/tensorboard'],
  // Dawn's Node binding (navigator.gpu in Node), imported through a variable so that browser
  // bundlers never pick up the Node addon.
  'backend-webgpu': ['webgpu'],
  // uPlot draws the live line charts (loss curves, gradient norms) in the browser.
  plots: ['uplot'],
};

const SOURCE_EXT = /\.(?:[cm]?[jt]s|tsx|jsx)$/;
const SKIP_DIRS = new Set(['node_modules', 'dist', '.tsbuild', '.turbo', 'coverage', '.cache']);
// import x from '...', import '...', export ... from '...', import('...'), require('...')
const IMPORT_RE =
  /(?:\bimport\s+(?:type\s+)?(?:[\w*${}\s,]+\s+from\s+)?|\bexport\s+(?:type\s+)?(?:\*(?:\s+as\s+\w+)?|\{[^}]*\})\s+from\s+|\bimport\s*\(\s*|\brequire\s*\(\s*)['"]([^'"\n]+)['"]/g;

function workspaceDirs() {
  const dirs = [];
  for (const group of ['packages', 'plugins', 'examples']) {
    const g = join(root, group);
    if (!existsSync(g)) continue;
    for (const d of readdirSync(g)) {
      if (existsSync(join(g, d, 'package.json'))) dirs.push(join(g, d));
    }
  }
  for (const d of ['benchmarks', 'interop']) {
    if (existsSync(join(root, d, 'package.json'))) dirs.push(join(root, d));
  }
  return dirs;
}

function* walk(dir) {
  if (!existsSync(dir)) return;
  for (const name of readdirSync(dir)) {
    if (SKIP_DIRS.has(name)) continue;
    const p = join(dir, name);
    const st = statSync(p);
    if (st.isDirectory()) yield* walk(p);
    else if (SOURCE_EXT.test(name) && !name.endsWith('.d.ts')) yield p;
  }
}

function stripComments(text) {
  return text.replace(/\/\*[\s\S]*?\*\//g, (m) => m.replace(/[^\n]/g, ' ')).replace(/(^|[^:'"`\\])\/\/.*$/gm, '$1');
}

function bareName(spec) {
  const parts = spec.split('/');
  return spec.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

const dirs = workspaceDirs();
const violations = [];
let files = 0;

for (const pkgDir of dirs) {
  const pkg = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8'));
  const rel = relative(root, pkgDir).split(sep).join('/');
  const isPlugin = rel.startsWith('plugins/');
  const isCore = rel === 'packages/core';
  const devDeps = Object.keys(pkg.devDependencies ?? {});
  const pluginExtra = PLUGIN_EXTRA[rel.slice('plugins/'.length)] ?? [];

  for (const file of [...walk(join(pkgDir, 'src')), ...walk(join(pkgDir, 'test'))]) {
    files++;
    const fileRel = relative(root, file).split(sep).join('/');
    const isTest = /\.(?:test|spec)\.[cm]?[jt]sx?$/.test(file) || fileRel.slice(rel.length + 1).startsWith('test/');
    const text = stripComments(readFileSync(file, 'utf8'));
    for (const m of text.matchAll(IMPORT_RE)) {
      const spec = m[1];
      const line = text.slice(0, m.index).split('\n').length;
      const where = `${fileRel}:${line}`;
      if (spec.startsWith('.')) {
        const target = resolve(dirname(file), spec);
        // Private workspaces (examples, benchmarks, interop) are not published and
        // may reuse an example's sources (interop/src/summary.interop.test.ts does).
        if (!pkg.private && target !== pkgDir && !target.startsWith(pkgDir + sep)) {
          violations.push(`${where}: '${spec}' reaches outside ${rel}/ by a relative path; import the package by name`);
        }
        continue;
      }
      // `#name`: the package's own `imports` field (a module of its own, e.g. a Node module with a
      // "browser" stand-in), which Node and bundlers resolve only inside the package.
      if (spec.startsWith('#')) continue;
      const name = bareName(spec);
      if (isCore && name.startsWith('@trellis/')) {
        violations.push(`${where}: @trellis/core must not import '${spec}' (core is the base package)`);
        continue;
      }
      if (!isPlugin) continue;
      if (name === '@trellis/core' || name.startsWith('@tensorflow/') || spec.startsWith('node:')) continue;
      if (pluginExtra.includes(name)) continue;
      if (isTest && (name === 'vitest' || name === '@trellis/testing' || name === pkg.name || devDeps.includes(name))) continue;
      violations.push(
        `${where}: plugin ${pkg.name} must not import '${spec}'` +
          (isTest
            ? ' (tests: add it to devDependencies if it is really needed)'
            : ' (plugins import only @trellis/core and @tensorflow/*)'),
      );
    }
  }
}

if (violations.length) {
  console.error(`check-boundaries: ${violations.length} forbidden import(s):`);
  for (const v of violations) console.error(`  ${v}`);
  process.exit(1);
}
console.log(`check-boundaries: ${files} files in ${dirs.length} packages, no forbidden imports`);
