import {programConfig} from '../../tsup.shared';

export default programConfig();
