// A view rendered to its HTML text, for tests that read the markup of one component.
import type { JSX } from 'hono/jsx/jsx-runtime';

export function rendered(node: JSX.Element): string {
  if (node instanceof Promise) throw new Error('The view rendered asynchronously.');
  return node.toString();
}
