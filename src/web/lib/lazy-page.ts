import { lazy, type ComponentType } from 'react';

/**
 * A page loaded when it is first shown: each page is its own chunk, so the first screen (login,
 * then home) downloads only what it shows. `name` is the page's named export.
 */
export function lazyPage<K extends string>(load: () => Promise<Record<K, ComponentType>>, name: K) {
  return lazy(async () => {
    const page: ComponentType = (await load())[name];
    return { default: page };
  });
}
