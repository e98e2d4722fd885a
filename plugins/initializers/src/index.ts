export {constant, type ConstantConfig} from './constant';
export {computeFans} from './fans';
export {glorotNormal, type GlorotNormalConfig} from './glorot-normal';
export {glorotUniform, type GlorotUniformConfig} from './glorot-uniform';
export {heNormal, type HeNormalConfig} from './he-normal';
export {heUniform, type HeUniformConfig} from './he-uniform';
export {identityInitializer, type IdentityConfig} from './identity';
export {initializersPlugin} from './plugin';
export {lecunNormal, type LecunNormalConfig} from './lecun-normal';
export {lecunUniform, type LecunUniformConfig} from './lecun-uniform';
export {ones, type OnesConfig} from './ones';
export {orthogonal, type OrthogonalConfig} from './orthogonal';
export {randomNormal, type RandomNormalConfig} from './random-normal';
export {randomUniform, type RandomUniformConfig} from './random-uniform';
export {truncatedNormal, type TruncatedNormalConfig} from './truncated-normal';
export {
  TRUNCATED_NORMAL_STDDEV,
  varianceScaling,
  type FanMode,
  type ResolvedVarianceScalingConfig,
  type VarianceScalingConfig,
  type VarianceScalingDistribution,
} from './variance-scaling';
export {zeros, type ZerosConfig} from './zeros';
export {initializers} from './namespace';
