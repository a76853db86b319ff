/** Task state resources: which integration family an ARN names. */

/** `arn:aws:states:::lambda:invoke` → (task, lambda, invoke); a function ARN → lambda; an activity ARN → activity. */
export function classifyResource(resource: string): { family: 'task' | 'lambda' | 'activity'; resourceType: string; resourceName: string } {
  const parts = resource.split(':');
  if (parts[2] === 'lambda' && parts[5] === 'function') return { family: 'lambda', resourceType: 'lambda', resourceName: resource };
  if (parts[2] === 'states' && parts[5] === 'activity') return { family: 'activity', resourceType: 'activity', resourceName: resource };
  if (parts[2] === 'states' && parts[3] === '' && parts[4] === '') {
    const rest = parts.slice(5);
    if (rest[0] === 'aws-sdk') return { family: 'task', resourceType: `aws-sdk:${rest[1]}`, resourceName: rest.slice(2).join(':') };
    return { family: 'task', resourceType: rest[0], resourceName: rest.slice(1).join(':') };
  }
  return { family: 'task', resourceType: parts[2] ?? '', resourceName: parts.slice(5).join(':') };
}
