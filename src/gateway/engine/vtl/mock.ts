/**
 * The MOCK integration's status: API Gateway reads `statusCode` from the rendered integration
 * request (the request template's output, e.g. `{"statusCode": 200}`) and answers with that status
 * and an empty body; the integration response whose selection pattern matches the status renders
 * the method response (https://docs.aws.amazon.com/apigateway/latest/developerguide/how-to-mock-integration.html).
 * When the output is not a JSON object with an integer `statusCode`, API Gateway answers 500
 * `{"message": "Internal server error"}` and logs "Execution failed due to configuration error:
 * Unable to parse statusCode. It should be an integer that is defined in the request template."
 */
export function mockStatusCode(integrationRequestBody: string): number | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(integrationRequestBody);
  } catch {
    return undefined;
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return undefined;
  const status = (parsed as Record<string, unknown>).statusCode;
  return typeof status === 'number' && Number.isInteger(status) ? status : undefined;
}
