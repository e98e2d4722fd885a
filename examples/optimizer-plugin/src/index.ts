export {adabelief, scaleByBelief} from './adabelief';
export type {AdaBeliefConfig, AdaBeliefOptions, ScaleByBeliefState} from './adabelief';
export {adaBeliefPlugin} from './plugin';
