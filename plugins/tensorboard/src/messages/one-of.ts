/**
 * `OneOf<Members>`: how a message holds a protobuf oneof.
 * @module
 */

/**
 * A oneof of the fields `Members` (name → value type): the member that is
 * set as `{case: name, value}`, or `{case: undefined}` when none is.
 */
export type OneOf<Members> =
  | {[K in keyof Members & string]: {case: K; value: Members[K]}}[keyof Members & string]
  | {case: undefined; value?: undefined};
