/**
 * API Gateway mapping templates (Velocity, with `$input`, `$util`, `$context`, `$stageVariables`):
 * the interface the data planes render through. (The renderer itself lands with the VTL work.)
 */
export interface TemplateInput {
  /** The body the template reads through `$input` (the request's, or the integration's answer), as text. */
  body: string;
  /** `$input.params()`: path, querystring and header parameters (header names as sent). */
  params: { path: Record<string, string>; querystring: Record<string, string>; header: Record<string, string> };
  /** `$context`: API Gateway's context variables (requestId, identity, authorizer, stage …). */
  context: Record<string, unknown>;
  stageVariables: Record<string, string>;
}

export interface TemplateResult {
  output: string;
  /** What the template set in `$context.requestOverride.*` / `$context.responseOverride.*`. */
  overrides: { status?: number; header: Record<string, string>; querystring: Record<string, string>; path: Record<string, string> };
}

/** A template that cannot be rendered (a Velocity syntax error, a failing `$util.parseJson`). */
export class TemplateError extends Error {}

export function renderTemplate(template: string, input: TemplateInput): TemplateResult {
  void template;
  void input;
  throw new TemplateError('mapping templates are not rendered in this build yet');
}
