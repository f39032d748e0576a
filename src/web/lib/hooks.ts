import { useEffect } from 'react';
import { useParams } from 'react-router';

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
