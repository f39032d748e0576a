import { createContext, useContext, useEffect, type ReactNode } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { api, setCsrfToken, setSessionLostHandler } from './api.js';
import type { Session } from './types.js';

const SessionContext = createContext<{ session: Session; refresh: () => Promise<void> } | null>(null);

export function SessionProvider({ children }: { children: ReactNode }) {
  const client = useQueryClient();
  const q = useQuery({
    queryKey: ['session'],
    queryFn: async () => {
      const s = await api.get<Session>('/api/session');
      setCsrfToken(s.csrfToken);
      return s;
    },
    staleTime: 60_000,
  });
  useEffect(() => setSessionLostHandler(() => void client.invalidateQueries({ queryKey: ['session'] })), [client]);
  if (q.isPending)
    return (
      <p className="loading" role="status">
        読み込み中…
      </p>
    );
  if (q.isError)
    return (
      <p role="alert" className="error-banner">
        サーバーに接続できません。時間をおいて再読み込みしてください。
      </p>
    );
  const refresh = async () => {
    client.removeQueries({ predicate: (query) => query.queryKey[0] !== 'session' });
    await client.invalidateQueries({ queryKey: ['session'] });
  };
  return <SessionContext.Provider value={{ session: q.data, refresh }}>{children}</SessionContext.Provider>;
}

export function useSession() {
  const ctx = useContext(SessionContext);
  if (!ctx) throw new Error('useSession outside SessionProvider');
  return ctx;
}
