import {libraryConfig} from '../../tsup.shared';

export default libraryConfig();
