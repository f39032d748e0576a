import { useCallback, useEffect, useRef, useState } from 'react';
import { useSearchParams } from 'react-router';

/**
 * Filters kept in the address (so that a reload or a shared link keeps them) and changed at once on screen.
 *
 * A router navigation runs as a transition, so the address the router reports lags a change by a render.
 * Two quick changes (clearing the search, then choosing a filter) must both be kept: each change is merged
 * into the latest value here, and written over the query string as the browser has it now, not as the
 * last render saw it. A change of address from outside (a link, back and forward) is read again.
 */
export function useAddressState<T extends object>(
  read: (params: URLSearchParams) => T,
  /** the value as a query string, given the query string as it is now (to keep other keys, if wanted) */
  write: (value: T, params: URLSearchParams) => URLSearchParams,
): [T, (change: Partial<T>) => void] {
  const [params, setParams] = useSearchParams();
  const [value, setValue] = useState<T>(() => read(params));
  const latest = useRef(value);
  const written = useRef(params.toString());
  const search = params.toString();
  useEffect(() => {
    // An address the browser has already left (a render behind a newer change) is not a change from outside.
    if (search === written.current || search !== new URLSearchParams(window.location.search).toString()) return;
    written.current = search;
    const next = read(new URLSearchParams(search));
    latest.current = next;
    setValue(next);
    // `read` is a plain function of the query string; only a new address matters here
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [search]);
  const set = useCallback(
    (change: Partial<T>) => {
      const next = { ...latest.current, ...change };
      latest.current = next;
      setValue(next);
      const out = write(next, new URLSearchParams(window.location.search));
      written.current = out.toString();
      setParams(out, { replace: true });
    },
    [setParams, write],
  );
  return [value, set];
}
