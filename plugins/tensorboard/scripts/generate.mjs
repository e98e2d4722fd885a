#!/usr/bin/env node
// Regenerates src/gen/ from the .proto files in proto/ (TensorBoard's own,
// copied with their license): `pnpm generate` in this package. Uses the buf
// CLI and protoc-gen-es from devDependencies (npm packages, no other download).
import {spawnSync} from 'node:child_process';
import {rmSync} from 'node:fs';
import {delimiter, dirname, join} from 'node:path';
import {fileURLToPath} from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const template = {
  version: 'v2',
  plugins: [{local: 'protoc-gen-es', out: 'src/gen', opt: ['target=ts', 'import_extension=none']}],
};
rmSync(join(root, 'src/gen'), {recursive: true, force: true});
const bin = join(root, 'node_modules', '.bin');
const result = spawnSync('buf', ['generate', 'proto', '--template', JSON.stringify(template)], {
  cwd: root,
  stdio: 'inherit',
  env: {...process.env, PATH: `${bin}${delimiter}${process.env.PATH ?? ''}`},
  shell: process.platform === 'win32',
});
if (result.status !== 0) {
  console.error(`buf generate failed (exit ${result.status ?? result.signal}); is \`pnpm install\` done in this package?`);
  process.exit(1);
}
console.log('src/gen regenerated from proto/');
