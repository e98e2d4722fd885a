/**
 * The core `Serializer` contract over the layers format: any `Artifacts`
 * (specs, tensors by name, metadata) as `model.json` + shards.
 * @module
 */
import * as tf from '@tensorflow/tfjs-core';
import {FormatError, checkOptions, type Artifacts, type Serializer, type Spec} from '@trellis/core';
import {loadArtifacts, saveArtifacts} from './io';
import {LAYERS_MODEL_FORMAT, type ReadLimits} from './tfjs-format/model-json';
import {readTrellisBlock} from './tfjs-format/trellis-block';
import {decodeWeights, encodeWeights} from './tfjs-format/weights';
import {VERSION} from './version';

/** The spec id under which `Artifacts.specs.modelTopology` carries a Keras model config (`modelTopology` of `model.json`). */
export const MODEL_TOPOLOGY_SPEC_ID = 'tfjs/modelTopology';

/** Options of {@link tfjsLayersSerializer} (its registry config). */
export type TfjsLayersSerializerOptions = ReadLimits & {
  /** Bytes per shard file in Node folders (default 4 MiB). */
  readonly shardBytes?: number;
};

/** The URL schemes the serializer handles: Node folders, and tfjs-core's io handlers. */
export const SCHEMES: readonly string[] = ['file:', 'indexeddb:', 'localstorage:', 'downloads:', 'http:', 'https:'];

/**
 * A {@link Serializer} (kind `serializer`, id `trellis/tfjsLayers`) that
 * stores `Artifacts` in the layers format: tensors in the weights manifest
 * (names starting `optimizer/` in the `optimizer` group), a
 * `specs.modelTopology` spec of id `tfjs/modelTopology` as `modelTopology`,
 * the other specs and `meta` in the `trellis` metadata block. `load` reads
 * any layers model (tfjs-layers' too) the same way; the tensors it returns
 * are owned by the caller.
 */
export function tfjsLayersSerializer(options: TfjsLayersSerializerOptions = {}): Serializer {
  checkOptions('tfjsLayersSerializer', options, ['shardBytes', 'maxBytes', 'maxJsonBytes']);
  return {
    name: 'tfjs-layers',
    schemes: SCHEMES,
    async save(artifacts: Artifacts, url: string): Promise<void> {
      const {modelTopology, ...specs} = artifacts.specs;
      const {specs: weightSpecs, data} = await encodeWeights(
        Object.entries(artifacts.tensors).map(([name, tensor]) => ({
          name,
          tensor,
          ...(name.startsWith('optimizer/') ? {group: 'optimizer' as const} : {}),
        })),
      );
      const trellis = {
        format: 'trellis/v1',
        kind: 'artifacts',
        version: VERSION,
        date: new Date().toISOString(),
        backend: tf.getBackend() ?? null,
        specs,
        meta: artifacts.meta ?? null,
      };
      await saveArtifacts(
        url,
        {
          format: LAYERS_MODEL_FORMAT,
          generatedBy: `Trellis @trellis/serializers v${VERSION}`,
          convertedBy: null,
          ...(modelTopology?.id === MODEL_TOPOLOGY_SPEC_ID ? {modelTopology: modelTopology.config as object} : {}),
          weightSpecs,
          weightData: data.buffer as ArrayBuffer,
          userDefinedMetadata: {trellis} as {},
        },
        options,
      );
    },
    async load(url: string): Promise<Artifacts> {
      const {artifacts, data, file} = await loadArtifacts(url, options);
      const specs = artifacts.weightSpecs ?? [];
      const block = readTrellisBlock(
        artifacts.userDefinedMetadata,
        file,
        new Set(specs.filter((s) => s.group === 'optimizer').map((s) => s.name)),
      );
      if (block?.specs && 'modelTopology' in block.specs)
        throw new FormatError(`${file}: userDefinedMetadata.trellis.specs may not hold 'modelTopology'.`);
      const out: Record<string, Spec> = {...block?.specs};
      if (artifacts.modelTopology) out.modelTopology = {id: MODEL_TOPOLOGY_SPEC_ID, config: artifacts.modelTopology as never};
      return {
        format: 'trellis/v1',
        specs: out,
        tensors: decodeWeights(data, specs),
        ...(block?.meta === undefined ? {} : {meta: block.meta}),
      };
    },
  };
}
