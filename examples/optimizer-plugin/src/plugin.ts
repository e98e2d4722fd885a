/**
 * `adaBeliefPlugin`: registers `acme/adabelief` in a Trellis registry.
 * @module
 */
import type {Json, Plugin, Spec} from '@trellis/core';
import {adabelief, type AdaBeliefOptions} from './adabelief';

/**
 * Registers the optimizer `acme/adabelief` (`registry.use(adaBeliefPlugin)`), so a saved spec or the
 * name `'adabelief'` rebuilds it. A learning rate saved as a schedule spec is rebuilt through the
 * same registry (`registry.resolve('schedule', spec)`), so register the schedule's plugin too.
 */
export const adaBeliefPlugin: Plugin = {
  name: '@acme/trellis-optimizer-adabelief',
  specVersion: 1,
  setup(registry) {
    registry.register('optimizer', 'acme/adabelief', (config: {readonly [key: string]: Json} | null, resolving) => {
      const rate = config?.learningRate;
      const learningRate = rate !== null && typeof rate === 'object' ? resolving.resolve('schedule', rate as Spec) : rate;
      return adabelief({...config, ...(learningRate === undefined ? {} : {learningRate})} as AdaBeliefOptions);
    });
  },
};
