import { ServiceError } from '../../protocol/errors.js';

/**
 * EventBridge's errors with the messages AWS answers. Where a message is quoted from a
 * recording against AWS it says so; the codes and statuses are those of the API Reference
 * (https://docs.aws.amazon.com/eventbridge/latest/APIReference/CommonErrors.html and each action's Errors).
 */
export const eventsErrors = {
  validation: (message: string) => new ServiceError('ValidationException', message),
  busNotFound: (name: string) => new ServiceError('ResourceNotFoundException', `Event bus ${name} does not exist.`),
  busAlreadyExists: (arn: string) => new ServiceError('ResourceAlreadyExistsException', `Event bus ${arn} already exists.`),
  ruleNotFound: (rule: string, bus: string) => new ServiceError('ResourceNotFoundException', `Rule ${rule} does not exist on EventBus ${bus}.`),
  ruleHasTargets: () => new ServiceError('ValidationException', 'Rule can\'t be deleted since it has targets.'),
  /** Recorded against AWS for a sixth target on a rule; the same text serves every count quota. */
  limitExceeded: () => new ServiceError('LimitExceededException', 'The requested resource exceeds the maximum number allowed.'),
  invalidPattern: (message: string) => new ServiceError('InvalidEventPatternException', message),
  resourceNotFound: (message: string) => new ServiceError('ResourceNotFoundException', message),
  concurrentModification: (message: string) => new ServiceError('ConcurrentModificationException', message),
  accessDenied: (message: string) => new ServiceError('AccessDeniedException', message),
  policyLengthExceeded: () => new ServiceError('PolicyLengthExceededException', 'The event bus policy is too long.'),
};
