import { useEffect } from 'react';
import { useParams } from 'react-router';
import { useQuery } from '@tanstack/react-query';
import { api } from './api.js';
import type { Municipality } from './types.js';
import type { Era2019 } from '../../domain/fiscal-year.js';

export function usePageTitle(title: string): void {
  useEffect(() => {
    document.title = `${title} | Shinchoku（進捗）`;
  }, [title]);
}

/** The municipality in the path (/m/:mid/...). */
export function useMid(): number {
  const { mid } = useParams();
  return Number(mid);
}

/**
 * How this municipality names fiscal 2019 (令和元年度 or 平成31年度), for every year label on screen.
 * Outside a municipality's pages, 令和元年度.
 */
export function useEra(): Era2019 {
  const { mid } = useParams();
  const q = useQuery({
    queryKey: ['municipalities'],
    queryFn: () => api.get<{ municipalities: Municipality[] }>('/api/municipalities').then((r) => r.municipalities),
    enabled: mid !== undefined,
  });
  return q.data?.find((m) => m.id === Number(mid))?.era2019 ?? 'reiwa1';
}
