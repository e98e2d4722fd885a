import {libraryConfig} from '../../tsup.shared';

export default libraryConfig({entry: {index: 'src/index.ts', fuzz: 'src/fuzz.ts'}});
