/**
 * The Node builtins `diagnose()` uses to find the optional packages, reached
 * through the package's `#node-builtins` import. Under the `"browser"`
 * condition that import is `node-builtins.browser.ts` instead, so a browser
 * bundle of the package names no Node builtin (internal).
 * @module
 */
export {createRequire} from 'node:module';
export {join} from 'node:path';
export {fileURLToPath} from 'node:url';
