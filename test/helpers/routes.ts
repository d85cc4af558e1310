import type { Express } from 'express';

/** One route of the app as Express registered it: the method and the path pattern. */
export type AppRoute = { method: string; path: string };

type Layer = { route?: { path: string | string[]; methods: Record<string, boolean> }; handle?: { stack?: Layer[] } };

/**
 * Every route of the app, read from its router (feature routers included), so that a property
 * test covers the next route someone adds without a hand-kept list.
 */
export function listRoutes(app: Express): AppRoute[] {
  const root = (app as unknown as { router: { stack: Layer[] } }).router;
  const out: AppRoute[] = [];
  const walk = (stack: Layer[]) => {
    for (const layer of stack) {
      if (layer.route) {
        const paths = Array.isArray(layer.route.path) ? layer.route.path : [layer.route.path];
        for (const p of paths) {
          for (const [method, on] of Object.entries(layer.route.methods)) if (on && method !== '_all') out.push({ method: method.toUpperCase(), path: p });
        }
      } else if (layer.handle?.stack) {
        walk(layer.handle.stack);
      }
    }
  };
  walk(root.stack);
  // A route may be registered twice (an upload route's body reader in core/forms.ts, then its
  // handler in the feature): one entry per method and path.
  const seen = new Set<string>();
  return out.filter((r) => !seen.has(`${r.method} ${r.path}`) && Boolean(seen.add(`${r.method} ${r.path}`)));
}

/** The routes that change state (everything but GET, HEAD and OPTIONS). */
export function stateChangingRoutes(app: Express): AppRoute[] {
  return listRoutes(app).filter((r) => !['GET', 'HEAD', 'OPTIONS'].includes(r.method));
}

/**
 * A concrete URL for a route pattern: each `:param` takes the value given for it, or `fallback`
 * (a wildcard `*name` likewise).
 */
export function fillPath(pattern: string, params: Record<string, string | number> = {}, fallback: string | number = 1): string {
  return pattern.replace(/[:*]([A-Za-z_][A-Za-z0-9_]*)/g, (_m, name: string) => encodeURIComponent(String(params[name] ?? fallback)));
}

/** The parameter names of a route pattern, in order. */
export function routeParams(pattern: string): string[] {
  return [...pattern.matchAll(/[:*]([A-Za-z_][A-Za-z0-9_]*)/g)].map((m) => m[1]!);
}
