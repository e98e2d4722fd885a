// Stamps the boilerplate of a library package: node scripts/new-package.mjs <dir> <name> [deps...]
import {mkdirSync, writeFileSync, existsSync} from 'node:fs';
import {join, relative} from 'node:path';

const [dir, name, ...deps] = process.argv.slice(2);
const isPlugin = dir.startsWith('plugins/');
mkdirSync(join(dir, 'src'), {recursive: true});
const root = relative(dir, '.') || '.';
const workspaceDeps = Object.fromEntries(deps.map((d) => [d, 'workspace:^']));
const pkg = {
  name,
  version: '0.1.0',
  description: '',
  license: 'Apache-2.0',
  type: 'module',
  sideEffects: false,
  main: './dist/index.cjs',
  module: './dist/index.js',
  types: './dist/index.d.ts',
  exports: {
    '.': {
      '@trellis/source': './src/index.ts',
      import: {types: './dist/index.d.ts', default: './dist/index.js'},
      require: {types: './dist/index.d.cts', default: './dist/index.cjs'},
    },
    './package.json': './package.json',
  },
  files: ['dist', 'README.md'],
  scripts: {
    build: "node -e \"require('node:fs').rmSync('dist',{recursive:true,force:true})\" && tsup",
    test: 'vitest run',
  },
  peerDependencies: {'@tensorflow/tfjs-core': '^4.22.0', ...(isPlugin ? {'@trellis/core': 'workspace:^'} : {})},
  dependencies: isPlugin ? {} : workspaceDeps,
  devDependencies: {
    '@tensorflow/tfjs-core': '4.22.0',
    '@tensorflow/tfjs-backend-cpu': '4.22.0',
    ...(isPlugin ? {'@trellis/core': 'workspace:*'} : {}),
    ...(isPlugin ? workspaceDeps : {}),
  },
};
if (!existsSync(join(dir, 'package.json'))) writeFileSync(join(dir, 'package.json'), JSON.stringify(pkg, null, 2) + '\n');
writeFileSync(
  join(dir, 'tsconfig.json'),
  JSON.stringify(
    {
      extends: `${root}/tsconfig.base.json`,
      compilerOptions: {
        rootDir: 'src',
        outDir: '.tsbuild',
        composite: true,
        emitDeclarationOnly: true,
        declarationMap: false,
        tsBuildInfoFile: '.tsbuild/tsconfig.tsbuildinfo',
      },
      include: ['src'],
      exclude: ['src/**/*.test.ts'],
    },
    null,
    2,
  ) + '\n',
);
writeFileSync(
  join(dir, 'tsup.config.ts'),
  `import {libraryConfig} from '${root}/tsup.shared';

export default libraryConfig();
`,
);
writeFileSync(
  join(dir, 'vitest.config.ts'),
  `import {trellisProject} from '${root}/vitest.shared';

export default trellisProject('${name}');
`,
);
console.log('stamped', dir);
