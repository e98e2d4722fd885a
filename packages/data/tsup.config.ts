import {libraryConfig} from '../../tsup.shared';

// `#local-files` (package.json "imports") is Node's file system, or its browser stand-in under the
// "browser" condition: both are entries of their own, imported by the rest of the package.
export default libraryConfig({
  moreEntries: {'local-files': 'src/local-files.ts', 'local-files.browser': 'src/local-files.browser.ts'},
});
