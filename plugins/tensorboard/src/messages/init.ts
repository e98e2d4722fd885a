/**
 * `MessageInit<T>`: what an encoder accepts for a message `T`.
 * @module
 */

/**
 * A message `T` with every field optional, at every level: a field left
 * out is encoded as its zero value (not written), as protobuf does. A oneof
 * is `{case, value}` as in the decoded message. Decoded messages are
 * `MessageInit`s of their own type.
 */
export type MessageInit<T> = T extends Uint8Array | bigint | number | string | boolean | undefined
  ? T
  : T extends readonly (infer E)[]
    ? readonly MessageInit<E>[]
    : T extends {readonly case: infer C extends string; readonly value: infer V}
      ? {readonly case: C; readonly value: MessageInit<V>}
      : T extends {readonly case: undefined}
        ? {readonly case: undefined; readonly value?: undefined}
        : {readonly [K in keyof T]?: MessageInit<T[K]>};
