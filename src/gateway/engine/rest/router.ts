import type { Method } from '../../api/apigateway-shapes.js';
import type { StoredResource } from '../../model/rest-api.js';

/**
 * A REST API's resource tree compiled for matching request paths. API Gateway picks the most
 * specific resource: at each segment a literal path part beats a `{param}`, which beats a greedy
 * `{proxy+}` (which takes one or more segments). Within a resource, the request's own method
 * beats ANY. A trailing slash is not a segment (`/pets/` is `/pets`, the proxy event keeps the
 * slash in `path`), and leading slashes collapse (`/stage//pets` is served as `/pets`: recorded
 * in lambda-proxy-events, `invocation-payload-with-prepended-slash`). A literal path part matches
 * its percent-encoded form too.
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-method-settings-method-request.html
 */
export interface RouteMatch {
  resource: StoredResource;
  method: Method;
  /**
   * Path parameter values by name (`proxy` for `{proxy+}`), as sent: REST APIs hand them on still
   * percent-encoded (`test%2Balias@gmail.com` stays so — unlike HTTP APIs, which decode).
   */
  pathParameters: Record<string, string>;
}

interface Node {
  resource?: StoredResource;
  literals: Map<string, Node>;
  param?: { name: string; node: Node };
  greedy?: { name: string; resource: StoredResource };
}

const newNode = (): Node => ({ literals: new Map() });

export class ResourceRouter {
  private readonly root = newNode();

  constructor(resources: Iterable<StoredResource>) {
    for (const resource of resources) this.add(resource);
  }

  private add(resource: StoredResource): void {
    const parts = resource.path === '/' ? [] : resource.path.split('/').slice(1);
    let node = this.root;
    for (let i = 0; i < parts.length; i += 1) {
      const part = parts[i];
      const greedy = /^\{(.+)\+\}$/.exec(part);
      if (greedy) {
        // A greedy variable is always the last part of a path (PutResource refuses children of it).
        if (i === parts.length - 1) node.greedy = { name: greedy[1], resource };
        return;
      }
      const param = /^\{(.+)\}$/.exec(part);
      if (param) {
        node.param ??= { name: param[1], node: newNode() };
        node = node.param.node;
      } else {
        let next = node.literals.get(part);
        if (!next) node.literals.set(part, (next = newNode()));
        node = next;
      }
    }
    node.resource = resource;
  }

  /** The resource and method serving `httpMethod` at `path` (still percent-encoded), or undefined. */
  match(httpMethod: string, path: string): RouteMatch | undefined {
    const segments = routingSegments(path);
    return this.walk(this.root, segments, 0, httpMethod.toUpperCase(), {});
  }

  private walk(node: Node, segments: string[], index: number, httpMethod: string, params: Record<string, string>): RouteMatch | undefined {
    if (index === segments.length) {
      const method = node.resource ? methodOf(node.resource, httpMethod) : undefined;
      if (node.resource && method) return { resource: node.resource, method, pathParameters: params };
      return undefined;
    }
    const segment = segments[index];
    const literal = node.literals.get(decodeSegment(segment)) ?? node.literals.get(segment);
    if (literal) {
      const found = this.walk(literal, segments, index + 1, httpMethod, params);
      if (found) return found;
    }
    if (node.param && segment !== '') {
      const found = this.walk(node.param.node, segments, index + 1, httpMethod, { ...params, [node.param.name]: segment });
      if (found) return found;
    }
    if (node.greedy) {
      const method = methodOf(node.greedy.resource, httpMethod);
      if (method) return { resource: node.greedy.resource, method, pathParameters: { ...params, [node.greedy.name]: segments.slice(index).join('/') } };
    }
    return undefined;
  }
}

/** The request's method, else ANY. */
function methodOf(resource: StoredResource, httpMethod: string): Method | undefined {
  const methods = resource.resourceMethods;
  if (!methods) return undefined;
  return methods[httpMethod] ?? methods.ANY;
}

/** The path's segments as routing sees them: leading slashes collapsed, one trailing slash dropped. */
export function routingSegments(path: string): string[] {
  let p = path.replace(/^\/+/, '');
  if (p.endsWith('/')) p = p.slice(0, -1);
  return p === '' ? [] : p.split('/');
}

/** The path the proxy event shows (`path`): the request's as sent (still percent-encoded), leading slashes collapsed to one. */
export function eventPath(path: string): string {
  return '/' + path.replace(/^\/+/, '');
}

/** Percent-decoding that leaves a malformed escape as it was rather than failing the request. */
export function decodeSegment(value: string): string {
  if (!value.includes('%')) return value;
  try {
    return decodeURIComponent(value);
  } catch {
    return value.replace(/%([0-9a-fA-F]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
  }
}
