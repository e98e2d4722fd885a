import {libraryConfig} from '../../tsup.shared';

// `#node-builtins` (package.json "imports") is Node's builtins, or their browser stand-ins under the
// "browser" condition: both are entries of their own.
export default libraryConfig({
  moreEntries: {'node-builtins': 'src/node-builtins.ts', 'node-builtins.browser': 'src/node-builtins.browser.ts'},
});
