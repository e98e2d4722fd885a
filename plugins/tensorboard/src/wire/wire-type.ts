/**
 * The protobuf wire types this package reads and writes.
 * @module
 */

/** How a field's value is laid out after its tag (the low 3 bits of the tag). */
export const WireType = {
  /** int32, int64, uint32, uint64, bool, enum. */
  VARINT: 0,
  /** double, fixed64. */
  FIXED64: 1,
  /** string, bytes, messages, packed repeated scalars. */
  LENGTH_DELIMITED: 2,
  /** The start of a (legacy) group. */
  START_GROUP: 3,
  /** The end of a (legacy) group. */
  END_GROUP: 4,
  /** float, fixed32. */
  FIXED32: 5,
} as const;

/** A wire type number (see {@link WireType}). */
export type WireType = (typeof WireType)[keyof typeof WireType];
