// @peculiar/x509 2.x depends on tsyringe, which throws at load time unless a Reflect metadata
// polyfill (the `reflect-metadata` package) is installed. That package is not a dependency of
// this workspace, so this module installs the four functions tsyringe calls (getMetadata,
// getOwnMetadata, defineMetadata, hasMetadata). Import it before '@peculiar/x509'.

type Target = object;
type Store = Map<unknown, unknown>;

interface ReflectMetadata {
  getMetadata?: (key: unknown, target: Target, prop?: string | symbol) => unknown;
  getOwnMetadata?: (key: unknown, target: Target, prop?: string | symbol) => unknown;
  defineMetadata?: (key: unknown, value: unknown, target: Target, prop?: string | symbol) => void;
  hasMetadata?: (key: unknown, target: Target, prop?: string | symbol) => boolean;
  metadata?: (key: unknown, value: unknown) => (target: Target, prop?: string | symbol) => void;
}

const R = Reflect as unknown as ReflectMetadata;

if (!R.getMetadata) {
  const stores = new WeakMap<Target, Map<string | symbol | undefined, Store>>();
  const own = (target: Target, prop: string | symbol | undefined, create: boolean): Store | undefined => {
    let byProp = stores.get(target);
    if (!byProp) {
      if (!create) return undefined;
      byProp = new Map();
      stores.set(target, byProp);
    }
    let s = byProp.get(prop);
    if (!s && create) {
      s = new Map();
      byProp.set(prop, s);
    }
    return s;
  };
  R.getOwnMetadata = (key, target, prop) => own(target, prop, false)?.get(key);
  R.getMetadata = (key, target, prop) => {
    for (let t: Target | null = target; t; t = Object.getPrototypeOf(t) as Target | null) {
      const s = own(t, prop, false);
      if (s?.has(key)) return s.get(key);
    }
    return undefined;
  };
  R.hasMetadata = (key, target, prop) => R.getMetadata?.(key, target, prop) !== undefined;
  R.defineMetadata = (key, value, target, prop) => {
    own(target, prop, true)!.set(key, value);
  };
  R.metadata = (key, value) => (target, prop) => R.defineMetadata?.(key, value, target, prop);
}

export {};
