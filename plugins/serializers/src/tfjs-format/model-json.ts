/**
 * `model.json` as tfjs writes it (`tf.io.ModelJSON`): reading with checks,
 * writing with a weights manifest of 4 MB shards.
 * @module
 */
import type * as tf from '@tensorflow/tfjs-core';
import {FormatError, describeValue, type Json} from '@trellis/core';
import {isObject} from '../keras-config/types';
import {checkManifest, type ManifestGroup} from './weights';

/** tfjs-layers' `format` of a layers model. */
export const LAYERS_MODEL_FORMAT = 'layers-model';

/** The tfjs-layers release whose dialect `modelTopology` is written in. */
export const TFJS_LAYERS_VERSION = '4.22.0';

/** Limits on what is read. */
export type ReadLimits = {
  /** The most bytes of weight data read (default 2 GiB). */
  readonly maxBytes?: number;
  /** The largest `model.json` read, in bytes (default 64 MiB). */
  readonly maxJsonBytes?: number;
};

/** The default limits. */
export const DEFAULT_LIMITS = {maxBytes: 2 * 1024 * 1024 * 1024, maxJsonBytes: 64 * 1024 * 1024} as const;

/** `model.json` as written: the artifacts' JSON parts with a manifest of the given shard files. */
export function modelJsonText(artifacts: tf.io.ModelArtifacts, paths: readonly string[]): string {
  const json: tf.io.ModelJSON = {
    modelTopology: artifacts.modelTopology as object,
    format: artifacts.format,
    generatedBy: artifacts.generatedBy,
    convertedBy: artifacts.convertedBy ?? null,
    weightsManifest: [{paths: [...paths], weights: artifacts.weightSpecs ?? []}],
    ...(artifacts.trainingConfig ? {trainingConfig: artifacts.trainingConfig} : {}),
    ...(artifacts.userDefinedMetadata ? {userDefinedMetadata: artifacts.userDefinedMetadata} : {}),
  };
  return JSON.stringify(json);
}

/** A checked `model.json`: its artifacts without weight data, and the shard groups to read. */
export type ParsedModelJson = {readonly artifacts: tf.io.ModelArtifacts; readonly groups: readonly ManifestGroup[]};

/**
 * Parses and checks the text of a `model.json` (`file` names it in errors).
 * @throws FormatError naming the file and the part (bad JSON, a missing or mistyped field, a bad
 *   manifest) or when the weights exceed `maxBytes`.
 */
export function parseModelJson(text: string, file: string, limits: ReadLimits = {}): ParsedModelJson {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new FormatError(`${file} is not valid JSON (truncated or corrupt): ${(error as Error).message}.`, {cause: error});
  }
  if (!isObject(json)) throw new FormatError(`${file}: expected a JSON object; got ${describeValue(json)}.`);
  if (!('weightsManifest' in json))
    throw new FormatError(`${file}: the weightsManifest field is missing (truncated, or not a TensorFlow.js model).`);
  const groups = checkManifest(json.weightsManifest, file, limits.maxBytes ?? DEFAULT_LIMITS.maxBytes);
  const artifacts = checkArtifactFields(json, file);
  return {artifacts: {...artifacts, weightSpecs: groups.flatMap((g) => g.weights)}, groups};
}

/**
 * The JSON fields of artifacts (from a `model.json` or a tfjs io handler), checked.
 * @throws FormatError naming the part.
 */
export function checkArtifactFields(json: Readonly<Record<string, unknown>>, file: string): tf.io.ModelArtifacts {
  const {modelTopology, format, generatedBy, convertedBy, trainingConfig, userDefinedMetadata} = json;
  if (modelTopology !== undefined && modelTopology !== null && !isObject(modelTopology)) {
    throw new FormatError(`${file}: modelTopology must be a JSON object; got ${describeValue(modelTopology)}.`);
  }
  for (const [key, value] of Object.entries({format, generatedBy, convertedBy})) {
    if (value !== undefined && value !== null && typeof value !== 'string')
      throw new FormatError(`${file}: ${key} must be a string; got ${describeValue(value)}.`);
  }
  if (trainingConfig !== undefined && trainingConfig !== null && !isObject(trainingConfig)) {
    throw new FormatError(`${file}: trainingConfig must be a JSON object; got ${describeValue(trainingConfig)}.`);
  }
  if (userDefinedMetadata !== undefined && userDefinedMetadata !== null && !isObject(userDefinedMetadata)) {
    throw new FormatError(`${file}: userDefinedMetadata must be a JSON object; got ${describeValue(userDefinedMetadata)}.`);
  }
  return {
    ...(isObject(modelTopology) ? {modelTopology: modelTopology as object} : {}),
    ...(typeof format === 'string' ? {format} : {}),
    ...(typeof generatedBy === 'string' ? {generatedBy} : {}),
    ...(typeof convertedBy === 'string' ? {convertedBy} : {}),
    ...(isObject(trainingConfig) ? {trainingConfig: trainingConfig as unknown as tf.io.TrainingConfig} : {}),
    ...(isObject(userDefinedMetadata) ? {userDefinedMetadata: userDefinedMetadata as {[key: string]: Json} as {}} : {}),
  };
}
