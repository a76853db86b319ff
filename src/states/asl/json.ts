/**
 * The JSON values a state machine works on: the execution input, state inputs and outputs, the
 * context object, variables. Plain parsed JSON (no undefined, no functions, no Dates).
 */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** A JSON object (not an array, not null). */
export type JsonObject = { [key: string]: Json };

export function isJsonObject(value: Json | undefined): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
