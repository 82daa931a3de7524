import type { ComponentType } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { ErrorNotice, Loading } from './ui.tsx';

/** A component whose code loads on first render (the editor, charts): the first page stays small. */
export function lazyComponent<P extends object>(load: () => Promise<{ default: ComponentType<P> }>, what: string): ComponentType<P> {
  let cached: ComponentType<P> | undefined;
  return function Lazy(props: P) {
    const [state, setState] = useState<{ C?: ComponentType<P>; error?: unknown }>({ C: cached });
    useEffect(() => {
      if (cached) return;
      load().then(
        (m) => setState({ C: (cached = m.default) }),
        (error: unknown) => setState({ error }),
      );
    }, []);
    if (state.error) return <ErrorNotice title={`The ${what} could not be loaded`} error={state.error} />;
    if (!state.C) return <Loading what={what} />;
    return <state.C {...props} />;
  };
}
