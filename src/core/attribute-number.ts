/**
 * The Number data type of SQS and SNS message attributes: "positive or negative integers or
 * floating-point numbers … up to 38 digits of precision, and it can be between 10^-128 and
 * 10^+126" (SQS Developer Guide, "Message attribute data types"; the SNS Developer Guide, "Amazon
 * SNS message attributes", states the same range). Each service words its own errors; this only
 * tells which rule a value breaks.
 *
 * The range is read as magnitude (zero allowed). The 38-digit precision is not enforced: no AWS
 * answer for it was found.
 */
export type AttributeNumberCheck = 'number' | 'not-a-number' | 'out-of-range';

export function checkAttributeNumber(text: string): AttributeNumberCheck {
  const match = /^[+-]?(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/.exec(text);
  if (!match || (match[1] === '' && (match[2] ?? '') === '')) return 'not-a-number';
  const whole = match[1];
  const fraction = match[2] ?? '';
  const digits = whole + fraction;
  const firstNonZero = digits.search(/[1-9]/);
  if (firstNonZero === -1) return 'number'; // zero
  const exponentText = match[3] ?? '0';
  // Exponents long enough to overflow are out of range either way.
  if (exponentText.replace(/^[+-]?0*/, '').length > 6) return 'out-of-range';
  const magnitude = whole.length - 1 - firstNonZero + Number(exponentText); // floor(log10 |v|)
  const restNonZero = /[1-9]/.test(digits.slice(firstNonZero + 1));
  if (magnitude > 126 || (magnitude === 126 && restNonZero) || magnitude < -128) return 'out-of-range';
  return 'number';
}
