/**
 * The one error the pattern engine throws for a pattern it will not accept.
 *
 * AWS answers PutRule and TestEventPattern with `InvalidEventPatternException` and a message of
 * the form `Event pattern is not valid. Reason: <reason>`; the reasons are those of aws/event-ruler,
 * the engine inside EventBridge (its JsonRuleCompiler, CIDR, ComparableNumber and WildcardParser).
 * AWS appends Jackson's parser position (`\n at [Source: (String)"..."; line: 1, column: 11]`) to
 * them (recorded in test/conformance/eventbridge-patterns/aws-recorded.snapshot.json, `Message`
 * versus `MessageRaw`). By default we append it where the position is the parser's own: JSON syntax
 * errors and a pattern that is not an object; a fault found later, in the compiled meaning of a valid
 * JSON pattern, ends at the reason. The compiler's `locations` option appends event-ruler's location
 * to those too (reproducing every recorded MessageRaw, locations.test.ts); SNS filter policies use it.
 * https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_PutRule.html#API_PutRule_Errors
 */
export class PatternError extends Error {
  /** The AWS error code, the same for every pattern fault. */
  readonly code = 'InvalidEventPatternException';
  /** The reason alone, without the `Event pattern is not valid. Reason: ` preamble. */
  readonly reason: string;

  /** The parser position trailer, or '' (see above). */
  readonly location: string;

  constructor(reason: string, location = '') {
    super(`Event pattern is not valid. Reason: ${reason}${location}`);
    this.location = location;
    this.name = 'InvalidEventPatternException';
    this.reason = reason;
  }
}

/** An event text that is not a JSON object (the pattern engine does not validate events in full). */
export class EventSyntaxError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EventSyntaxError';
  }
}
